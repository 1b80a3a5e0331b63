// RELU, RELU6 and RELU_N1_TO_1 as operators, and LEAKY_RELU. Float32 and quantized tensors
// whose input and output share a quantization are a clamp (what XNNPACK runs); quantized tensors
// that change quantization are rescaled with TensorFlow Lite's fixed-point multipliers.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/reference/fixed_point.h"
#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

const char* ReluName(Activation act) {
  switch (act) {
    case Activation::kRelu:
      return "RELU";
    case Activation::kRelu6:
      return "RELU6";
    default:
      return "RELU_N1_TO_1";
  }
}

// f(stored value) -> int32 result, clamped and stored, for uint8 or int8.
template <typename F>
void MapQuantized(const TensorView& input, const TensorView& output, ActivationRange range, F f) {
  auto g = [&](auto q) { return static_cast<decltype(q)>(std::clamp(f(q), range.lo, range.hi)); };
  if (output.type == DataType::kUInt8) {
    internal::Map<uint8_t>(input, output, g);
  } else {
    internal::Map<int8_t>(input, output, g);
  }
}

}  // namespace

bool XnnpackTakesClamp(const Quantization& in, const Quantization& out, ActivationRange range) {
  return in.scale == out.scale && in.zero_point == out.zero_point && range.lo < range.hi;
}

Status Relu(Activation act, const TensorView& input, const TensorView& output) {
  if (act != Activation::kRelu && act != Activation::kRelu6 && act != Activation::kReluN1To1) {
    return MakeError("RELU", std::string("unsupported bounds ") + ActivationName(act));
  }
  const char* op = ReluName(act);
  CORALPI_RETURN_IF_ERROR(internal::CheckFloatOrQuantizedUnary(op, input, output));
  if (output.type == DataType::kFloat32) {
    float lo = 0, hi = 0;
    FloatActivationRange(act, &lo, &hi);
    internal::Map<float>(input, output, [&](float x) { return std::min(std::max(x, lo), hi); });
    return OkStatus();
  }
  const float out_scale = output.scale();
  const int32_t in_zp = input.zero_point(), out_zp = output.zero_point();
  const ActivationRange xnn_range = QuantizedActivationRange(act, output.type, out_scale, out_zp);
  if (XnnpackTakesClamp(*input.quant, *output.quant, xnn_range)) {
    MapQuantized(input, output, xnn_range, [](int32_t q) { return q; });
    return OkStatus();
  }
  const internal::FixedMultiplier m = internal::QuantizeMultiplier(input.scale() / out_scale);
  MapQuantized(
      input, output, internal::TfliteActivationRange(act, output.type, out_scale, out_zp),
      [&](int32_t q) { return internal::MultiplyByQuantizedMultiplier(q - in_zp, m) + out_zp; });
  return OkStatus();
}

Status LeakyRelu(const LeakyReluOptions& opt, const TensorView& input, const TensorView& output) {
  constexpr const char* kOp = "LEAKY_RELU";
  CORALPI_RETURN_IF_ERROR(internal::CheckFloatOrQuantizedUnary(kOp, input, output));
  const float alpha = opt.alpha;
  if (output.type == DataType::kFloat32) {
    internal::Map<float>(input, output,
                         [alpha](float x) { return std::signbit(x) ? x * alpha : x; });
    return OkStatus();
  }
  const float in_scale = input.scale(), out_scale = output.scale();
  const int32_t in_zp = input.zero_point(), out_zp = output.zero_point();
  const internal::FixedMultiplier identity = internal::QuantizeMultiplier(in_scale / out_scale);
  const internal::FixedMultiplier negative =
      internal::QuantizeMultiplier(in_scale * alpha / out_scale);
  MapQuantized(input, output, internal::TypeRange(output.type), [&](int32_t q) {
    const int32_t d = q - in_zp;
    return internal::MultiplyByQuantizedMultiplier(d, d >= 0 ? identity : negative) + out_zp;
  });
  return OkStatus();
}

}  // namespace coralpi::reference
