// Dynamic-range ("hybrid") CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED: float32 input and
// output, a constant symmetric int8 filter (zero point 0, one scale or one per output channel),
// optional float32 bias. The float input is quantized to int8 at run time; the products
// accumulate in int32; each output is (float) acc * input_scale * filter_scale[c] + bias[c],
// clamped to the fused activation.
//
// What TensorFlow Lite computes for these models as deployed (its XNNPACK delegate, on by default
// in benchmark_model and the Python interpreter; TensorFlow master of August 2025, XNNPACK
// dc684a50):
// * CONV_2D and FULLY_CONNECTED run on XNNPACK's dynamically quantized kernels (the delegate's
//   "dynamically_quantized" path: a convert node to qdint8, then a qcint8-filter node).
//   XnnpackRowQuant is XNNPACK's rule: per row [rmin, rmax] = [min(0, min x), max(0, max x)],
//   inverse scale 255 / (rmax - rmin) (1 when equal), zero point nudged to [-128, 127],
//   q = clamp(round-half-even(x * inverse scale) + zero point), dequantizing scale
//   1 / inverse scale. A row is one image of a CONV_2D, except for a 1x1 CONV_2D with stride 1
//   and in + out channels > 2, which XNNPACK turns into a fully connected node: then, as for
//   FULLY_CONNECTED, a row is one pixel (one input vector). The output is
//   ((float) acc * input_scale) * filter_scale[c] + bias[c].
// * DEPTHWISE_CONV_2D stays on TensorFlow Lite's own kernel (the delegate refuses mixed types):
//   TfliteBatchQuant (tensor_utils::AsymmetricQuantizeFloats: scale (rmax - rmin) / 255 and the
//   zero point in double, q = round-half-away(zp + x / scale) in float) per image, and
//   (float) acc * (filter_scale[c] * input_scale) + bias[c].
#pragma once

#include <cstdint>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "model/types.h"

namespace coralpi::reference {

// real = scale * (q - zero_point)
struct DynamicQuant {
  float scale = 1.0f;
  int32_t zero_point = 0;
};

// Quantizes x[0, n) to out with XNNPACK's per-row rule (above); returns its parameters.
DynamicQuant XnnpackRowQuant(const float* x, int64_t n, int8_t* out);
// The same with TensorFlow Lite's AsymmetricQuantizeFloats (above).
DynamicQuant TfliteBatchQuant(const float* x, int64_t n, int8_t* out);

// Whether XNNPACK quantizes a hybrid CONV_2D's input per pixel (a 1x1, stride 1 convolution it
// runs as fully connected) rather than per image.
bool HybridConvQuantizesPerPixel(int32_t filter_h, int32_t filter_w, int32_t stride_h,
                                 int32_t stride_w, int32_t in_c, int32_t out_c);

Status HybridConv2D(const Conv2DOptions& opt, const TensorView& input, const TensorView& filter,
                    const TensorView* bias, const TensorView& output);
Status HybridDepthwiseConv2D(const DepthwiseConv2DOptions& opt, const TensorView& input,
                             const TensorView& filter, const TensorView* bias,
                             const TensorView& output);
Status HybridFullyConnected(const FullyConnectedOptions& opt, const TensorView& input,
                            const TensorView& weights, const TensorView* bias,
                            const TensorView& output);

}  // namespace coralpi::reference

namespace coralpi::reference {

// The input side of a dynamic-range node as its own step: each row of `row_length` values of
// `input` quantized by XnnpackRowQuant and written back dequantized, (q - zero point) * scale, to
// `output` (float32, same shape). A float convolution over that and the dequantized weights
// computes what the integer kernels above compute, up to float rounding. Rows are split over the
// lent pool (parallel.h).
Status DynamicFakeQuantize(const TensorView& input, const TensorView& output, int64_t row_length);

}  // namespace coralpi::reference
