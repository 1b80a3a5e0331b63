// CAST: value conversion between float32, int32, int64, int16, uint8, int8 and bool
// (quantization ignored, as TensorFlow Lite does). Float to integer truncates and saturates;
// bool is stored as one byte, any nonzero byte reads as true.
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

constexpr const char* kOp = "CAST";

// Storage of a bool element; `Bool` as a template argument marks the conversion.
struct Bool {
  uint8_t byte;
};

template <typename To, typename From>
To Convert(From v) {
  if constexpr (std::is_same_v<From, Bool>) {
    return Convert<To>(static_cast<uint8_t>(v.byte != 0 ? 1 : 0));
  } else if constexpr (std::is_same_v<To, Bool>) {
    return Bool{static_cast<uint8_t>(v != From{0} ? 1 : 0)};
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    constexpr double kMin = static_cast<double>(std::numeric_limits<To>::min());
    constexpr double kMax = static_cast<double>(std::numeric_limits<To>::max());
    const double d = v;
    if (std::isnan(d)) {
      // TFLite's int32 path maps NaN to INT32_MAX; it leaves the other types undefined.
      return std::is_same_v<To, int32_t> ? std::numeric_limits<To>::max() : To{0};
    }
    if (d <= kMin - 1.0) return std::numeric_limits<To>::min();
    if (d >= kMax + 1.0) return std::numeric_limits<To>::max();
    return static_cast<To>(d);  // truncation toward zero, inside the range
  } else {
    return static_cast<To>(v);
  }
}

template <typename To, typename From>
void Run(const TensorView& input, const TensorView& output) {
  const From* in = static_cast<const From*>(input.data);
  To* out = static_cast<To*>(output.data);
  const int64_t n = input.num_elements();  // once: NumElements is out of line
  for (int64_t i = 0; i < n; ++i) out[i] = Convert<To>(in[i]);
}

template <typename To>
Status RunTo(const TensorView& input, const TensorView& output) {
  if (input.type == DataType::kBool) {
    Run<To, Bool>(input, output);
    return OkStatus();
  }
  if (!internal::VisitNumericType(input.type,
                                  [&](auto from) { Run<To, decltype(from)>(input, output); })) {
    return MakeError(kOp, std::string("input: unsupported type ") + DataTypeName(input.type));
  }
  return OkStatus();
}

}  // namespace

Status Cast(const TensorView& input, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckSameShape(kOp, input, output));
  if (output.type == DataType::kBool) return RunTo<Bool>(input, output);
  Status status = OkStatus();
  if (!internal::VisitNumericType(output.type,
                                  [&](auto to) { status = RunTo<decltype(to)>(input, output); })) {
    return MakeError(kOp, std::string("output: unsupported type ") + DataTypeName(output.type));
  }
  return status;
}

}  // namespace coralpi::reference
