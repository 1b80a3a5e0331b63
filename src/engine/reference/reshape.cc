// RESHAPE (the new shape from a 1-D shape input, else from the options; one -1 stands for what
// the other dimensions leave) and EXPAND_DIMS (a 1 inserted at an axis). Both check the shape
// the model declares for the output against the one the operator computes, then copy.
#include "engine/reference/kernel_util.h"
#include "engine/reference/movement_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

constexpr const char* kReshape = "RESHAPE";
constexpr const char* kExpandDims = "EXPAND_DIMS";

// The requested dimensions: the shape input when it is a 1-D index tensor (TensorFlow Lite's
// rule), else the options; a legacy options shape [0] means a scalar.
Result<std::vector<int64_t>> RequestedShape(const ReshapeOptions& opt, const TensorView* shape) {
  if (shape != nullptr && shape->shape.size() == 1 &&
      (shape->type == DataType::kInt32 || shape->type == DataType::kInt64)) {
    return internal::ReadIndices(kReshape, "shape", *shape);
  }
  if (opt.new_shape.size() == 1 && opt.new_shape[0] == 0) return std::vector<int64_t>{};
  return std::vector<int64_t>(opt.new_shape.begin(), opt.new_shape.end());
}

}  // namespace

Result<Shape> ReshapeShape(const ReshapeOptions& opt, const Shape& input, const TensorView* shape) {
  CORALPI_ASSIGN_OR_RETURN(std::vector<int64_t> dims, RequestedShape(opt, shape));
  const int64_t elements = NumElements(input);
  const Error mismatch =
      MakeError(kReshape, "cannot reshape " + ShapeToString(input) + " (" +
                              std::to_string(elements) + " elements) to the requested shape");
  int64_t known = 1;
  int stretch = -1;
  for (size_t d = 0; d < dims.size(); ++d) {
    if (dims[d] == -1 && stretch < 0) {
      stretch = static_cast<int>(d);
      continue;
    }
    if (dims[d] < 0 || dims[d] > INT32_MAX) {
      return MakeError(kReshape, "new shape has dimension " + std::to_string(dims[d]) +
                                     " (one -1 and sizes >= 0 are allowed)");
    }
    if (dims[d] != 0 && known > INT64_MAX / dims[d]) return mismatch;
    known *= dims[d];
  }
  if (stretch >= 0) {
    if (known == 0 || elements % known != 0) return mismatch;
    dims[static_cast<size_t>(stretch)] = elements / known;
  } else if (known != elements) {
    return mismatch;
  }
  return Shape(dims.begin(), dims.end());
}

Status Reshape(const ReshapeOptions& opt, const TensorView& input, const TensorView* shape,
               const TensorView& output) {
  CORALPI_ASSIGN_OR_RETURN(Shape expected, ReshapeShape(opt, input.shape, shape));
  CORALPI_RETURN_IF_ERROR(internal::CheckShape(kReshape, "output", output, expected));
  return Copy(input, output);
}

Result<Shape> ExpandDimsShape(const Shape& input, const TensorView& axis) {
  CORALPI_ASSIGN_OR_RETURN(int64_t a, internal::ReadScalarIndex(kExpandDims, "axis", axis));
  CORALPI_ASSIGN_OR_RETURN(int d,
                           internal::NormalizeAxis(kExpandDims, "axis", a, input.size() + 1));
  Shape out = input;
  out.insert(out.begin() + d, 1);
  return out;
}

Status ExpandDims(const TensorView& input, const TensorView& axis, const TensorView& output) {
  CORALPI_ASSIGN_OR_RETURN(Shape expected, ExpandDimsShape(input.shape, axis));
  CORALPI_RETURN_IF_ERROR(internal::CheckShape(kExpandDims, "output", output, expected));
  return Copy(input, output);
}

}  // namespace coralpi::reference
