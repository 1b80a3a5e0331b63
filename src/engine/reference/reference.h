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

}  // namespace coralpi::reference
