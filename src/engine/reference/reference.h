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
