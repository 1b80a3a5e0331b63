// Reference kernels: plain, portable C++ for every operator the CPU engine supports.
//
// They define what each operator computes. The XNNPACK path is tested against them, bit-exact
// on integer paths, so their quantized arithmetic is the one XNNPACK uses (which is also what
// TensorFlow Lite computes when it runs the model through its XNNPACK delegate):
//
// * Activation bounds. A fused activation gives real bounds [lo, hi] (NONE: -inf, +inf;
//   RELU: 0, +inf; RELU_N1_TO_1: -1, 1; RELU6: 0, 6). For a quantized output (scale s,
//   zero point z, type range [tmin, tmax]) each bound b becomes
//       q(b) = (int) lrintf(fminf(fmaxf(b / s + (float) z, tmin), tmax))
//   computed in float, round to nearest even.
// * Convolution, depthwise convolution, fully connected (uint8, or int8 with per-channel int8
//   weights). acc = bias[c] + sum (x - x_zp) * (w - w_zp[c]) in int32. Then
//       scale = input_scale * filter_scale[c] / output_scale      (float, in this order)
//       f = (float) acc * scale;  f = clamp(f, qlo - z, qhi - z)   (float)
//       out = (int) nearbyintf(f) + z                            (round to nearest even)
// * ADD (uint8 or int8). With a_s = a_scale / out_scale and b_s = b_scale / out_scale (float):
//       shift = 20 - (exponent of max(a_s, b_s))   (exponent = (float bits >> 23) - 127)
//       a_m = lrintf(a_s * 2^shift), b_m = lrintf(b_s * 2^shift)
//       acc = (a - a_zp) * a_m + (b - b_zp) * b_m            (int32)
//       out = clamp((acc + 2^(shift-1)) >> shift, qlo - z, qhi - z) + z   (arithmetic shift)
//   Inputs of equal shape, or one of them broadcast (numpy rules, up to 4-D).
//   The scale ratios must keep shift in [1, 30] (max ratio in [2^-10, 2^20)), else an error.
// * Float paths compute in float and clamp to the activation bounds.
//
// Every kernel checks shapes and types it depends on and returns an error naming the problem
// rather than reading out of bounds. Layouts are TFLite's: activations NHWC, conv filters
// OHWI, depthwise filters 1HW(C*M), fully-connected weights [out, in].
#pragma once

#include <span>
#include <vector>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "model/types.h"

namespace coralpi::reference {

// Quantized bound of a fused activation for an output with the given quantization (see above).
struct ActivationRange {
  int32_t lo;
  int32_t hi;
};
ActivationRange QuantizedActivationRange(Activation act, DataType type, float scale,
                                         int32_t zero_point);
// Real (float) bounds of a fused activation.
void FloatActivationRange(Activation act, float* lo, float* hi);

// Output spatial size and padding before the first row/column, as TFLite computes them.
struct PaddedSize {
  int32_t out;
  int32_t pad_before;
};
PaddedSize ComputePadding(Padding padding, int32_t in, int32_t filter, int32_t stride,
                          int32_t dilation);

Status Conv2D(const Conv2DOptions& opt, const TensorView& input, const TensorView& filter,
              const TensorView* bias, const TensorView& output);
// The depth multiplier M is taken from the shapes (filter channels / input channels).
Status DepthwiseConv2D(const DepthwiseConv2DOptions& opt, const TensorView& input,
                       const TensorView& filter, const TensorView* bias,
                       const TensorView& output);
Status FullyConnected(const FullyConnectedOptions& opt, const TensorView& input,
                      const TensorView& weights, const TensorView* bias,
                      const TensorView& output);
Status Add(const AddOptions& opt, const TensorView& a, const TensorView& b,
           const TensorView& output);
// AVERAGE_POOL_2D (any window; quantized input and output must share scale and zero point,
// as in TFLite: the average of the in-bounds values, rounded half away from zero).
Status AveragePool2D(const Pool2DOptions& opt, const TensorView& input, const TensorView& output);
// MEAN over axes 1 and 2 of an NHWC tensor (the global average pooling case), keep_dims or not.
// Quantized input and output may differ in quantization: acc = sum (x - x_zp) in int32, then
// requantized like a convolution (no activation) with
//     scale = in_scale / (out_scale * (float) (H * W))
// as XNNPACK's global average pooling does (RequantizeMean in kernel_util.h).
Status MeanHW(const TensorView& input, const TensorView& output);
// SOFTMAX over the last axis: dequantize, float softmax with beta, quantize (round half away
// from zero, clamped to the type).
Status Softmax(const SoftmaxOptions& opt, const TensorView& input, const TensorView& output);
// QUANTIZE: float -> uint8/int8 (round half away from zero, clamp), or requantize between
// uint8/int8 tensors: out = round((q - zp_in) * s_in / s_out) + zp_out, computed in double.
Status Quantize(const TensorView& input, const TensorView& output);
// DEQUANTIZE: uint8/int8/int16 -> float: (q - zp) * scale.
Status Dequantize(const TensorView& input, const TensorView& output);
// RESHAPE and SQUEEZE: a byte copy between tensors of equal element count and type.
Status Copy(const TensorView& input, const TensorView& output);

// ---- Data movement and index operators ----
// Shared rules:
// * Data moves as bytes, so any fixed-size element type works (float32, uint8, int8, int16,
//   int32, int64, bool). Outputs have the input's type and, for quantized types, its scale and
//   zero point (only CONCATENATION requantizes). Ranks go up to 6.
// * A negative axis counts from the end (axis + rank, where rank is the output's for PACK and
//   EXPAND_DIMS). Index inputs (axes, begin/end/strides, sizes, paddings, permutations, gather
//   indices) are int32 or int64 tensors, read when the kernel runs.
// * Each operator has a *Shape function: the output shape it computes from the input shapes and
//   index values, or an error naming the bad index. The engine's load-time checks call it when
//   the index inputs are constants, and every kernel checks its output against it: the engine
//   allocates by the model's static shapes, so a shape that index values computed at run time
//   change is an error, never a write past the end. Gather indices are range-checked the same
//   way (CheckGatherIndices / CheckGatherNdIndices) before anything is read.

// CONCATENATION along opt.axis (activation NONE only, as in TensorFlow Lite). Inputs of equal
// rank agreeing outside the axis. A uint8/int8 input whose scale or zero point differ from the
// output's is requantized as TensorFlow Lite's ConcatenationWithScaling does (TFLite itself
// refuses that case for int8; coralpi applies the same formula):
//     scale = in_scale * (1.0f / out_scale);  bias = -in_zp * scale       (float)
//     out = clamp((int32) round(q * scale + bias) + out_zp)   (round half away from zero)
// Inputs with the output's quantization are copied unchanged.
Result<Shape> ConcatenationShape(const ConcatenationOptions& opt, std::span<const Shape> inputs);
Status Concatenation(const ConcatenationOptions& opt, std::span<const TensorView> inputs,
                     const TensorView& output);
// PACK: opt.count inputs of one shape stacked along a new axis opt.axis ([-(r+1), r]).
Result<Shape> PackShape(const PackOptions& opt, std::span<const Shape> inputs);
Status Pack(const PackOptions& opt, std::span<const TensorView> inputs, const TensorView& output);
// UNPACK: the opt.count slices along opt.axis (which must have that size), the axis removed.
Result<std::vector<Shape>> UnpackShapes(const PackOptions& opt, const Shape& input);
Status Unpack(const PackOptions& opt, const TensorView& input, std::span<const TensorView> outputs);
// SPLIT: the input cut into opt.num_splits equal parts along the axis given by a one-element
// tensor (the dimension must divide evenly).
Result<std::vector<Shape>> SplitShapes(const SplitOptions& opt, const Shape& input,
                                       const TensorView& axis);
Status Split(const SplitOptions& opt, const TensorView& axis, const TensorView& input,
             std::span<const TensorView> outputs);
// SPLIT_V: parts of size_splits[i] (opt.num_splits values, at most one -1 standing for the
// rest; they must add up to the dimension).
Result<std::vector<Shape>> SplitVShapes(const SplitOptions& opt, const Shape& input,
                                        const TensorView& size_splits, const TensorView& axis);
Status SplitV(const SplitOptions& opt, const TensorView& input, const TensorView& size_splits,
              const TensorView& axis, std::span<const TensorView> outputs);
// STRIDED_SLICE, TensorFlow Lite's semantics: begin, end and strides are 1-D of one length n.
// The ellipsis (one bit at most) stands for as many whole axes as the other specs leave; a
// new_axis bit inserts an axis of 1; axes past the specs are taken whole. Per remaining axis of
// size d with stride s != 0:
//     start = begin (+ d if negative), clamped to [0, d] (s > 0) or [-1, d - 1] (s < 0);
//             begin_mask: 0 (s > 0) or d - 1 (s < 0)
//     stop  = end (+ start in offset mode) (+ d if negative), clamped likewise;
//             end_mask: d (s > 0) or -1 (s < 0)
//     count = max(0, ceil((stop - start) / s))
// A shrink_axis bit takes the one element at start and drops the axis, whatever the stride's
// sign; start outside the axis is an error. (In both cases TensorFlow Lite's loop writes
// nothing and leaves the output as it was.)
Result<Shape> StridedSliceShape(const StridedSliceOptions& opt, const Shape& input,
                                const TensorView& begin, const TensorView& end,
                                const TensorView& strides);
Status StridedSlice(const StridedSliceOptions& opt, const TensorView& input,
                    const TensorView& begin, const TensorView& end, const TensorView& strides,
                    const TensorView& output);
// SLICE: begin and size per axis (size -1: to the end); 0 <= begin <= begin + size <= d.
Result<Shape> SliceShape(const Shape& input, const TensorView& begin, const TensorView& size);
Status Slice(const TensorView& input, const TensorView& begin, const TensorView& size,
             const TensorView& output);
// TRANSPOSE: output axis i is input axis perm[i]; perm is a permutation of [0, rank).
Result<Shape> TransposeShape(const Shape& input, const TensorView& perm);
Status Transpose(const TensorView& input, const TensorView& perm, const TensorView& output);
// PAD and PADV2: paddings [rank, 2] of (before, after) >= 0. The pad value is PADV2's scalar
// constant (same type and quantization as the output), else 0, which for quantized tensors is
// the output's zero point.
Result<Shape> PadShape(const Shape& input, const TensorView& paddings);
Status Pad(const TensorView& input, const TensorView& paddings, const TensorView* constant,
           const TensorView& output);
// GATHER along opt.axis with opt.batch_dims leading batch dimensions shared by params and
// indices (batch_dims <= axis; negative batch_dims count from the indices' rank). Output shape:
// params[:axis] + indices[batch_dims:] + params[axis + 1:]. Indices must lie in [0, size).
Result<Shape> GatherShape(const GatherOptions& opt, const Shape& params, const Shape& indices);
Status CheckGatherIndices(const GatherOptions& opt, const Shape& params, const TensorView& indices);
Status Gather(const GatherOptions& opt, const TensorView& params, const TensorView& indices,
              const TensorView& output);
// GATHER_ND: indices [..., k] pick params[i_0, ..., i_{k-1}, :...]; output shape
// indices[:-1] + params[k:]. Each index must lie in [0, params[j]).
Result<Shape> GatherNdShape(const Shape& params, const Shape& indices);
Status CheckGatherNdIndices(const Shape& params, const TensorView& indices);
Status GatherNd(const TensorView& params, const TensorView& indices, const TensorView& output);
// ARG_MAX along the axis of a one-element tensor, that axis removed; output int32 or int64 as
// opt.output_type says. Ties keep the lowest index (later values must be strictly greater), as
// TensorFlow Lite's kernel; quantized inputs compare stored values.
Result<Shape> ArgMaxShape(const Shape& input, const TensorView& axis);
Status ArgMax(const ArgMaxOptions& opt, const TensorView& input, const TensorView& axis,
              const TensorView& output);
// RESHAPE: the new shape is the shape input when it is a 1-D int32/int64 tensor, else
// opt.new_shape ([0] alone meaning a scalar); one -1 takes the remaining elements.
Result<Shape> ReshapeShape(const ReshapeOptions& opt, const Shape& input, const TensorView* shape);
Status Reshape(const ReshapeOptions& opt, const TensorView& input, const TensorView* shape,
               const TensorView& output);
// EXPAND_DIMS: a dimension of 1 inserted at the axis of a one-element tensor ([-(r+1), r]).
Result<Shape> ExpandDimsShape(const Shape& input, const TensorView& axis);
Status ExpandDims(const TensorView& input, const TensorView& axis, const TensorView& output);
// ---------------------------------------------------------------------------------------------
// Elementwise and activation operators (SUB, MUL, DIV, FLOOR_DIV, MAXIMUM, MINIMUM, SQRT, RSQRT,
// LOGISTIC, TANH, HARD_SWISH, RELU, RELU6, RELU_N1_TO_1, LEAKY_RELU, CAST).
//
// Where Debian's XNNPACK runs a quantized case, the kernel computes XNNPACK's arithmetic (the
// Xnnpack* predicates below say when; ops/ places nodes with the same predicates). Where it
// cannot, the kernel computes TensorFlow Lite's own kernel arithmetic (TFLite of August 2025,
// default build), so that the output matches TFLite's built-in kernels. TFLite's rescaling
// (fixed_point.h) is written QM(r) = QuantizeMultiplier(r) and MBQM(x, QM(r)) =
// MultiplyByQuantizedMultiplier: roughly x * r, rounded twice (ties away from zero). TFLite's
// activation range for a fused activation is [max(tmin, zp + roundf(lo / s)),
// min(tmax, zp + roundf(hi / s))] (ties away from zero), XNNPACK's the one at the top.
//
// * SUB, uint8/int8. XNNPACK (XnnpackTakesAddSub): ADD's rule with b_m negated
//   (b_m = -lrintf(b_s * 2^shift)). Otherwise TFLite: with twice = 2 * max(a_scale, b_scale),
//       x_a = MBQM((a - a_zp) * 2^20, QM(a_scale / twice)),  x_b likewise,
//       out = clamp(MBQM(x_a - x_b, QM(twice / (2^20 * out_scale))) + zp, TFLite range).
// * MUL, uint8/int8. acc = (a - a_zp) * (b - b_zp) in int32; s = a_scale * b_scale / out_scale
//   (float, in this order). XNNPACK (XnnpackTakesMul): out = RequantizeFp32(acc, s), as a
//   convolution (x86's fp32 kernels; Debian's arm64 kernels requantize with rndnu instead).
//   Otherwise TFLite: out = clamp(MBQM(acc, QM(s)) + zp, TFLite range).
// * SUB, MUL on int32 and int64: wrapping integer arithmetic, then the activation's bounds
//   (RELU: [0, max], RELU6: [0, 6], RELU_N1_TO_1: [-1, 1]). Float: in float, then the bounds.
// * DIV: float32 a / b (XNNPACK's divide; a zero divisor gives inf or NaN, then the bounds).
//   int32: truncating division then the bounds; a zero divisor is an error (TFLite's too).
//   uint8/int8 (TFLite): n = a - a_zp, d = b - b_zp (signs moved so that d > 0); with
//   r = Reciprocal(d) (fixed_point.h: Q0.31 1/d', d = d' * 2^k), h = leading sign bits of n,
//   q = SRDHM(n * 2^h, r); out = clamp(RDBPOT(SRDHM(q, m), k + h - shift) + zp, TFLite range)
//   with (m, shift) = QM(a_scale / (b_scale * out_scale)); d = 0 is an error (TFLite rejects a
//   stored 0 in the divisor instead). Where the final shift exceeds 31 (quotients within about
//   one output step of zero) TFLite's shift is undefined, and on x86 it returns the type's
//   minimum or maximum; here the shifted value rounds to 0 as the exact division would.
// * FLOOR_DIV: float32, int32, int16, int8 (plain integers, not quantized):
//   floor((double) a / (double) b) converted to the type; a zero divisor is an error.
// * MAXIMUM, MINIMUM: on the stored values; quantized inputs and output must share one scale
//   and zero point (TFLite's converter guarantees it; the load-time check enforces it).
// * SQRT: float32 sqrtf (XNNPACK). int8 (TFLite): (int) (sqrtf(in_scale * (q - zp)) / out_scale)
//   (truncated) + out_zp, clamped; a negative input is an error. RSQRT: float32 1 / sqrtf(x).
// * LOGISTIC and TANH, uint8/int8: a table of 256 entries, x = in_scale * (float) (q - in_zp).
//   LOGISTIC on XNNPACK (XnnpackTakesLogistic: output scale 1/256, zero point 0 for uint8 and
//   -128 for int8): y = x < 0 ? 1 / (1 + expf(-x)) : 1 - 1 / (1 + expf(x)),
//   q = clamp(lrintf(y * (1 / out_scale)) + out_zp) (ties to even). Otherwise TFLite:
//   y = 1 / (1 + expf(-x)) (LOGISTIC, output scale 1/256 required) or tanhf(x) (TANH),
//   q = clamp((int) roundf(y * (1 / out_scale)) + out_zp) (ties away from zero).
//   Float32: 1 / (1 + expf(-x)) and tanhf(x).
// * HARD_SWISH: float32 x * min(max(x + 3, 0), 6) / 6 (XNNPACK). uint8/int8 (TFLite's
//   reference_ops::HardSwish, 16-bit fixed point): with v = (q - in_zp) * 2^7 and the int16
//   multipliers (round(Q31 / 2^16)) of QM((in_scale / 128) / out_scale) and
//   QM((in_scale / 128) / (3 / 32768)), v_out = SRDHM16(v, out_m); r = v rescaled by the
//   reluish multiplier (saturating shifts, SRDHM16, rounding shift) into [-32768, 32767],
//   r = (r + 2^15) >> 1; out = RDBPOT16(SaturatingDoublingHighMul16(r, v_out), -out_shift) +
//   out_zp, clamped. TFLite requires QM((in_scale / 128) / out_scale) to have shift <= 0.
// * RELU, RELU6, RELU_N1_TO_1: float32 clamp (XNNPACK). uint8/int8 with equal input and output
//   quantization: XNNPACK's clamp, bounds as for fused activations above
//   (XnnpackTakesClamp). Otherwise TFLite: out = clamp(MBQM(q - in_zp, QM(in_s / out_s)) +
//   out_zp, [max(tmin, out_zp + roundf(lo / out_s)), min(tmax, out_zp + roundf(hi / out_s))]).
// * LEAKY_RELU: float32 x < 0 ? alpha * x : x (XNNPACK; sign bit decides). uint8/int8 (TFLite):
//   d = q - in_zp; out = clamp(MBQM(d, d >= 0 ? QM(in_s / out_s) : QM(in_s * alpha / out_s))
//   + out_zp) (the products and quotients of scales in float, as TFLite computes them).
// * CAST between float32, int32, int64, int16, uint8, int8 and bool: value conversion, no
//   quantization (TFLite's CAST ignores it). Float to integer truncates toward zero and
//   saturates at the type's range (TFLite saturates int32, int16 and uint8 and leaves int8 and
//   int64 undefined; NaN gives 0 here, INT32_MAX in TFLite's int32 path). Integer to a narrower
//   integer wraps (C++ conversion). To bool: value != 0; from bool: 0 or 1.

// Whether Debian's XNNPACK creates the quantized node (so the arithmetic above is XNNPACK's):
// positive normal scales, activation bounds lo < hi, and
//   ADD/SUB: a_scale / out_scale and b_scale / out_scale in [2^-10, 2^8);
//   MUL: a_scale * b_scale / out_scale in [2^-16, 2^8);
//   LOGISTIC: output scale 1/256 and zero point 0 (uint8) or -128 (int8);
//   clamp (RELU family): input and output quantization equal.
bool XnnpackTakesAddSub(float a_scale, float b_scale, float out_scale, ActivationRange range);
bool XnnpackTakesMul(float a_scale, float b_scale, float out_scale, ActivationRange range);
bool XnnpackTakesLogistic(DataType type, float out_scale, int32_t out_zero_point);
bool XnnpackTakesClamp(const Quantization& in, const Quantization& out, ActivationRange range);

Status Sub(const AddOptions& opt, const TensorView& a, const TensorView& b,
           const TensorView& output);
Status Mul(const AddOptions& opt, const TensorView& a, const TensorView& b,
           const TensorView& output);
Status Div(const AddOptions& opt, const TensorView& a, const TensorView& b,
           const TensorView& output);
Status FloorDiv(const TensorView& a, const TensorView& b, const TensorView& output);
Status Maximum(const TensorView& a, const TensorView& b, const TensorView& output);
Status Minimum(const TensorView& a, const TensorView& b, const TensorView& output);
Status Sqrt(const TensorView& input, const TensorView& output);
Status Rsqrt(const TensorView& input, const TensorView& output);
Status Logistic(const TensorView& input, const TensorView& output);
Status Tanh(const TensorView& input, const TensorView& output);
Status HardSwish(const TensorView& input, const TensorView& output);
// Whether TFLite's quantized HARD_SWISH takes these scales (its multiplier shift <= 0: about
// input_scale / output_scale < 128).
bool HardSwishScalesSupported(float input_scale, float output_scale);
// RELU, RELU6 and RELU_N1_TO_1 as operators: `act` is kRelu, kRelu6 or kReluN1To1.
Status Relu(Activation act, const TensorView& input, const TensorView& output);
Status LeakyRelu(const LeakyReluOptions& opt, const TensorView& input, const TensorView& output);
Status Cast(const TensorView& input, const TensorView& output);
// ---------------------------------------------------------------------------------------------
// Spatial operators: pooling windows and resizing (issue 8).
//
// * MAX_POOL_2D (float32, uint8, int8). The largest in-bounds value of each window (padding is
//   never read), clamped to the activation bounds (quantized bounds as above). Quantized input
//   and output share scale and zero point, as both XNNPACK and TFLite require. This is what
//   XNNPACK's max pooling computes.
// * AVERAGE_POOL_2D. Float32 divides the in-bounds sum by the in-bounds count (XNNPACK's float
//   average pooling, which runs the non-global float case, agrees within float rounding).
//   Quantized (uint8, int8), not global: TFLite's integer kernels (reference_ops and
//   integer_ops AveragePool, the same in its optimized kernels): on the raw values,
//       avg = (sum + count / 2) / count   for sum >= 0,   (sum - count / 2) / count otherwise
//   (integer division, so halves round away from zero), then clamped to the activation bounds.
//   XNNPACK's subgraph API has no quantized windowed pool, and a depthwise convolution with 1/k^2
//   weights is no general stand-in: it rounds (sum - count * zp) * (1/k^2) to nearest even in
//   float, where TFLite rounds halves of the raw sum away from zero (they differ on every tie,
//   which even window areas produce), and it divides border windows of SAME padding by k^2, not
//   by their in-bounds count. It would be exact for VALID windows of odd area only (no ties, no
//   border windows), which is not worth a second path. A global quantized pool is a MEAN (see
//   MeanHW).
// * RESIZE_BILINEAR (float32, uint8, int8), XNNPACK's arithmetic (static_resize_bilinear_2d,
//   Debian's 2022-02 snapshot: indirection init and ibilinear microkernels). Per axis, with
//   in, out the input and output sizes:
//       scale = (float) in / (float) out, or with align_corners and out > 1
//       scale = (float) (in - 1) / (float) (out - 1)
//     align_corners, or neither flag (TFLite's legacy mode):  src = (float) o * scale
//     half_pixel_centers:  src = (float) o * scale + (0.5f * scale - 0.5f), clamped to
//                          [0, in - 1]; in float, the product and the sum rounded separately on
//                          x86-64, one fused multiply-add on arm64 (what Debian's builds of
//                          XNNPACK compute: its arm64 library uses fmadd there)
//     i0 = (int) src,  i1 = min(i0 + 1, in - 1),  alpha = src - (float) i0
//   Float: t = tl + (tr - tl) * ah;  b = bl + (br - bl) * ah;  out = t + (b - t) * av.
//   Quantized: the weights are 11-bit fixed point, a = lrintf(alpha * 2048) (0..2048), and in
//   int32 on the raw values
//       t = (tl << 11) + (tr - tl) * ah;  b = (bl << 11) + (br - bl) * ah
//       acc = (t << 11) + (b - t) * av;   out = (acc + 2^21) >> 22   (arithmetic shift)
//   Input and output share scale and zero point (XNNPACK rejects anything else). TFLite rejects
//   align_corners together with half_pixel_centers, and so does coralpi.
// * RESIZE_NEAREST_NEIGHBOR (float32, uint8, int8, elements copied as they are), TFLite's
//   kernels (XNNPACK has none). Per axis, in float (TFLite's reference kernel):
//       scale = (float) in / (float) out, or (float) (in - 1) / (float) (out - 1) with
//       align_corners and out > 1;  offset = 0.5f with half_pixel_centers, else 0
//       src = min(align_corners ? round((o + offset) * scale) : floor((o + offset) * scale),
//                 in - 1)                                (round: half away from zero)
//       and max(src, 0) with half_pixel_centers.
//   Except uint8 with neither flag, which TFLite runs on its optimized kernel, in 16.16 fixed
//   point:  scale = (in << 16) / out + 1 (integer division),  src = min((o * scale) >> 16, in - 1).
//   The two differ where the float product falls just below an integer (26 -> 22, column 11).
//   Checked against TensorFlow Lite's C library (built-in kernels) on 1300 random cases.
// ---------------------------------------------------------------------------------------------

// MAX_POOL_2D (see above).
Status MaxPool2D(const Pool2DOptions& opt, const TensorView& input, const TensorView& output);
// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR of an NHWC tensor to the output's height and width
// (see above).
Status ResizeBilinear(const ResizeOptions& opt, const TensorView& input, const TensorView& output);
Status ResizeNearestNeighbor(const ResizeOptions& opt, const TensorView& input,
                             const TensorView& output);

}  // namespace coralpi::reference
