// SubgraphBuilder: turns a run of model operators into one XNNPACK subgraph.
//
// It is the only way the operator entries (ops/) reach XNNPACK: they ask it for the value of a
// tensor and add nodes through one call per operator kind (Binary, Convolution, ...), in the
// engine's own terms (activations, windows), so that no file outside engine/xnnpack names an
// XNNPACK symbol. It defines each tensor as an XNNPACK value the first time a node uses it:
// constants with their data (the model's bytes stay alive as long as the engine), boundary tensors
// (the segment's inputs and outputs) as external values, everything else as internal values that
// XNNPACK plans itself. Which XNNPACK call a node kind becomes depends on the library's version
// (api.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <span>
#include <vector>

#include "core/result.h"
#include "model/model.h"

struct xnn_subgraph;

namespace coralpi::xnnpack {

// The value id of an omitted optional input (a convolution without bias).
inline constexpr uint32_t kNoValue = UINT32_MAX;
// The most dimensions an XNNPACK value has.
inline constexpr size_t kMaxDims = 6;

enum class BinaryOp { kAdd, kSubtract, kMultiply, kDivide, kMaximum, kMinimum };
enum class UnaryOp { kSigmoid, kHardSwish, kSquareRoot };
// How RESIZE_BILINEAR maps output pixels to input pixels (TFLite's two flags).
enum class ResizeMode { kAlignCorners, kHalfPixelCenters, kLegacy };

// A 2-D window (convolution or pooling) with explicit paddings.
struct Window {
  uint32_t top = 0, right = 0, bottom = 0, left = 0;
  uint32_t height = 1, width = 1;
  uint32_t stride_h = 1, stride_w = 1;
  uint32_t dilation_h = 1, dilation_w = 1;
};

class SubgraphBuilder {
 public:
  // `external` lists the tensors that cross the segment boundary; each gets external id = its
  // position in the list.
  SubgraphBuilder(const Subgraph& graph, std::vector<int32_t> external,
                  std::set<int32_t> segment_outputs);
  ~SubgraphBuilder();
  SubgraphBuilder(const SubgraphBuilder&) = delete;
  SubgraphBuilder& operator=(const SubgraphBuilder&) = delete;

  Status Init();
  const Subgraph& graph() const { return graph_; }
  const TensorInfo& tensor(int32_t index) const {
    return graph_.tensors[static_cast<size_t>(index)];
  }
  const std::vector<int32_t>& external() const { return external_; }

  // The XNNPACK value id of a tensor, defining it on first use with the tensor's own shape,
  // or with `dims` when given (same element count; e.g. [N,C] seen as [N,1,1,C]).
  Result<uint32_t> Value(int32_t tensor_index, const std::vector<size_t>* dims = nullptr);
  // kNoValue for an omitted optional input (-1).
  Result<uint32_t> OptionalValue(int32_t tensor_index);

  // ---- Nodes, one call per operator kind; `act` is the fused activation ----
  Status Binary(BinaryOp op, Activation act, uint32_t a, uint32_t b, uint32_t out);
  Status Unary(UnaryOp op, uint32_t in, uint32_t out);
  Status Clamp(Activation act, uint32_t in, uint32_t out);
  Status LeakyRelu(float alpha, uint32_t in, uint32_t out);
  Status Convolution(const Window& w, size_t in_channels, size_t out_channels, Activation act,
                     uint32_t in, uint32_t weights, uint32_t bias, uint32_t out);
  Status DepthwiseConvolution(const Window& w, uint32_t multiplier, size_t in_channels,
                              Activation act, uint32_t in, uint32_t weights, uint32_t bias,
                              uint32_t out);
  // `flatten`: the input is seen as [batch, inputs] and the output as [batch, outputs], whatever
  // their ranks (TFLite's FULLY_CONNECTED without keep_num_dims).
  Status FullyConnected(Activation act, bool flatten, uint32_t in, uint32_t weights, uint32_t bias,
                        uint32_t out);
  // The mean over height and width of an NHWC tensor; `out` is [N, 1, 1, C].
  Status GlobalAveragePool(uint32_t in, uint32_t out);
  Status AveragePool(const Window& w, Activation act, uint32_t in, uint32_t out);
  Status MaxPool(const Window& w, Activation act, uint32_t in, uint32_t out);
  Status Reshape(std::span<const size_t> dims, uint32_t in, uint32_t out);
  Status ResizeBilinear(size_t height, size_t width, ResizeMode mode, uint32_t in, uint32_t out);
  // Pads each dimension d with before[d] and after[d] elements of `value` (a real value).
  Status ConstantPad(std::span<const size_t> before, std::span<const size_t> after, float value,
                     uint32_t in, uint32_t out);

  // Hands the subgraph over (to Runtime::Create); the builder no longer deletes it.
  xnn_subgraph* Release();

 private:
  const Subgraph& graph_;
  std::vector<int32_t> external_;
  std::set<int32_t> segment_outputs_;
  std::map<int32_t, uint32_t> ids_;
  xnn_subgraph* subgraph_ = nullptr;
};

}  // namespace coralpi::xnnpack
