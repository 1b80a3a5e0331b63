// The explicit table of operators the CPU engine supports (no self-registration).
#include <vector>

#include "engine/op_kernel.h"
#include "engine/ops/ops.h"

namespace coralpi {
namespace {

const OpKernel* const* Table(size_t* count) {
  static const OpKernel* const kTable[] = {
      &ops::kConv2D,  &ops::kDepthwiseConv2D, &ops::kFullyConnected,
      &ops::kAdd,     &ops::kAveragePool2D,   &ops::kMean,
      &ops::kSoftmax, &ops::kQuantize,        &ops::kDequantize,
      &ops::kReshape, &ops::kSqueeze,
      // Spatial operators (issue 8).
      &ops::kMaxPool2D, &ops::kResizeBilinear, &ops::kResizeNearestNeighbor,
  };
  *count = sizeof(kTable) / sizeof(kTable[0]);
  return kTable;
}

// Custom operators the engine runs, by their custom code.
struct CustomEntry {
  const char* custom_code;
  const OpKernel* kernel;
};
std::span<const CustomEntry> CustomTable() {
  static const std::vector<CustomEntry> kCustom = {
      {"TFLite_Detection_PostProcess", &ops::kDetectionPostProcess},
  };
  return kCustom;
}

}  // namespace

const OpKernel* FindCustomOpKernel(const std::string& custom_code) {
  for (const CustomEntry& e : CustomTable()) {
    if (custom_code == e.custom_code) return e.kernel;
  }
  return nullptr;
}

const OpKernel* FindOpKernel(const OperatorInfo& op) {
  if (op.code == static_cast<int32_t>(OpCode::kCustom)) return FindCustomOpKernel(op.custom_code);
  return FindOpKernel(op.code);
}

const OpKernel* FindOpKernel(int32_t code) {
  size_t n = 0;
  const OpKernel* const* table = Table(&n);
  for (size_t i = 0; i < n; ++i) {
    if (table[i]->code == code) return table[i];
  }
  return nullptr;
}

std::span<const OpKernel> AllOpKernels() {
  static const std::vector<OpKernel> all = [] {
    size_t n = 0;
    const OpKernel* const* table = Table(&n);
    std::vector<OpKernel> v;
    for (size_t i = 0; i < n; ++i) v.push_back(*table[i]);
    return v;
  }();
  return all;
}

}  // namespace coralpi
