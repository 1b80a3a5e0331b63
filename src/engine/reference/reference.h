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

}  // namespace coralpi::reference
