// NativeNode: an operator prepared for one of the engine's own 8-bit kernels (packed weights,
// per-channel constants, indirection tables over the engine's tensor memory), run as one step
// of the CPU engine between XNNPACK runtimes and reference kernels.
//
// Own kernels exist where they beat Debian's 2022 XNNPACK: on x86-64 with AVX-512 VNNI, the
// uint8 and int8 convolutions, depthwise convolutions and fully connected layers (XNNPACK of
// that date has no VNNI kernels), and where the reference kernels ran whole images: uint8
// RESIZE_BILINEAR and 8-bit ARG_MAX (spatial.cc), 8-bit PAD, TRANSPOSE, CONCATENATION,
// STRIDED_SLICE and SLICE (movement.cc) and 8-bit SOFTMAX (softmax.cc). They compute exactly what the reference kernels compute
// (kernels.h); elsewhere (arm64, older x86) Supports says no and XNNPACK or the
// reference kernel keeps the node.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "core/result.h"
#include "engine/work_pool.h"
#include "engine/tensor_view.h"
#include "model/model.h"

namespace coralpi::native {

class NativeNode {
 public:
  virtual ~NativeNode() = default;
  // Runs the node on `pool` (null: the calling thread alone); `scratch` holds at least
  // scratch_bytes() (64-byte aligned), shared by the nodes.
  virtual Status Run(WorkPool* pool, uint8_t* scratch) = 0;
  virtual size_t scratch_bytes() const = 0;
};

// Whether an own kernel runs `op` on this CPU (with the ISA limit of cpu_isa.h).
bool Supports(const OperatorInfo& op, const Subgraph& g);
// The name of the kernel set Supports chose, e.g. "avx512vnni" (for placement and profiles).
std::string RunnerName();
// Prepares `op` over the engine's memory: views of its inputs and outputs, whose data pointers
// stay valid and fixed for the node's life. Only for nodes Supports accepted.
Result<std::unique_ptr<NativeNode>> Create(const OperatorInfo& op, const Subgraph& g,
                                           std::span<const TensorView> inputs,
                                           std::span<const TensorView> outputs);

// Nodes estimated to take under about 8 us run on the calling thread alone (prepared.h). For
// tests of the split: true makes every node use the pool however small; false (the default)
// only the nodes worth it. Nothing to split on architectures without own kernels.
void SplitEveryNode(bool on);

}  // namespace coralpi::native
