// HARD_SWISH: x * relu6(x + 3) / 6. Float32 directly (XNNPACK runs it); uint8 and int8 with
// TensorFlow Lite's 16-bit fixed-point kernel, since this XNNPACK has no quantized hardswish.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "engine/reference/fixed_point.h"
#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

constexpr const char* kOp = "HARD_SWISH";

struct HardSwishParams {
  int32_t in_zp = 0, out_zp = 0;
  int16_t out_multiplier = 0;  // Q15
  int out_exponent = 0;        // <= 0
  int16_t reluish_multiplier = 0;
  int reluish_exponent = 0;
};

// The input scale of the input shifted left by 7 bits.
float HiresInputScale(float input_scale) { return (1.0f / 128.0f) * input_scale; }

// A Q31 multiplier rounded to Q15 (TFLite's DownScaleInt32ToInt16Multiplier).
int16_t ToQ15(int32_t q31) {
  constexpr int32_t kRounding = 1 << 15;
  if (q31 >= std::numeric_limits<int32_t>::max() - kRounding) {
    return std::numeric_limits<int16_t>::max();
  }
  return static_cast<int16_t>((q31 + kRounding) >> 16);
}

Result<HardSwishParams> MakeParams(const TensorView& input, const TensorView& output) {
  HardSwishParams p;
  p.in_zp = input.zero_point();
  p.out_zp = output.zero_point();
  const float hires_input_scale = HiresInputScale(input.scale());
  const internal::FixedMultiplier out =
      internal::QuantizeMultiplier(hires_input_scale / output.scale());
  if (out.shift > 0) {
    return MakeError(kOp, "input scale " + std::to_string(input.scale()) +
                              " is too large for output scale " + std::to_string(output.scale()) +
                              " (TensorFlow Lite requires input/output below 128)");
  }
  p.out_multiplier = ToQ15(out.multiplier);
  p.out_exponent = out.shift;
  const internal::FixedMultiplier reluish =
      internal::QuantizeMultiplier(hires_input_scale / (3.0f / 32768.0f));
  p.reluish_multiplier = ToQ15(reluish.multiplier);
  p.reluish_exponent = reluish.shift;
  return p;
}

int16_t SaturatingLeftShift16(int16_t v, int amount) {
  const int64_t r = static_cast<int64_t>(v) * (int64_t{1} << amount);
  return static_cast<int16_t>(std::clamp<int64_t>(r, std::numeric_limits<int16_t>::min(),
                                                  std::numeric_limits<int16_t>::max()));
}

// a * b / 2^15 truncated toward zero (no rounding), saturating INT16_MIN squared.
int16_t SaturatingDoublingHighMul16(int16_t a, int16_t b) {
  if (a == b && a == std::numeric_limits<int16_t>::min()) {
    return std::numeric_limits<int16_t>::max();
  }
  return static_cast<int16_t>((static_cast<int32_t>(a) * b) / (1 << 15));
}

int32_t HardSwishValue(const HardSwishParams& p, int32_t q) {
  using internal::RoundingDivideByPOT16;
  using internal::SaturatingRoundingDoublingHighMul16;
  const int16_t hires = static_cast<int16_t>((q - p.in_zp) * (1 << 7));
  const int16_t on_output_scale = SaturatingRoundingDoublingHighMul16(hires, p.out_multiplier);
  // The input on a scale where 3.0 is 32768: shift left (saturating) except for the last bit,
  // multiply, shift the last bit, or shift right.
  int16_t reluish = hires;
  if (p.reluish_exponent > 0) reluish = SaturatingLeftShift16(reluish, p.reluish_exponent - 1);
  reluish = SaturatingRoundingDoublingHighMul16(reluish, p.reluish_multiplier);
  if (p.reluish_exponent > 0) reluish = SaturatingLeftShift16(reluish, 1);
  if (p.reluish_exponent < 0) reluish = RoundingDivideByPOT16(reluish, -p.reluish_exponent);
  // [-1, 1] to [0, 1].
  reluish = static_cast<int16_t>((reluish + (1 << 15)) >> 1);
  const int16_t preshift = SaturatingDoublingHighMul16(reluish, on_output_scale);
  // TFLite adds the zero point to an int16, which wraps (then clamps to the wrong end); so here.
  return static_cast<int16_t>(RoundingDivideByPOT16(preshift, -p.out_exponent) + p.out_zp);
}

template <typename T>
void RunQuantized(const HardSwishParams& p, const TensorView& input, const TensorView& output) {
  internal::Map<T>(input, output, [&](T q) {
    return static_cast<T>(std::clamp<int32_t>(HardSwishValue(p, q), std::numeric_limits<T>::min(),
                                              std::numeric_limits<T>::max()));
  });
}

}  // namespace

bool HardSwishScalesSupported(float input_scale, float output_scale) {
  return internal::QuantizeMultiplier(HiresInputScale(input_scale) / output_scale).shift <= 0;
}

Status HardSwish(const TensorView& input, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckFloatOrQuantizedUnary(kOp, input, output));
  if (output.type == DataType::kFloat32) {
    internal::Map<float>(
        input, output, [](float x) { return x * std::min(6.0f, std::max(0.0f, x + 3.0f)) / 6.0f; });
    return OkStatus();
  }
  CORALPI_ASSIGN_OR_RETURN(const HardSwishParams p, MakeParams(input, output));
  if (output.type == DataType::kUInt8) {
    RunQuantized<uint8_t>(p, input, output);
  } else {
    RunQuantized<int8_t>(p, input, output);
  }
  return OkStatus();
}

}  // namespace coralpi::reference
