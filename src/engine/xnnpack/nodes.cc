// SubgraphBuilder's nodes: each operator kind as its XNNPACK call. The calls both XNNPACK versions
// share are made here; the rest go through api.h.
#include <xnnpack.h>

#include <algorithm>
#include <string>

#include "engine/reference/reference.h"
#include "engine/xnnpack/api.h"
#include "engine/xnnpack/subgraph_builder.h"

namespace coralpi::xnnpack {
namespace {

// The real bounds of a fused activation, the same the reference kernels use; XNNPACK quantizes
// them itself.
struct Bounds {
  float lo, hi;
};
Bounds BoundsOf(Activation act) {
  Bounds b;
  reference::FloatActivationRange(act, &b.lo, &b.hi);
  return b;
}

}  // namespace

Status SubgraphBuilder::Binary(BinaryOp op, Activation act, uint32_t a, uint32_t b, uint32_t out) {
  const Bounds bounds = BoundsOf(act);
  return Check(api::DefineBinary(subgraph_, op, bounds.lo, bounds.hi, a, b, out));
}

Status SubgraphBuilder::Unary(UnaryOp op, uint32_t in, uint32_t out) {
  return Check(api::DefineUnary(subgraph_, op, in, out));
}

Status SubgraphBuilder::Clamp(Activation act, uint32_t in, uint32_t out) {
  const Bounds bounds = BoundsOf(act);
  return Check(api::DefineClamp(subgraph_, bounds.lo, bounds.hi, in, out));
}

Status SubgraphBuilder::LeakyRelu(float alpha, uint32_t in, uint32_t out) {
  return Check(api::DefineLeakyRelu(subgraph_, alpha, in, out));
}

Status SubgraphBuilder::Convolution(const Window& w, size_t in_channels, size_t out_channels,
                                    Activation act, uint32_t in, uint32_t weights, uint32_t bias,
                                    uint32_t out) {
  const Bounds b = BoundsOf(act);
  return Check({xnn_define_convolution_2d(subgraph_, w.top, w.right, w.bottom, w.left, w.height,
                                          w.width, w.stride_h, w.stride_w, w.dilation_h,
                                          w.dilation_w, 1, in_channels, out_channels, b.lo, b.hi,
                                          in, weights, bias, out, 0),
                "xnn_define_convolution_2d"});
}

Status SubgraphBuilder::DepthwiseConvolution(const Window& w, uint32_t multiplier,
                                             size_t in_channels, Activation act, uint32_t in,
                                             uint32_t weights, uint32_t bias, uint32_t out) {
  const Bounds b = BoundsOf(act);
  return Check({xnn_define_depthwise_convolution_2d(
                    subgraph_, w.top, w.right, w.bottom, w.left, w.height, w.width, w.stride_h,
                    w.stride_w, w.dilation_h, w.dilation_w, multiplier, in_channels, b.lo, b.hi,
                    in, weights, bias, out, 0),
                "xnn_define_depthwise_convolution_2d"});
}

Status SubgraphBuilder::FullyConnected(Activation act, bool flatten, uint32_t in, uint32_t weights,
                                       uint32_t bias, uint32_t out) {
  const Bounds b = BoundsOf(act);
  const uint32_t flags = flatten ? XNN_FLAG_TENSORFLOW_RESHAPE_2D : 0;
  return Check({xnn_define_fully_connected(subgraph_, b.lo, b.hi, in, weights, bias, out, flags),
                "xnn_define_fully_connected"});
}

Status SubgraphBuilder::GlobalAveragePool(uint32_t in, uint32_t out) {
  return Check(api::DefineGlobalAveragePool(subgraph_, in, out));
}

Status SubgraphBuilder::AveragePool(const Window& w, Activation act, uint32_t in, uint32_t out) {
  const Bounds b = BoundsOf(act);
  return Check({xnn_define_average_pooling_2d(subgraph_, w.top, w.right, w.bottom, w.left,
                                              w.height, w.width, w.stride_h, w.stride_w, b.lo,
                                              b.hi, in, out, 0),
                "xnn_define_average_pooling_2d"});
}

Status SubgraphBuilder::MaxPool(const Window& w, Activation act, uint32_t in, uint32_t out) {
  const Bounds b = BoundsOf(act);
  return Check({xnn_define_max_pooling_2d(subgraph_, w.top, w.right, w.bottom, w.left, w.height,
                                          w.width, w.stride_h, w.stride_w, w.dilation_h,
                                          w.dilation_w, b.lo, b.hi, in, out, 0),
                "xnn_define_max_pooling_2d"});
}

Status SubgraphBuilder::Reshape(std::span<const size_t> dims, uint32_t in, uint32_t out) {
  return Check({xnn_define_static_reshape(subgraph_, dims.size(), dims.data(), in, out, 0),
                "xnn_define_static_reshape"});
}

Status SubgraphBuilder::ResizeBilinear(size_t height, size_t width, ResizeMode mode, uint32_t in,
                                       uint32_t out) {
  const uint32_t flags = mode == ResizeMode::kAlignCorners ? XNN_FLAG_ALIGN_CORNERS
                         : mode == ResizeMode::kLegacy     ? XNN_FLAG_TENSORFLOW_LEGACY_MODE
                                                           : 0;
  return Check({xnn_define_static_resize_bilinear_2d(subgraph_, height, width, in, out, flags),
                "xnn_define_static_resize_bilinear_2d"});
}

Status SubgraphBuilder::ConstantPad(std::span<const size_t> before, std::span<const size_t> after,
                                    float value, uint32_t in, uint32_t out) {
  if (before.size() > kMaxDims || after.size() != before.size()) {
    return Error{"XNNPACK pads up to " + std::to_string(kMaxDims) + " dimensions"};
  }
  size_t pre[XNN_MAX_TENSOR_DIMS] = {}, post[XNN_MAX_TENSOR_DIMS] = {};
  std::copy(before.begin(), before.end(), pre);
  std::copy(after.begin(), after.end(), post);
  return Check({xnn_define_static_constant_pad(subgraph_, pre, post, value, in, out, 0),
                "xnn_define_static_constant_pad"});
}

}  // namespace coralpi::xnnpack
