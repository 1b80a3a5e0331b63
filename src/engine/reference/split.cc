// SPLIT (equal parts), SPLIT_V (parts of given sizes, one of them may be -1: the rest) and
// UNPACK (every slice along an axis, that axis removed): the inverse of CONCATENATION and PACK.
#include "engine/reference/kernel_util.h"
#include "engine/reference/movement_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

using internal::CheckMovable;
using internal::CheckShape;

std::string OutputName(size_t i) { return "output " + std::to_string(i); }

// The input cut along `axis` into parts of `sizes` elements (rank kept).
std::vector<Shape> PartShapes(const Shape& input, int axis, const std::vector<int64_t>& sizes) {
  std::vector<Shape> out(sizes.size(), input);
  for (size_t p = 0; p < sizes.size(); ++p) {
    out[p][static_cast<size_t>(axis)] = static_cast<int32_t>(sizes[p]);
  }
  return out;
}

// Copies each part of `input` along `axis` (sizes[p] slices long) into outputs[p], which hold
// the same elements in the same order (for UNPACK without the axis).
void SplitInto(const TensorView& input, int axis, const std::vector<int64_t>& sizes,
               std::span<const TensorView> outputs) {
  const int64_t inner =
      internal::Product(input.shape, static_cast<size_t>(axis) + 1, input.shape.size());
  std::vector<int64_t> block;
  for (int64_t s : sizes) block.push_back(s * inner);
  internal::ForEachBlock(internal::Product(input.shape, 0, static_cast<size_t>(axis)), block,
                         [&](size_t p, int64_t part, int64_t joined, int64_t count) {
                           internal::CopyElements(input, joined, outputs[p], part, count);
                         });
}

// Checks the input, each output against its expected shape and the input's kind, then splits.
Status CheckAndSplit(const char* op, const TensorView& input, int axis,
                     const std::vector<int64_t>& sizes, const std::vector<Shape>& shapes,
                     std::span<const TensorView> outputs) {
  CORALPI_RETURN_IF_ERROR(CheckMovable(op, "input", input));
  if (outputs.size() != shapes.size()) {
    return MakeError(
        op, std::to_string(outputs.size()) + " outputs, expected " + std::to_string(shapes.size()));
  }
  for (size_t p = 0; p < outputs.size(); ++p) {
    CORALPI_RETURN_IF_ERROR(CheckMovable(op, OutputName(p).c_str(), outputs[p]));
    CORALPI_RETURN_IF_ERROR(internal::CheckSameKind(op, OutputName(p).c_str(), outputs[p], input));
    CORALPI_RETURN_IF_ERROR(CheckShape(op, OutputName(p).c_str(), outputs[p], shapes[p]));
  }
  SplitInto(input, axis, sizes, outputs);
  return OkStatus();
}

Result<int> SplitAxis(const char* op, const Shape& input, const TensorView& axis) {
  CORALPI_ASSIGN_OR_RETURN(int64_t a, internal::ReadScalarIndex(op, "axis", axis));
  return internal::NormalizeAxis(op, "axis", a, input.size());
}

// SPLIT's part sizes.
Result<std::vector<int64_t>> EqualParts(const Shape& input, int axis, int32_t num_splits) {
  constexpr const char* kOp = "SPLIT";
  const int32_t dim = input[static_cast<size_t>(axis)];
  if (num_splits < 1 || dim % num_splits != 0) {
    return MakeError(kOp, "cannot split dimension " + std::to_string(axis) + " of size " +
                              std::to_string(dim) + " into " + std::to_string(num_splits) +
                              " equal parts");
  }
  return std::vector<int64_t>(static_cast<size_t>(num_splits), dim / num_splits);
}

// SPLIT_V's part sizes, the -1 resolved.
Result<std::vector<int64_t>> GivenParts(const Shape& input, int axis, const TensorView& size_splits,
                                        int32_t num_splits) {
  constexpr const char* kOp = "SPLIT_V";
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> sizes,
                           internal::ReadIndices(kOp, "size_splits", size_splits));
  if (static_cast<int64_t>(sizes.size()) != num_splits) {
    return MakeError(kOp, "size_splits has " + std::to_string(sizes.size()) +
                              " values, num_splits is " + std::to_string(num_splits));
  }
  const int64_t dim = input[static_cast<size_t>(axis)];
  int64_t known = 0;
  int unknown = -1;
  for (size_t p = 0; p < sizes.size(); ++p) {
    if (sizes[p] == -1 && unknown < 0) {
      unknown = static_cast<int>(p);
    } else if (sizes[p] < 0) {
      return MakeError(kOp, "size_splits may hold one -1 and otherwise sizes >= 0");
    } else {
      known += sizes[p];
    }
  }
  if (unknown >= 0 && known <= dim) {
    sizes[static_cast<size_t>(unknown)] = dim - known;
    known = dim;
  }
  if (known != dim) {
    return MakeError(kOp, "size_splits do not add up to dimension " + std::to_string(axis) +
                              " of size " + std::to_string(dim));
  }
  return sizes;
}

}  // namespace

Result<std::vector<Shape>> SplitShapes(const SplitOptions& opt, const Shape& input,
                                       const TensorView& axis) {
  CORALPI_ASSIGN_OR_RETURN(int a, SplitAxis("SPLIT", input, axis));
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> sizes, EqualParts(input, a, opt.num_splits));
  return PartShapes(input, a, sizes);
}

Status Split(const SplitOptions& opt, const TensorView& axis, const TensorView& input,
             std::span<const TensorView> outputs) {
  CORALPI_ASSIGN_OR_RETURN(int a, SplitAxis("SPLIT", input.shape, axis));
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> sizes, EqualParts(input.shape, a, opt.num_splits));
  return CheckAndSplit("SPLIT", input, a, sizes, PartShapes(input.shape, a, sizes), outputs);
}

Result<std::vector<Shape>> SplitVShapes(const SplitOptions& opt, const Shape& input,
                                        const TensorView& size_splits, const TensorView& axis) {
  CORALPI_ASSIGN_OR_RETURN(int a, SplitAxis("SPLIT_V", input, axis));
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> sizes,
                           GivenParts(input, a, size_splits, opt.num_splits));
  return PartShapes(input, a, sizes);
}

Status SplitV(const SplitOptions& opt, const TensorView& input, const TensorView& size_splits,
              const TensorView& axis, std::span<const TensorView> outputs) {
  CORALPI_ASSIGN_OR_RETURN(int a, SplitAxis("SPLIT_V", input.shape, axis));
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> sizes,
                           GivenParts(input.shape, a, size_splits, opt.num_splits));
  return CheckAndSplit("SPLIT_V", input, a, sizes, PartShapes(input.shape, a, sizes), outputs);
}

Result<std::vector<Shape>> UnpackShapes(const PackOptions& opt, const Shape& input) {
  constexpr const char* kOp = "UNPACK";
  if (input.empty()) return MakeError(kOp, "input: a scalar cannot be unpacked");
  CORALPI_ASSIGN_OR_RETURN(int axis, internal::NormalizeAxis(kOp, "axis", opt.axis, input.size()));
  if (opt.count != input[static_cast<size_t>(axis)]) {
    return MakeError(kOp, "num " + std::to_string(opt.count) + " but dimension " +
                              std::to_string(axis) + " has size " +
                              std::to_string(input[static_cast<size_t>(axis)]));
  }
  Shape part = input;
  part.erase(part.begin() + axis);
  return std::vector<Shape>(static_cast<size_t>(opt.count), part);
}

Status Unpack(const PackOptions& opt, const TensorView& input,
              std::span<const TensorView> outputs) {
  constexpr const char* kOp = "UNPACK";
  CORALPI_ASSIGN_OR_RETURN(std::vector<Shape> shapes, UnpackShapes(opt, input.shape));
  CORALPI_ASSIGN_OR_RETURN(int axis,
                           internal::NormalizeAxis(kOp, "axis", opt.axis, input.shape.size()));
  return CheckAndSplit(kOp, input, axis, std::vector<int64_t>(shapes.size(), 1), shapes, outputs);
}

}  // namespace coralpi::reference
