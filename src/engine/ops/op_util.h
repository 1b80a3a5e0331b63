// Small helpers shared by the operator entries in ops/: load-time checks with clear messages.
#pragma once

#include <initializer_list>
#include <string>

#include "core/result.h"
#include "engine/reference/reference.h"
#include "engine/tensor_view.h"
#include "engine/xnnpack/subgraph_builder.h"
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
// Dynamic-range ("hybrid") nodes are accepted too (IsHybrid): float32 input and output, int8
// weights with scales (per tensor or along `channel_axis`) and zero points 0, float32 bias.
Status CheckWeightedOp(const OperatorInfo& op, const Subgraph& g, size_t weight_rank,
                       int channel_axis);
// Whether a conv-like node is dynamic-range quantized: float32 input, int8 weights
// (reference/hybrid.h says what it computes).
bool IsHybrid(DataType input, DataType weights);
// Why XNNPACK does not run a hybrid node, for the entries' xnn_rejection.
std::string HybridXnnRejection(const OperatorInfo& op, const Subgraph& g);

// An XNNPACK window with explicit paddings, by TFLite's rule. XNNPACK's own SAME-padding flag
// computes a negative total padding (wrapped to a huge unsigned) when the kernel is smaller than
// the stride, so coralpi always passes the paddings itself.
xnnpack::Window XnnWindow(Padding padding, const Shape& input, int32_t kernel_h, int32_t kernel_w,
                          int32_t stride_h, int32_t stride_w, int32_t dilation_h,
                          int32_t dilation_w);

// XNNPACK's requantization limits for a conv-like node: input_scale * filter_scale / output_scale
// must lie in [2^-32, 256) for every channel.
bool XnnConvScaleOk(const TensorInfo& in, const TensorInfo& filter, const TensorInfo& out);

// The numpy broadcast of two shapes, up to 4 dimensions (ADD, SUB, MUL, DIV, ...).
Result<Shape> BroadcastShape(const Shape& a, const Shape& b);
// The checks the binary elementwise operators share: two inputs and one output of one type
// from `types`, per-tensor quantization, the output shape the inputs' broadcast, and (when
// `activation` is given) a fused activation the kernels implement.
Status CheckBinaryElementwise(const OperatorInfo& op, const Subgraph& g,
                              std::initializer_list<DataType> types,
                              const Activation* activation = nullptr);
// The unary operators': one input and one output of one type from `types`, of one shape,
// per-tensor quantization.
Status CheckUnary(const OperatorInfo& op, const Subgraph& g, std::initializer_list<DataType> types);

// An entry's xnn_supports made from its xnn_rejection: XNNPACK takes the node when there is no
// reason against it.
template <std::string (*Rejection)(const OperatorInfo&, const Subgraph&)>
bool XnnTakes(const OperatorInfo& op, const Subgraph& g) {
  return Rejection(op, g).empty();
}
// Adds a binary arithmetic node with AddOptions (ADD, SUB, MUL, DIV): inputs 0 and 1, output 0,
// the options' fused activation.
Status DefineXnnBinary(xnnpack::SubgraphBuilder& b, const OperatorInfo& op, xnnpack::BinaryOp kind);

// Adds a node of one input and one output without parameters (sigmoid, hardswish, square root).
Status DefineXnnUnary(xnnpack::SubgraphBuilder& b, const OperatorInfo& op, xnnpack::UnaryOp kind);

// Why XNNPACK does not take a binary arithmetic node (ADD, SUB, MUL) whose options are
// AddOptions: "" for float32; for uint8/int8 "" when `takes` (a reference::XnnpackTakes*
// predicate) accepts its scales and activation bounds, else a reason naming `limits`; other
// types have no XNNPACK arithmetic.
std::string XnnBinaryRejection(const OperatorInfo& op, const Subgraph& g,
                               bool (*takes)(float, float, float, reference::ActivationRange),
                               const char* limits);

}  // namespace coralpi::ops

// ---- Helpers of the data-movement and index operators ----
namespace coralpi::ops {

// A view of a constant tensor, to evaluate the reference kernels' *Shape functions (and index
// checks) on constant index inputs when the model is loaded.
TensorView ConstantView(const TensorInfo& t);
// Whether every listed input is present and constant.
bool AllConstant(const OperatorInfo& op, const Subgraph& g, std::initializer_list<size_t> inputs);
// A type the data-movement operators move as bytes: float32, uint8, int8, int16, int32, int64,
// bool; quantized types with per-tensor parameters.
Status ExpectMovable(const TensorInfo& t, const char* role);
// int32 or int64.
Status ExpectIndexType(const TensorInfo& t, const char* role);
// Same type as `like` and, for quantized types, the same scale and zero point.
Status ExpectSameKind(const TensorInfo& t, const TensorInfo& like, const char* role);
// A reference kernel's result as a load-time error, without the operator name the engine adds
// anyway ("STRIDED_SLICE: stride 0 is 0" becomes "stride 0 is 0"): the kernels name themselves
// with MakeError(op, what), which Error keeps apart as `where`.
Error FromKernel(const Error& e);
// `shape`, computed by a reference *Shape function, must be the output's declared shape.
Status ExpectComputedShape(const TensorInfo& out, const Result<Shape>& shape, const char* role);
// Operators that do not requantize (pooling windows, resizing): quantized input and output
// share scale and zero point. `what` names the operator in the error.
Status ExpectSameQuantization(const TensorInfo& in, const TensorInfo& out, const std::string& what);

}  // namespace coralpi::ops
