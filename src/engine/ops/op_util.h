// Small helpers shared by the operator entries in ops/: load-time checks with clear messages.
#pragma once

#include <initializer_list>
#include <string>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "model/model.h"

namespace coralpi::ops {

// Input i of the node (must exist; checks run ExpectArity first).
const TensorInfo& Input(const OperatorInfo& op, const Subgraph& g, size_t i);
const TensorInfo& Output(const OperatorInfo& op, const Subgraph& g, size_t i);
bool HasInput(const OperatorInfo& op, size_t i);

Status ExpectArity(const OperatorInfo& op, size_t min_inputs, size_t max_inputs, size_t outputs);
Status ExpectType(const TensorInfo& t, std::initializer_list<DataType> types, const char* role);
Status ExpectRank(const TensorInfo& t, size_t rank, const char* role);
Status ExpectConstant(const TensorInfo& t, const char* role);
// Quantized types need quantization parameters; per-tensor unless per_channel_ok.
Status ExpectQuantization(const TensorInfo& t, const char* role, bool per_channel_ok = false);
Status ExpectShape(const TensorInfo& t, const Shape& shape, const char* role);
bool IsQuantized(DataType t);

// The reference kernel's optional bias argument: null when omitted.
inline const TensorView* OptionalView(std::span<const TensorView> views, size_t i) {
  return i < views.size() && views[i].data ? &views[i] : nullptr;
}

// The checks CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED share: 2 or 3 inputs and one
// output of one element type (float32, uint8, int8), a constant weight tensor of
// `weight_rank` (per-channel int8 only along `channel_axis`), and an optional constant bias
// (float32 or int32) with one value per output channel (the weights' `channel_axis` size).
Status CheckWeightedOp(const OperatorInfo& op, const Subgraph& g, size_t weight_rank,
                       int channel_axis);

// XNNPACK's requantization limits for a conv-like node: input_scale * filter_scale / output_scale
// must lie in [2^-32, 256) for every channel.
// Explicit paddings for XNNPACK, by TFLite's rule. XNNPACK's own SAME-padding flag computes a
// negative total padding (wrapped to a huge unsigned) when the kernel is smaller than the
// stride, so coralpi always passes the paddings itself.
struct XnnPadding {
  uint32_t top = 0, right = 0, bottom = 0, left = 0;
};
XnnPadding ComputeXnnPadding(Padding padding, const Shape& input, int32_t kernel_h,
                             int32_t kernel_w, int32_t stride_h, int32_t stride_w,
                             int32_t dilation_h, int32_t dilation_w);

bool XnnConvScaleOk(const TensorInfo& in, const TensorInfo& filter, const TensorInfo& out);

// Operators that do not requantize (pooling windows, resizing): quantized input and output
// share scale and zero point. `what` names the operator in the error.
Status ExpectSameQuantization(const TensorInfo& in, const TensorInfo& out, const std::string& what);

}  // namespace coralpi::ops
