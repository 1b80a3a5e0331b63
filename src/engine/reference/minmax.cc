// MAXIMUM and MINIMUM: elementwise larger or smaller of two tensors of one type, broadcast up
// to 4-D. Quantized tensors must share one quantization, so the stored values compare as the
// real ones do.
#include <algorithm>
#include <cstdint>

#include "engine/reference/broadcast.h"
#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

Status CheckSharedQuantization(const char* op, const TensorView& t, const TensorView& output) {
  if (t.scale() != output.scale() || t.zero_point() != output.zero_point()) {
    return MakeError(op, "inputs and output must share one scale and zero point");
  }
  return OkStatus();
}

template <typename T>
void Run(bool maximum, const internal::Broadcast4D& bc, const TensorView& a, const TensorView& b,
         const TensorView& out) {
  internal::BroadcastBinary<T, T, T>(bc, a, b, out, [maximum](T x, T y) {
    // TFLite's comparisons (a NaN in x yields y).
    return maximum ? (x > y ? x : y) : (x < y ? x : y);
  });
}

Status MinMax(const char* op, bool maximum, const TensorView& a, const TensorView& b,
              const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckBinaryTypes(op, a, b, output));
  CORALPI_ASSIGN_OR_RETURN(const internal::Broadcast4D bc,
                           internal::MakeBroadcast4D(op, a, b, output));
  if (internal::IsQuantized(output.type)) {
    CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(op, "input 0", a));
    CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(op, "input 1", b));
    CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(op, "output", output));
    CORALPI_RETURN_IF_ERROR(CheckSharedQuantization(op, a, output));
    CORALPI_RETURN_IF_ERROR(CheckSharedQuantization(op, b, output));
  }
  const bool known = internal::VisitNumericType(
      output.type, [&](auto zero) { Run<decltype(zero)>(maximum, bc, a, b, output); });
  if (!known) {
    return MakeError(op, std::string("output: unsupported type ") + DataTypeName(output.type));
  }
  return OkStatus();
}

}  // namespace

Status Maximum(const TensorView& a, const TensorView& b, const TensorView& output) {
  return MinMax("MAXIMUM", true, a, b, output);
}

Status Minimum(const TensorView& a, const TensorView& b, const TensorView& output) {
  return MinMax("MINIMUM", false, a, b, output);
}

}  // namespace coralpi::reference
