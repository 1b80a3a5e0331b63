// DIV (float32, int32; uint8 and int8 by TensorFlow Lite's fixed-point rule) and FLOOR_DIV
// (float32, int32, int16, int8 as plain integers), broadcast up to 4-D. Integer division by zero
// is an error, as in TensorFlow Lite; float division follows IEEE (inf, NaN).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "engine/reference/broadcast.h"
#include "engine/reference/fixed_point.h"
#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

using internal::Broadcast4D;

template <typename T>
Status CheckNoZero(const char* op, const TensorView& divisor) {
  const T* p = divisor.as<const T>();
  const int64_t n = divisor.num_elements();
  if (std::find(p, p + n, T{0}) != p + n) return MakeError(op, "division by zero");
  return OkStatus();
}

template <typename T>
Status RunFloorDiv(const Broadcast4D& bc, const TensorView& a, const TensorView& b,
                   const TensorView& out) {
  CORALPI_RETURN_IF_ERROR(CheckNoZero<T>("FLOOR_DIV", b));
  internal::BroadcastBinary<T, T, T>(bc, a, b, out, [](T x, T y) {
    double q = std::floor(static_cast<double>(x) / static_cast<double>(y));
    if constexpr (std::is_integral_v<T>) {
      // Only INT_MIN / -1 leaves the type; it saturates rather than being undefined.
      q = std::min(q, static_cast<double>(std::numeric_limits<T>::max()));
    }
    return static_cast<T>(q);
  });
  return OkStatus();
}

// TensorFlow Lite's quantized DIV (reference.h).
template <typename T>
Status RunQuantizedDiv(Activation act, const Broadcast4D& bc, const TensorView& a,
                       const TensorView& b, const TensorView& out) {
  const int32_t a_zp = a.zero_point(), b_zp = b.zero_point(), out_zp = out.zero_point();
  const T* divisor = b.as<const T>();
  const int64_t n = b.num_elements();
  if (std::any_of(divisor, divisor + n, [&](T q) { return q == b_zp; })) {
    return MakeError("DIV", "division by zero");
  }
  const internal::FixedMultiplier m =
      internal::QuantizeMultiplier(a.scale() / (b.scale() * out.scale()));
  const ActivationRange range = internal::TfliteActivationRange(act, out.type, out.scale(), out_zp);
  internal::BroadcastBinary<T, T, T>(bc, a, b, out, [&](T x, T y) {
    int32_t num = x - a_zp, den = y - b_zp;
    if (den < 0) num = -num, den = -den;
    int bits_over_unit = 0;
    const int32_t inverse = internal::Reciprocal(den, &bits_over_unit);
    const int headroom = __builtin_clrsb(num);
    const int32_t quotient = internal::SaturatingRoundingDoublingHighMul(
        static_cast<int32_t>(static_cast<uint32_t>(num) << headroom), inverse);
    const int32_t scaled = internal::SaturatingRoundingDoublingHighMul(quotient, m.multiplier);
    // TFLite's right shift. Beyond 31 bits (undefined in TFLite) the exact rounding of
    // scaled / 2^shift is 0, or -1 for INT32_MIN / 2^32; a negative shift (multipliers above
    // 2^22) is taken as 0.
    const int shift = std::max(bits_over_unit + headroom - m.shift, 0);
    const int32_t rounded = shift <= 31 ? internal::RoundingDivideByPOT(scaled, shift)
                            : shift == 32 && scaled == std::numeric_limits<int32_t>::min() ? -1
                                                                                           : 0;
    return static_cast<T>(std::clamp(rounded + out_zp, range.lo, range.hi));
  });
  return OkStatus();
}

}  // namespace

Status Div(const AddOptions& opt, const TensorView& a, const TensorView& b,
           const TensorView& output) {
  constexpr const char* kOp = "DIV";
  CORALPI_RETURN_IF_ERROR(internal::CheckActivation(kOp, opt.activation));
  CORALPI_RETURN_IF_ERROR(internal::CheckBinaryTypes(kOp, a, b, output));
  CORALPI_ASSIGN_OR_RETURN(const Broadcast4D bc, internal::MakeBroadcast4D(kOp, a, b, output));
  if (output.type == DataType::kFloat32) {
    float lo = 0, hi = 0;
    FloatActivationRange(opt.activation, &lo, &hi);
    internal::BroadcastBinary<float, float, float>(
        bc, a, b, output, [&](float x, float y) { return std::min(std::max(x / y, lo), hi); });
    return OkStatus();
  }
  if (output.type == DataType::kInt32) {
    CORALPI_RETURN_IF_ERROR(CheckNoZero<int32_t>(kOp, b));
    int32_t lo, hi;
    internal::IntegerActivationRange(opt.activation, &lo, &hi);
    internal::BroadcastBinary<int32_t, int32_t, int32_t>(
        bc, a, b, output, [&](int32_t x, int32_t y) {
          // INT32_MIN / -1 overflows; it wraps to INT32_MIN as two's complement would.
          const int32_t q = y == -1 ? internal::WrappingSub(int32_t{0}, x) : x / y;
          return std::clamp(q, lo, hi);
        });
    return OkStatus();
  }
  if (internal::IsQuantized(output.type)) {
    CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "input 0", a));
    CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "input 1", b));
    CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "output", output));
    return output.type == DataType::kUInt8
               ? RunQuantizedDiv<uint8_t>(opt.activation, bc, a, b, output)
               : RunQuantizedDiv<int8_t>(opt.activation, bc, a, b, output);
  }
  return MakeError(kOp, std::string("output: unsupported type ") + DataTypeName(output.type));
}

Status FloorDiv(const TensorView& a, const TensorView& b, const TensorView& output) {
  constexpr const char* kOp = "FLOOR_DIV";
  CORALPI_RETURN_IF_ERROR(internal::CheckBinaryTypes(kOp, a, b, output));
  CORALPI_ASSIGN_OR_RETURN(const Broadcast4D bc, internal::MakeBroadcast4D(kOp, a, b, output));
  switch (output.type) {
    case DataType::kFloat32:
      return RunFloorDiv<float>(bc, a, b, output);
    case DataType::kInt32:
      return RunFloorDiv<int32_t>(bc, a, b, output);
    case DataType::kInt16:
      return RunFloorDiv<int16_t>(bc, a, b, output);
    case DataType::kInt8:
      return RunFloorDiv<int8_t>(bc, a, b, output);
    default:
      return MakeError(kOp, std::string("output: unsupported type ") + DataTypeName(output.type));
  }
}

}  // namespace coralpi::reference
