// LOGISTIC and TANH. Quantized tensors go through a 256-entry table computed in float, with
// XNNPACK's formula and rounding where XNNPACK takes the node and TensorFlow Lite's elsewhere
// (reference.h); float32 is computed directly.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>

#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

// table[k] for the stored byte k (int8 values are indexed by their two's-complement byte).
using Table = std::array<uint8_t, 256>;

// Rounds a real output value to the output type: `round` turns y / out_scale into an integer.
template <typename Transform, typename Round>
Table MakeTable(const TensorView& input, const TensorView& output, Transform f, Round round) {
  const ActivationRange t = internal::TypeRange(output.type);
  const int32_t first = input.type == DataType::kUInt8 ? 0 : -128;
  const float inv_out_scale = 1.0f / output.scale();
  Table table{};
  for (int32_t q = first; q < first + 256; ++q) {
    const float x = static_cast<float>(q - input.zero_point()) * input.scale();
    const int64_t v = round(f(x) * inv_out_scale) + output.zero_point();
    table[static_cast<uint8_t>(q)] = static_cast<uint8_t>(std::clamp<int64_t>(v, t.lo, t.hi));
  }
  return table;
}

// XNNPACK's sigmoid, symmetric around 0, rounded to nearest even.
Table XnnpackSigmoidTable(const TensorView& input, const TensorView& output) {
  return MakeTable(
      input, output,
      [](float x) {
        return std::signbit(x) ? 1.0f / (1.0f + std::exp(-x)) : 1.0f - 1.0f / (1.0f + std::exp(x));
      },
      [](float v) { return static_cast<int64_t>(std::lrint(v)); });
}

// TensorFlow Lite's LUTPopulate: ties away from zero.
template <typename Transform>
Table TfliteTable(const TensorView& input, const TensorView& output, Transform f) {
  return MakeTable(input, output, f, [](float v) { return static_cast<int64_t>(std::round(v)); });
}

void ApplyTable(const Table& table, const TensorView& input, const TensorView& output) {
  internal::Map<uint8_t>(input, output, [&](uint8_t q) { return table[q]; });
}

}  // namespace

bool XnnpackTakesLogistic(DataType type, float out_scale, int32_t out_zero_point) {
  if (type != DataType::kUInt8 && type != DataType::kInt8) return false;
  return out_scale == 0x1.0p-8f && out_zero_point == (type == DataType::kUInt8 ? 0 : -128);
}

Status Logistic(const TensorView& input, const TensorView& output) {
  constexpr const char* kOp = "LOGISTIC";
  CORALPI_RETURN_IF_ERROR(internal::CheckFloatOrQuantizedUnary(kOp, input, output));
  if (output.type == DataType::kFloat32) {
    internal::Map<float>(input, output, [](float x) { return 1.0f / (1.0f + std::exp(-x)); });
    return OkStatus();
  }
  if (output.scale() != 0x1.0p-8f) {
    return MakeError(kOp, "output scale " + std::to_string(output.scale()) + " is not 1/256");
  }
  if (XnnpackTakesLogistic(output.type, output.scale(), output.zero_point())) {
    ApplyTable(XnnpackSigmoidTable(input, output), input, output);
  } else {
    ApplyTable(TfliteTable(input, output, [](float x) { return 1.0f / (1.0f + std::exp(-x)); }),
               input, output);
  }
  return OkStatus();
}

Status Tanh(const TensorView& input, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckFloatOrQuantizedUnary("TANH", input, output));
  if (output.type == DataType::kFloat32) {
    internal::Map<float>(input, output, [](float x) { return std::tanh(x); });
    return OkStatus();
  }
  ApplyTable(TfliteTable(input, output, [](float x) { return std::tanh(x); }), input, output);
  return OkStatus();
}

}  // namespace coralpi::reference
