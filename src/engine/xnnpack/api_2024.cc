// api.h for Debian 13's XNNPACK (0.0~git20241108), where the per-operator define calls of 2022
// are deprecated: binary and unary operators go through xnn_define_binary / xnn_define_unary,
// the global average through xnn_define_static_reduce (a mean over height and width), and a
// runtime is planned with xnn_reshape_runtime before xnn_setup_runtime_v2 binds its values (the
// old xnn_setup_runtime, documented as deprecated, failed with "invalid parameter" on whole
// MobileNets here).
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/xnnpack/api.h"
#include "engine/xnnpack/version.h"

namespace coralpi::xnnpack {

const char* ApiName() { return "2024"; }

// xnn_define_max_pooling_2d returns xnn_status_invalid_parameter for a stride above the window
// in either dimension (the 2022 version pooled such windows, skipping the rows between them).
std::string MaxPoolRefusal(const Window& w) {
  if (w.stride_h <= w.height && w.stride_w <= w.width) return "";
  return "this XNNPACK (2024) refuses a max pooling stride larger than the window";
}

namespace api {
namespace {

xnn_binary_operator BinaryType(BinaryOp op) {
  switch (op) {
    case BinaryOp::kAdd:
      return xnn_binary_add;
    case BinaryOp::kSubtract:
      return xnn_binary_subtract;
    case BinaryOp::kMultiply:
      return xnn_binary_multiply;
    case BinaryOp::kDivide:
      return xnn_binary_divide;
    case BinaryOp::kMaximum:
      return xnn_binary_maximum;
    case BinaryOp::kMinimum:
      return xnn_binary_minimum;
  }
  return xnn_binary_invalid;
}

xnn_unary_operator UnaryType(UnaryOp op) {
  switch (op) {
    case UnaryOp::kSigmoid:
      return xnn_unary_sigmoid;
    case UnaryOp::kHardSwish:
      return xnn_unary_hardswish;
    case UnaryOp::kSquareRoot:
      return xnn_unary_square_root;
  }
  return xnn_unary_invalid;
}

}  // namespace

Call DefineBinary(xnn_subgraph_t sg, BinaryOp op, float lo, float hi, uint32_t a, uint32_t b,
                  uint32_t out) {
  const xnn_binary_params params = {lo, hi};
  return {xnn_define_binary(sg, BinaryType(op), &params, a, b, out, 0), "xnn_define_binary"};
}

Call DefineUnary(xnn_subgraph_t sg, UnaryOp op, uint32_t in, uint32_t out) {
  return {xnn_define_unary(sg, UnaryType(op), nullptr, in, out, 0), "xnn_define_unary"};
}

Call DefineClamp(xnn_subgraph_t sg, float lo, float hi, uint32_t in, uint32_t out) {
  xnn_unary_params params;
  params.clamp.min = lo;
  params.clamp.max = hi;
  return {xnn_define_unary(sg, xnn_unary_clamp, &params, in, out, 0), "xnn_define_unary (clamp)"};
}

Call DefineLeakyRelu(xnn_subgraph_t sg, float alpha, uint32_t in, uint32_t out) {
  xnn_unary_params params;
  params.leaky_relu.negative_slope = alpha;
  return {xnn_define_unary(sg, xnn_unary_leaky_relu, &params, in, out, 0),
          "xnn_define_unary (leaky relu)"};
}

Call DefineGlobalAveragePool(xnn_subgraph_t sg, uint32_t in, uint32_t out) {
  const size_t axes[] = {1, 2};
  return {xnn_define_static_reduce(sg, xnn_reduce_mean, 2, axes, in, out, XNN_FLAG_KEEP_DIMS),
          "xnn_define_static_reduce (mean)"};
}

Call SetupRuntime(xnn_runtime_t runtime, size_t count, const xnn_external_value* values) {
  const xnn_status reshaped = xnn_reshape_runtime(runtime);
  if (reshaped != xnn_status_success) return {reshaped, "xnn_reshape_runtime"};
  return {xnn_setup_runtime_v2(runtime, count, values), "xnn_setup_runtime_v2"};
}

}  // namespace api
}  // namespace coralpi::xnnpack
