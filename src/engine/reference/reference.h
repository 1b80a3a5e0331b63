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

}  // namespace coralpi::reference
