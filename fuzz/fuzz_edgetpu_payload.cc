// libFuzzer target for the Edge TPU custom-op payload verifier, the check coralpi makes before
// libedgetpu (which verifies nothing of it) sees a payload: any bytes must give an error or a
// payload whose main executables fit the node, never a crash or an out-of-bounds read. The
// first byte picks the node's tensors from a few shapes the fuzzer can match.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "backend/edgetpu_executable.h"

namespace {

using coralpi::DataType;
using coralpi::TensorView;

struct Signature {
  std::vector<TensorView> inputs, outputs;
};

std::vector<Signature> Signatures() {
  auto v = [](DataType t, coralpi::Shape s) {
    return TensorView{t, std::move(s), nullptr, nullptr};
  };
  return {
      {{v(DataType::kUInt8, {1, 8, 8, 3})}, {v(DataType::kUInt8, {1, 16})}},
      {{v(DataType::kUInt8, {1, 16})}, {v(DataType::kUInt8, {1, 16})}},
      {{v(DataType::kUInt8, {1, 4, 4, 2}), v(DataType::kInt8, {1, 6})},
       {v(DataType::kUInt8, {1, 10}), v(DataType::kInt8, {1, 6}),
        v(DataType::kUInt8, {1, 4, 4, 2})}},
      {{v(DataType::kUInt8, {2, 16})}, {v(DataType::kFloat32, {2, 16})}},
      {{}, {v(DataType::kInt16, {1, 3, 3, 1})}},
  };
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const std::vector<Signature> kSignatures = Signatures();
  const Signature& node = kSignatures[data[0] % kSignatures.size()];
  std::span<const uint8_t> payload(data + 1, size - 1);
  auto info = coralpi::VerifyEdgeTpuCustomOp(payload, node.inputs, node.outputs);
  if (!info.ok()) return 0;
  if (info->packages.empty()) __builtin_trap();
  for (const coralpi::EdgeTpuPackageInfo& p : info->packages) {
    const coralpi::EdgeTpuExecutableInfo& main = p.main_executable();
    if (main.inputs.size() != node.inputs.size()) __builtin_trap();
    for (const coralpi::EdgeTpuLayerInfo& l : main.outputs) {
      if (l.values * l.element_bytes > l.padded_bytes) __builtin_trap();
    }
  }
  return 0;
}
