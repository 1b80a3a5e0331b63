// Copy: RESHAPE and SQUEEZE move no data around, so they are a byte copy between tensors of the
// same type and element count.
#include <cstring>

#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {

Status Copy(const TensorView& input, const TensorView& output) {
  constexpr const char* kOp = "COPY";
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "output", output));
  CORALPI_RETURN_IF_ERROR(internal::CheckType(kOp, "output", output, input.type));
  if (input.num_elements() != output.num_elements()) {
    return MakeError(kOp, "input " + ShapeToString(input.shape) + " and output " +
                              ShapeToString(output.shape) + " differ in element count");
  }
  const size_t element = ElementSize(input.type);
  if (element == 0) {
    return MakeError(kOp, std::string("unsupported type ") + DataTypeName(input.type));
  }
  const size_t bytes = static_cast<size_t>(input.num_elements()) * element;
  if (bytes > 0 && input.data != output.data) std::memmove(output.data, input.data, bytes);
  return OkStatus();
}

}  // namespace coralpi::reference
