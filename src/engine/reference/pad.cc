// PAD and PADV2 with a constant: the input surrounded by `before` and `after` elements per axis
// holding the pad value (PADV2's scalar, else 0, which for quantized tensors is the zero point).
#include <cstring>

#include "engine/reference/kernel_util.h"
#include "engine/reference/movement_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

constexpr const char* kOp = "PAD";

// Paddings as (before, after) pairs per axis, checked to be [rank, 2] and non-negative.
Result<std::vector<int64_t>> ReadPaddings(const Shape& input, const TensorView& paddings) {
  const Shape expected{static_cast<int32_t>(input.size()), 2};
  if (paddings.shape != expected) {
    return MakeError(kOp, "paddings: shape " + ShapeToString(paddings.shape) + ", expected " +
                              ShapeToString(expected));
  }
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> p,
                           internal::ReadIndices(kOp, "paddings", paddings));
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] < 0 || p[i] > INT32_MAX - input[i / 2]) {
      return MakeError(kOp, "paddings: axis " + std::to_string(i / 2) + " has padding " +
                                std::to_string(p[i]) + ", must be >= 0");
    }
  }
  return p;
}

// The pad value's bytes: PADV2's constant (same type and quantization as the output), else 0
// in the output's terms.
Result<std::vector<uint8_t>> PadValue(const TensorView* constant, const TensorView& output) {
  const size_t esize = ElementSize(output.type);
  std::vector<uint8_t> value(esize, 0);
  if (constant != nullptr) {
    CORALPI_RETURN_IF_ERROR(internal::CheckMovable(kOp, "constant", *constant));
    CORALPI_RETURN_IF_ERROR(internal::CheckSameKind(kOp, "constant", *constant, output));
    if (constant->num_elements() != 1) {
      return MakeError(kOp,
                       "constant: expected one value, got shape " + ShapeToString(constant->shape));
    }
    std::memcpy(value.data(), constant->data, esize);
  } else if (internal::IsQuantized(output.type) || output.type == DataType::kInt16) {
    CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "output", output));
    internal::StoreInt(TensorView{output.type, {}, nullptr, value.data()}, 0, output.zero_point());
  }
  return value;
}

}  // namespace

Result<Shape> PadShape(const Shape& input, const TensorView& paddings) {
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> p, ReadPaddings(input, paddings));
  Shape out = input;
  for (size_t d = 0; d < out.size(); ++d) out[d] += static_cast<int32_t>(p[2 * d] + p[2 * d + 1]);
  return out;
}

Status Pad(const TensorView& input, const TensorView& paddings, const TensorView* constant,
           const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckMovable(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckMovable(kOp, "output", output));
  CORALPI_RETURN_IF_ERROR(internal::CheckSameKind(kOp, "output", output, input));
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> p, ReadPaddings(input.shape, paddings));
  CORALPI_ASSIGN_OR_RETURN(Shape expected, PadShape(input.shape, paddings));
  CORALPI_RETURN_IF_ERROR(internal::CheckShape(kOp, "output", output, expected));
  CORALPI_ASSIGN_OR_RETURN(std::vector<uint8_t> value, PadValue(constant, output));
  const size_t esize = value.size();
  auto* out = output.as<uint8_t>();
  const int64_t n = output.num_elements();
  for (int64_t i = 0; i < n; ++i) {
    std::memcpy(out + static_cast<size_t>(i) * esize, value.data(), esize);
  }
  // The input lands at offset `before` on every axis of the output.
  internal::StridedSide to = internal::Dense(output.shape);
  for (size_t d = 0; d < expected.size(); ++d) to.offset += p[2 * d] * to.steps[d];
  internal::CopyStrided(esize, input.shape, input.data, internal::Dense(input.shape), output.data,
                        to);
  return OkStatus();
}

}  // namespace coralpi::reference
