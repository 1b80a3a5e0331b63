// api.h for Debian 12's XNNPACK (0.0~git20220216): one define call per operator, and
// xnn_setup_runtime, which plans the runtime's memory and binds the external values at once.
#include <cmath>
#include <string>

#include "engine/xnnpack/api.h"
#include "engine/xnnpack/version.h"

namespace coralpi::xnnpack {

const char* ApiName() { return "2022"; }

std::string MaxPoolRefusal(const Window&) { return ""; }

namespace api {

Call DefineBinary(xnn_subgraph_t sg, BinaryOp op, float lo, float hi, uint32_t a, uint32_t b,
                  uint32_t out) {
  switch (op) {
    case BinaryOp::kAdd:
      return {xnn_define_add2(sg, lo, hi, a, b, out, 0), "xnn_define_add2"};
    case BinaryOp::kSubtract:
      return {xnn_define_subtract(sg, lo, hi, a, b, out, 0), "xnn_define_subtract"};
    case BinaryOp::kMultiply:
      return {xnn_define_multiply2(sg, lo, hi, a, b, out, 0), "xnn_define_multiply2"};
    case BinaryOp::kDivide:
      return {xnn_define_divide(sg, lo, hi, a, b, out, 0), "xnn_define_divide"};
    case BinaryOp::kMaximum:
      return {xnn_define_maximum2(sg, a, b, out, 0), "xnn_define_maximum2"};
    case BinaryOp::kMinimum:
      return {xnn_define_minimum2(sg, a, b, out, 0), "xnn_define_minimum2"};
  }
  return {xnn_status_invalid_parameter, "binary operator"};
}

Call DefineUnary(xnn_subgraph_t sg, UnaryOp op, uint32_t in, uint32_t out) {
  switch (op) {
    case UnaryOp::kSigmoid:
      return {xnn_define_sigmoid(sg, in, out, 0), "xnn_define_sigmoid"};
    case UnaryOp::kHardSwish:
      return {xnn_define_hardswish(sg, in, out, 0), "xnn_define_hardswish"};
    case UnaryOp::kSquareRoot:
      return {xnn_define_square_root(sg, in, out, 0), "xnn_define_square_root"};
  }
  return {xnn_status_invalid_parameter, "unary operator"};
}

Call DefineClamp(xnn_subgraph_t sg, float lo, float hi, uint32_t in, uint32_t out) {
  return {xnn_define_clamp(sg, lo, hi, in, out, 0), "xnn_define_clamp"};
}

Call DefineLeakyRelu(xnn_subgraph_t sg, float alpha, uint32_t in, uint32_t out) {
  return {xnn_define_leaky_relu(sg, alpha, in, out, 0), "xnn_define_leaky_relu"};
}

Call DefineGlobalAveragePool(xnn_subgraph_t sg, uint32_t in, uint32_t out) {
  return {xnn_define_global_average_pooling_2d(sg, -INFINITY, INFINITY, in, out, 0),
          "xnn_define_global_average_pooling_2d"};
}

Call SetupRuntime(xnn_runtime_t runtime, size_t count, const xnn_external_value* values) {
  return {xnn_setup_runtime(runtime, count, values), "xnn_setup_runtime"};
}

}  // namespace api
}  // namespace coralpi::xnnpack
