// CpuEngine's state: its memory and its steps in execution order, each with its time. Shared by
// cpu_engine.cc (running the steps) and cpu_engine_build.cc (making them); private to the engine.
#pragma once

#include <cstdint>
#include <memory>
#include <variant>
#include <vector>

#include "engine/byte_table.h"
#include "engine/cpu_engine.h"
#include "engine/native/native_node.h"
#include "engine/op_kernel.h"
#include "engine/work_pool.h"
#include "engine/xnnpack/runtime.h"

namespace coralpi {

// Memory for tensors, 64-byte aligned, zeroed, with XNNPACK's read-past-the-end slack.
class AlignedBuffer {
 public:
  explicit AlignedBuffer(size_t bytes);
  ~AlignedBuffer();
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
  uint8_t* data() const { return data_; }

 private:
  uint8_t* data_ = nullptr;
};

struct CpuEngine::Impl {
  // An XNNPACK runtime over a segment of operators.
  struct XnnStep {
    std::unique_ptr<xnnpack::Runtime> runtime;
  };
  // One operator on its reference kernel, or on the caller's external step.
  struct HostStep {
    const OpKernel* kernel;  // null for an external step
    const OperatorInfo* op;
    std::vector<TensorView> inputs;
    std::vector<TensorView> outputs;
    std::unique_ptr<ExternalStep> external;
  };
  // One operator on an own kernel (engine/native).
  struct NativeStep {
    std::unique_ptr<native::NativeNode> node;
    const OperatorInfo* op;
  };
  // A folded chain of elementwise operators (byte_table.h).
  struct TableStep {
    ByteTable table;
    const uint8_t* in;
    uint8_t* out;
    int64_t elements;
  };
  struct Step {
    std::variant<XnnStep, HostStep, NativeStep, TableStep> run;
    StepTiming timing;  // its operators, its runner, its time when profiling
  };

  Subgraph graph;  // the model's main subgraph with resolved shapes (MakePlan)
  std::vector<std::vector<uint8_t>> folded_constants;  // constant data `graph` points into
  std::unique_ptr<xnnpack::ThreadPool> threadpool;  // the XNNPACK steps' threads
  std::unique_ptr<AlignedBuffer> arena;             // every buffered tensor (memory_plan.h)
  std::vector<uint8_t*> buffers;                    // by tensor index, into the arena; null if none
  std::unique_ptr<AlignedBuffer> scratch;           // shared by the native steps
  std::unique_ptr<WorkPool> work_pool;              // the native and reference steps' threads
  std::vector<Step> steps;                          // destroyed before the memory and the pools
  bool profile = false;
  int64_t timed_invokes = 0;

  ~Impl();
  TensorView View(int32_t index) const;
};

}  // namespace coralpi
