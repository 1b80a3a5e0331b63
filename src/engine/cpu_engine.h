// CpuEngine: runs a model's main subgraph on the CPU.
//
// At load time every operator is checked (types, shapes, options); a model with an
// unsupported operator or type is rejected then, naming the operator, its index and the model.
// Consecutive operators that XNNPACK can run form one XNNPACK runtime (with a pthreadpool of
// `threads` threads); the others run on the project's reference kernels between them. Where the
// engine has own kernels for the CPU (engine/native: 8-bit convolutions with AVX-512 VNNI),
// they take their operators out of the XNNPACK runs. Runs of elementwise operators from an
// 8-bit tensor to an 8-bit tensor become one table lookup (byte_table.h). With use_xnnpack =
// false every operator runs on its reference kernel (the tests' oracle). Custom operators the
// engine cannot run itself (the Edge TPU's edgetpu-custom-op) can be run by the caller, in the
// same plan: see ExternalNodes.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "model/model.h"

namespace coralpi {

// One node run by the caller, created at CpuEngine::Create and run in plan order by Invoke.
class ExternalStep {
 public:
  virtual ~ExternalStep() = default;
  virtual Status Run() = 0;
};

// Custom operators of one custom code that the caller runs. At Create, the engine asks
// `create` for a step for each such node, in plan order, with views of the node's tensors
// (memory the engine owns and keeps in place for its life; constants point into the model).
// Steps are destroyed, in reverse plan order, before that memory and before the engine's
// other state.
struct ExternalNodes {
  std::string custom_code;  // "edgetpu-custom-op"
  std::string runs_on;      // where placement says these nodes run: "Edge TPU"
  // null: planning only (PlanPlacement)
  std::function<Result<std::unique_ptr<ExternalStep>>(const OperatorInfo& op,
                                                      std::span<const TensorView> inputs,
                                                      std::span<const TensorView> outputs)>
      create;
};

struct CpuEngineOptions {
  int threads = 1;
  bool use_xnnpack = true;
  // Runs every node as its own step (one XNNPACK runtime per node) and times each step, for
  // `bench --profile`. An approximation of the normal run: no fusion across the nodes of a
  // segment, and one thread-pool dispatch per node.
  bool profile = false;
  // The engine's own kernels where this CPU has them (engine/native; false: XNNPACK only).
  bool native_kernels = true;
  std::vector<ExternalNodes> external;
};

// Time spent in one step of the engine: an XNNPACK runtime over operators [first, last], or
// one operator on another kernel.
struct StepTiming {
  int32_t first_node = 0;
  int32_t last_node = 0;
  std::string runner;   // "xnnpack", "reference", an external step's runs_on, ...
  double total_ms = 0;  // over every timed invoke
};

// Where one operator runs, for `inspect` and `bench`.
struct NodePlacement {
  int32_t index = 0;
  std::string name;
  bool supported = false;
  bool xnnpack = false;  // false: the reference kernel (or an own kernel, or an external step)
  bool native = false;   // one of the engine's own kernels (engine/native) runs it
  bool table = false;    // folded with its neighbours into one byte table (byte_table.h)
  bool folded = false;   // folded into a constant when the model is loaded (constant_folding.h)
  std::string external;  // ExternalNodes::runs_on when the caller runs it, else ""
  std::string reason;    // why it is unsupported, or why XNNPACK does not take it, when known
};

// Checks every operator of the main subgraph without building anything. With use_xnnpack, the
// engine's own kernels take what they support on this CPU (placement `native`).
std::vector<NodePlacement> PlanPlacement(const Model& model, bool use_xnnpack = true,
                                         bool native_kernels = true);
// The same, with the nodes of `options.external` placed there.
std::vector<NodePlacement> PlanPlacement(const Model& model, const CpuEngineOptions& options);

class CpuEngine {
 public:
  static Result<std::unique_ptr<CpuEngine>> Create(std::shared_ptr<const Model> model,
                                                   const CpuEngineOptions& options = {});
  ~CpuEngine();
  CpuEngine(const CpuEngine&) = delete;
  CpuEngine& operator=(const CpuEngine&) = delete;

  const Model& model() const { return *model_; }
  // The main subgraph as the engine runs it: the model's, except that the outputs of operators
  // with an output_shapes hook (op_kernel.h) have the shapes resolved at load time. input_info,
  // output_info and the views use these shapes.
  const Subgraph& graph() const;
  size_t input_count() const;
  size_t output_count() const;
  const TensorInfo& input_info(size_t i) const;
  const TensorInfo& output_info(size_t i) const;
  // Views of the engine's own input and output memory; fill inputs, Invoke, read outputs.
  TensorView input(size_t i) const;
  TensorView output(size_t i) const;

  Status Invoke();

  int xnnpack_node_count() const { return xnnpack_nodes_; }
  int reference_node_count() const { return reference_nodes_; }
  int native_node_count() const { return native_nodes_; }
  int external_node_count() const { return external_nodes_; }
  int table_node_count() const { return table_nodes_; }  // folded into byte tables
  // DEQUANTIZE operators of float16 constants, folded into constants at load time
  // (constant_folding.h); they run nowhere.
  int folded_node_count() const { return folded_nodes_; }
  // The input quantizations of dynamic-range nodes run on the host before XNNPACK runs the node
  // (hybrid_rewrite.h); not counted as operators.
  int host_quantize_node_count() const { return host_quantize_nodes_; }
  // ", N folded into byte tables", ", N folded into constants" and ", N dynamic-range inputs
  // quantized on the host" when any were, else "" (for the backends' descriptions).
  std::string folded_summary() const;
  int xnnpack_runtime_count() const;

  // With options.profile: the time of each step, summed over the invokes since creation or
  // the last ResetStepTimings; empty otherwise.
  std::vector<StepTiming> step_timings() const;
  int64_t timed_invokes() const;
  void ResetStepTimings();

 private:
  struct Impl;                    // cpu_engine_impl.h
  friend class CpuEngineBuilder;  // Create's phases (cpu_engine_build.cc)
  CpuEngine() = default;
  Status RunStep(size_t i);
  std::shared_ptr<const Model> model_;
  std::unique_ptr<Impl> impl_;
  int xnnpack_nodes_ = 0;
  int reference_nodes_ = 0;
  int native_nodes_ = 0;
  int external_nodes_ = 0;
  int table_nodes_ = 0;
  int folded_nodes_ = 0;
  int host_quantize_nodes_ = 0;
};

}  // namespace coralpi
