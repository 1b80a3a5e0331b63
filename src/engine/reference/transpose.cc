// TRANSPOSE: output axis i is input axis perm[i], up to 6-D as in TensorFlow Lite.
#include <algorithm>

#include "engine/reference/kernel_util.h"
#include "engine/reference/movement_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

constexpr const char* kOp = "TRANSPOSE";

Result<std::vector<int64_t>> ReadPermutation(const Shape& input, const TensorView& perm_t) {
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> perm,
                           internal::ReadIndexVector(kOp, "perm", perm_t, input.size()));
  std::vector<bool> seen(input.size(), false);
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(input.size()) || seen[static_cast<size_t>(p)]) {
      return MakeError(kOp, "perm is not a permutation of the input's " +
                                std::to_string(input.size()) + " axes");
    }
    seen[static_cast<size_t>(p)] = true;
  }
  return perm;
}

}  // namespace

Result<Shape> TransposeShape(const Shape& input, const TensorView& perm_t) {
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> perm, ReadPermutation(input, perm_t));
  Shape out;
  for (int64_t p : perm) out.push_back(input[static_cast<size_t>(p)]);
  return out;
}

Status Transpose(const TensorView& input, const TensorView& perm_t, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckMovable(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckMovable(kOp, "output", output));
  CORALPI_RETURN_IF_ERROR(internal::CheckSameKind(kOp, "output", output, input));
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> perm, ReadPermutation(input.shape, perm_t));
  const std::vector<int64_t> in_strides = internal::Strides(input.shape);
  Shape out_shape;
  internal::StridedSide from;
  for (int64_t p : perm) {
    out_shape.push_back(input.shape[static_cast<size_t>(p)]);
    from.steps.push_back(in_strides[static_cast<size_t>(p)]);
  }
  CORALPI_RETURN_IF_ERROR(internal::CheckShape(kOp, "output", output, out_shape));
  internal::CopyStrided(ElementSize(input.type), out_shape, input.data, from, output.data,
                        internal::Dense(out_shape));
  return OkStatus();
}

}  // namespace coralpi::reference
