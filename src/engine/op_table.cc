// The explicit table of operators the CPU engine supports (no self-registration).
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
  };
  *count = sizeof(kTable) / sizeof(kTable[0]);
  return kTable;
}

}  // namespace

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
