// Architectures without own kernels (arm64: XNNPACK's NEON dot-product kernels run there).
#include "engine/native/native_node.h"

namespace coralpi::native {

bool Supports(const OperatorInfo&, const Subgraph&) { return false; }
std::string RunnerName() { return "none"; }
Result<std::unique_ptr<NativeNode>> Create(const OperatorInfo& op, const Subgraph&,
                                           std::span<const TensorView>,
                                           std::span<const TensorView>) {
  return Error{op.name() + ": no own kernels on this architecture"};
}
void SplitEveryNode(bool) {}

}  // namespace coralpi::native
