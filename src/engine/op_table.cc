// The explicit table of operators the CPU engine supports (no self-registration).
#include <vector>

#include "engine/hybrid_rewrite.h"
#include "engine/op_kernel.h"
#include "engine/ops/ops.h"
#include "model/custom_ops.h"

namespace coralpi {
namespace {

const OpKernel* const* Table(size_t* count) {
  // Not reflowed by clang-format, so that additions (one per line) merge line by line.
  // clang-format off
  static const OpKernel* const kTable[] = {
      &ops::kConv2D,  &ops::kDepthwiseConv2D, &ops::kFullyConnected,
      &ops::kAdd,     &ops::kAveragePool2D,   &ops::kMean,
      &ops::kSoftmax, &ops::kQuantize,        &ops::kDequantize,
      &ops::kReshape, &ops::kSqueeze,
      &ops::kConcatenation,
      &ops::kPack,
      &ops::kUnpack,
      &ops::kSplit,
      &ops::kSplitV,
      &ops::kStridedSlice,
      &ops::kSlice,
      &ops::kTranspose,
      &ops::kPad,
      &ops::kPadV2,
      &ops::kGather,
      &ops::kGatherNd,
      &ops::kArgMax,
      &ops::kExpandDims,
      &ops::kSub, &ops::kMul,
      &ops::kDiv, &ops::kFloorDiv, &ops::kMaximum, &ops::kMinimum,
      &ops::kSqrt, &ops::kRsqrt, &ops::kLogistic, &ops::kTanh,
      &ops::kHardSwish, &ops::kRelu, &ops::kRelu6, &ops::kReluN1To1, &ops::kLeakyRelu,
      &ops::kCast,
      // Spatial operators (issue 8).
      &ops::kMaxPool2D, &ops::kResizeBilinear, &ops::kResizeNearestNeighbor,
  };
  // clang-format on
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
      {kDetectionPostProcessCode, &ops::kDetectionPostProcess},
      {kDynamicQuantizePerImageCode, &ops::kDynamicQuantizePerImage},
      {kDynamicQuantizePerRowCode, &ops::kDynamicQuantizePerRow},
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
