// CpuEngine: planning (checks, placement, segments), memory, XNNPACK runtimes, invocation.
#include "engine/cpu_engine.h"

#include <pthreadpool.h>
#include <xnnpack.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <set>
#include <variant>

#include "core/timer.h"
#include "engine/memory_plan.h"
#include "engine/native/native_node.h"
#include "engine/op_kernel.h"
#include "engine/reference/parallel.h"
#include "engine/xnn_subgraph_builder.h"
#include "engine/xnnpack_init.h"

namespace coralpi {
namespace {

constexpr const char* kEdgeTpuCustomOp = "edgetpu-custom-op";

// Memory for one tensor, 64-byte aligned, with XNNPACK's read-past-the-end slack.
struct AlignedBuffer {
  void* data = nullptr;
  explicit AlignedBuffer(size_t bytes) {
    size_t size = (bytes + XNN_EXTRA_BYTES + 63) / 64 * 64;
    data = std::aligned_alloc(64, size);
    if (data) std::memset(data, 0, size);
  }
  ~AlignedBuffer() { std::free(data); }
  AlignedBuffer(const AlignedBuffer&) = delete;
  AlignedBuffer& operator=(const AlignedBuffer&) = delete;
};

std::string NodeWhere(const OperatorInfo& op) {
  return "operator " + std::to_string(op.index) + " (" + op.name() + ")";
}

// Why the engine cannot run `op`, or an empty string when it can.
std::string UnsupportedReason(const OperatorInfo& op, const Subgraph& g) {
  const OpKernel* kernel = FindOpKernel(op);
  if (!kernel && op.code == static_cast<int32_t>(OpCode::kCustom)) {
    if (op.custom_code == kEdgeTpuCustomOp) {
      return "this part of the model is compiled for the Edge TPU and runs only there; use the "
             "Edge TPU backend, or the model as it was before edgetpu_compiler";
    }
    return "custom operator \"" + op.custom_code + "\" is not supported by the CPU engine";
  }
  if (!kernel) return op.name() + " is not supported by the CPU engine";
  Status s = kernel->check(op, g);
  if (!s.ok()) return s.error().message;
  return "";
}

// Gives the outputs of `op` the shapes its kernel's output_shapes hook returns, if it has one.
// Returns why that failed, or an empty string.
std::string ResolveOutputShapes(const OperatorInfo& op, Subgraph& g) {
  const OpKernel* kernel = FindOpKernel(op);
  if (!kernel->output_shapes) return "";
  Result<std::vector<Shape>> shapes = kernel->output_shapes(op, g);
  if (!shapes.ok()) return shapes.error().message;
  if (shapes->size() != op.outputs.size()) return "output shapes do not match the outputs";
  for (size_t i = 0; i < op.outputs.size(); ++i) {
    g.tensors[static_cast<size_t>(op.outputs[i])].shape = (*shapes)[i];
  }
  return "";
}

// The caller's entry for a custom operator, or null.
const ExternalNodes* FindExternal(const OperatorInfo& op, const CpuEngineOptions& options) {
  if (op.code != static_cast<int32_t>(OpCode::kCustom)) return nullptr;
  for (const ExternalNodes& e : options.external) {
    if (e.custom_code == op.custom_code) return &e;
  }
  return nullptr;
}

// The main subgraph as the engine runs it (the model's, with the output shapes operators resolve
// at load time) and where each operator runs, checked in execution order.
struct Plan {
  Subgraph graph;
  std::vector<NodePlacement> nodes;
  std::vector<ByteChain> chains;  // in execution order
};

NodePlacement PlaceNode(const OperatorInfo& op, Subgraph& g, const CpuEngineOptions& options) {
  NodePlacement p;
  p.index = op.index;
  p.name = op.name();
  if (const ExternalNodes* e = FindExternal(op, options)) {
    p.supported = true;
    p.external = e->runs_on;
    return p;
  }
  p.reason = UnsupportedReason(op, g);
  if (p.reason.empty()) p.reason = ResolveOutputShapes(op, g);
  p.supported = p.reason.empty();
  if (p.supported && options.use_xnnpack) {
    const OpKernel* k = FindOpKernel(op);
    p.native = options.native_kernels && native::Supports(op, g);
    p.xnnpack = !p.native && k->xnn_supports && k->xnn_supports(op, g);
    if (!p.xnnpack && !p.native && k->xnn_rejection) p.reason = k->xnn_rejection(op, g);
  }
  return p;
}

// Folds the runs of elementwise operators that byte tables can replace (not on the reference
// path: it is the tests' oracle).
void FoldByteChains(Plan& plan) {
  std::vector<bool> usable(plan.nodes.size());
  for (size_t i = 0; i < usable.size(); ++i) {
    usable[i] = plan.nodes[i].supported && plan.nodes[i].external.empty();
  }
  plan.chains = FindByteChains(plan.graph, usable);
  for (const ByteChain& chain : plan.chains) {
    const std::string reason =
        "folded with operators " + std::to_string(plan.graph.operators[chain.first].index) +
        " to " + std::to_string(plan.graph.operators[chain.last].index) + " into one byte table";
    for (size_t k = chain.first; k <= chain.last; ++k) {
      NodePlacement& p = plan.nodes[k];
      p.table = true;
      p.xnnpack = p.native = false;
      p.reason = reason;
    }
  }
}

Plan MakePlan(const Model& model, const CpuEngineOptions& options) {
  Plan plan{model.main_graph(), {}, {}};
  for (const OperatorInfo& op : plan.graph.operators) {
    plan.nodes.push_back(PlaceNode(op, plan.graph, options));
  }
  if (options.use_xnnpack) FoldByteChains(plan);
  return plan;
}

}  // namespace

std::vector<NodePlacement> PlanPlacement(const Model& model, bool use_xnnpack,
                                         bool native_kernels) {
  CpuEngineOptions options;
  options.use_xnnpack = use_xnnpack;
  options.native_kernels = native_kernels;
  return PlanPlacement(model, options);
}

std::vector<NodePlacement> PlanPlacement(const Model& model, const CpuEngineOptions& options) {
  return MakePlan(model, options).nodes;
}

struct CpuEngine::Impl {
  struct XnnStep {
    xnn_runtime_t runtime = nullptr;
  };
  struct HostStep {
    const OpKernel* kernel;  // null for an external step
    const OperatorInfo* op;
    std::vector<TensorView> inputs;
    std::vector<TensorView> outputs;
    std::unique_ptr<ExternalStep> external;
  };
  struct NativeStep {
    std::unique_ptr<native::NativeNode> node;
    const OperatorInfo* op;
  };
  struct TableStep {
    ByteTable table;
    const uint8_t* in;
    uint8_t* out;
    int64_t elements;
  };

  Subgraph graph;  // the model's main subgraph with resolved shapes (MakePlan)
  pthreadpool_t threadpool = nullptr;
  std::unique_ptr<AlignedBuffer> arena;  // every buffered tensor (memory_plan.h)
  std::vector<uint8_t*> buffers;         // by tensor index, into the arena; null if none
  std::vector<std::variant<XnnStep, HostStep, NativeStep, TableStep>> steps;
  std::unique_ptr<AlignedBuffer> scratch;       // shared by the native steps
  std::unique_ptr<WorkPool> work_pool;  // the native steps' threads
  bool profile = false;
  std::vector<StepTiming> timings;  // one per step when profiling
  int64_t timed_invokes = 0;

  ~Impl() {
    // Last step first: external steps may hold resources (an Edge TPU) that outlive the plan.
    while (!steps.empty()) {
      if (auto* x = std::get_if<XnnStep>(&steps.back()); x && x->runtime)
        xnn_delete_runtime(x->runtime);
      steps.pop_back();
    }
    if (threadpool) pthreadpool_destroy(threadpool);
  }

  TensorView View(const Subgraph& g, int32_t index) const {
    TensorView v;
    if (index < 0) return v;
    const TensorInfo& t = g.tensors[static_cast<size_t>(index)];
    v.type = t.type;
    v.shape = t.shape;
    v.quant = &t.quant;
    v.data =
        t.is_constant() ? const_cast<uint8_t*>(t.data.data()) : buffers[static_cast<size_t>(index)];
    return v;
  }
};

CpuEngine::~CpuEngine() = default;

namespace {

// Per-tensor facts the planner needs: who writes it and which steps read it.
struct TensorUse {
  int producer_segment = -2;  // -2: none (graph input or constant); -1: host step; >= 0 XNNPACK
  std::set<int> consumer_segments;
  bool graph_io = false;
};

// Whether operators [begin, end) include a convolution or fully connected layer.
bool HasHeavyNode(const Subgraph& g, size_t begin, size_t end) {
  for (size_t i = begin; i < end; ++i) {
    switch (static_cast<OpCode>(g.operators[i].code)) {
      case OpCode::kConv2D:
      case OpCode::kDepthwiseConv2D:
      case OpCode::kFullyConnected:
        return true;
      default:
        break;
    }
  }
  return false;
}

Status CheckTensorsUsable(const Subgraph& g) {
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const TensorInfo& t = g.tensors[i];
    if (t.is_variable)
      return MakeError("tensor " + std::to_string(i), "variable tensors are not supported");
  }
  for (int32_t in : g.inputs) {
    if (g.tensors[static_cast<size_t>(in)].is_constant()) {
      return MakeError("input tensor " + std::to_string(in), "is a constant");
    }
  }
  return OkStatus();
}

}  // namespace

// One step for the operators of `chain`: a lookup from the first one's input to the last
// one's output.
Status CpuEngine::AddTableStep(Impl& impl, const Subgraph& g, const ByteChain& chain,
                               const std::string& name) {
  Result<ByteTable> table = ByteTable::Create(g, chain);
  if (!table.ok()) return WithContext(name, table.error());
  const auto in = static_cast<size_t>(chain.input), out = static_cast<size_t>(chain.output);
  impl.steps.emplace_back(Impl::TableStep{std::move(*table), impl.buffers[in], impl.buffers[out],
                                          g.tensors[in].num_elements()});
  impl.timings.push_back(
      {g.operators[chain.first].index, g.operators[chain.last].index, "byte table", 0});
  return OkStatus();
}

std::string CpuEngine::folded_summary() const {
  if (table_nodes_ == 0) return "";
  return ", " + std::to_string(table_nodes_) + " folded into byte tables";
}

// One own-kernel step over the engine's memory for `op`.
Status CpuEngine::AddNativeStep(Impl& impl, const Subgraph& g, const OperatorInfo& op,
                                const std::string& name) {
  std::vector<TensorView> inputs, outputs;
  for (int32_t t : op.inputs) inputs.push_back(impl.View(g, t));
  for (int32_t t : op.outputs) outputs.push_back(impl.View(g, t));
  auto node = native::Create(op, g, inputs, outputs);
  if (!node.ok()) return MakeError(name, NodeWhere(op) + ": " + node.error().message);
  impl.steps.emplace_back(Impl::NativeStep{std::move(*node), &op});
  impl.timings.push_back({op.index, op.index, native::RunnerName(), 0});
  return OkStatus();
}

// Places the buffered tensors in one arena by their lifetimes in steps (a segment of XNNPACK
// nodes is one step). Graph inputs and outputs live through the whole invoke and after it.
Status CpuEngine::AllocateArena(Impl& impl, const Subgraph& g, const std::vector<int>& segment_of,
                                const std::vector<bool>& buffered, const std::string& name) {
  std::vector<int32_t> step_of(g.operators.size(), 0);
  for (size_t i = 0, step = 0; i < g.operators.size(); ++i) {
    const bool continues = i > 0 && segment_of[i] >= 0 && segment_of[i] == segment_of[i - 1];
    step_of[i] = static_cast<int32_t>(continues ? step - 1 : step++);
  }
  constexpr int32_t kForever = std::numeric_limits<int32_t>::max();
  std::vector<TensorLifetime> life(g.tensors.size(), {0, kForever, -1});
  for (size_t i = 0; i < g.operators.size(); ++i) {
    for (int32_t t : g.operators[i].outputs) {
      life[static_cast<size_t>(t)].first_step =
          std::min(life[static_cast<size_t>(t)].first_step, step_of[i]);
    }
    for (int32_t t : g.operators[i].inputs) {
      if (t >= 0)
        life[static_cast<size_t>(t)].last_step =
            std::max(life[static_cast<size_t>(t)].last_step, step_of[i]);
    }
  }
  for (int32_t t : g.inputs) life[static_cast<size_t>(t)] = {0, -1, kForever};
  for (int32_t t : g.outputs) life[static_cast<size_t>(t)].last_step = kForever;
  std::vector<TensorLifetime> planned;
  std::vector<size_t> tensor_of;
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    if (!buffered[t]) continue;
    TensorLifetime l = life[t];
    l.bytes = g.tensors[t].num_bytes();
    l.last_step = std::max(l.last_step, l.first_step);  // written, never read
    planned.push_back(l);
    tensor_of.push_back(t);
  }
  const ArenaPlan plan = PlanArena(planned);
  impl.arena = std::make_unique<AlignedBuffer>(static_cast<size_t>(plan.bytes));
  if (!impl.arena->data) return MakeError(name, "out of memory for the tensors");
  impl.buffers.assign(g.tensors.size(), nullptr);
  for (size_t i = 0; i < planned.size(); ++i) {
    impl.buffers[tensor_of[i]] = static_cast<uint8_t*>(impl.arena->data) + plan.offsets[i];
  }
  return OkStatus();
}

// The scratch memory the native steps share (they run one after the other).
Status CpuEngine::AllocateScratch(Impl& impl, const std::string& name) {
  size_t bytes = 0;
  for (const auto& step : impl.steps) {
    if (const auto* n = std::get_if<Impl::NativeStep>(&step))
      bytes = std::max(bytes, n->node->scratch_bytes());
  }
  if (bytes == 0) return OkStatus();
  impl.scratch = std::make_unique<AlignedBuffer>(bytes);
  if (!impl.scratch->data) return MakeError(name, "out of memory for the kernels' scratch");
  return OkStatus();
}

Result<std::unique_ptr<CpuEngine>> CpuEngine::Create(std::shared_ptr<const Model> model,
                                                     const CpuEngineOptions& options) {
  const std::string& name = model->name();
  if (options.threads < 1) return MakeError(name, "the thread count must be at least 1");
  CORALPI_RETURN_IF_ERROR(EnsureXnnpackInitialized());
  {
    Status s = CheckTensorsUsable(model->main_graph());
    if (!s.ok()) return WithContext(name, s.error());
  }
  std::unique_ptr<CpuEngine> engine(new CpuEngine());
  engine->model_ = model;
  engine->impl_ = std::make_unique<Impl>();
  Impl& impl = *engine->impl_;

  // 1. Check every operator and decide where it runs; group XNNPACK runs into segments.
  Plan plan = MakePlan(*model, options);
  impl.graph = std::move(plan.graph);
  const Subgraph& g = impl.graph;
  const std::vector<NodePlacement>& placement = plan.nodes;
  impl.profile = options.profile;
  std::vector<int> segment_of(g.operators.size(), -1);
  int segments = 0;
  for (size_t i = 0; i < placement.size(); ++i) {
    if (!placement[i].supported) {
      return MakeError(name, NodeWhere(g.operators[i]) + ": " + placement[i].reason);
    }
    if (placement[i].xnnpack) {
      bool continues = i > 0 && placement[i - 1].xnnpack && !options.profile;
      segment_of[i] = continues ? segments - 1 : segments++;
    }
  }

  // 2. Record producers and consumers; every read tensor must be written first.
  std::vector<TensorUse> use(g.tensors.size());
  for (int32_t t : g.inputs) use[static_cast<size_t>(t)].graph_io = true;
  for (int32_t t : g.outputs) use[static_cast<size_t>(t)].graph_io = true;
  std::vector<bool> written(g.tensors.size(), false);
  for (int32_t t : g.inputs) written[static_cast<size_t>(t)] = true;
  for (size_t i = 0; i < g.operators.size(); ++i) {
    const OperatorInfo& op = g.operators[i];
    for (int32_t t : op.inputs) {
      if (t < 0) continue;
      const TensorInfo& info = g.tensors[static_cast<size_t>(t)];
      if (!info.is_constant() && !written[static_cast<size_t>(t)]) {
        return MakeError(name, NodeWhere(op) + ": reads tensor " + std::to_string(t) + " (" +
                                   info.name + ") before anything writes it");
      }
      use[static_cast<size_t>(t)].consumer_segments.insert(segment_of[i]);
    }
    for (int32_t t : op.outputs) {
      if (g.tensors[static_cast<size_t>(t)].is_constant()) {
        return MakeError(name,
                         NodeWhere(op) + ": writes into constant tensor " + std::to_string(t));
      }
      use[static_cast<size_t>(t)].producer_segment = segment_of[i];
      written[static_cast<size_t>(t)] = true;
    }
  }
  for (int32_t t : g.outputs) {
    if (!written[static_cast<size_t>(t)]) {
      return MakeError(name, "output tensor " + std::to_string(t) + " is never written");
    }
  }

  // 3. Memory: tensors outside XNNPACK, or crossing a segment's boundary, get a buffer in the
  // arena, shared with the tensors that are never alive at the same time.
  // The tensors inside a byte-table chain are never written.
  std::vector<bool> folded(g.tensors.size(), false);
  for (const ByteChain& c : plan.chains) {
    for (size_t k = c.first; k < c.last; ++k)
      folded[static_cast<size_t>(g.operators[k].outputs[0])] = true;
  }
  std::vector<bool> buffered(g.tensors.size(), false);
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    const TensorInfo& info = g.tensors[t];
    const TensorUse& u = use[t];
    if (info.is_constant() || folded[t] || (u.producer_segment == -2 && !u.graph_io)) continue;
    bool internal = u.producer_segment >= 0 && !u.graph_io &&
                    u.consumer_segments == std::set<int>{u.producer_segment};
    if (internal) continue;
    if (info.num_bytes() < 0)
      return MakeError(name, "tensor " + std::to_string(t) + " is too large");
    buffered[t] = true;
  }
  CORALPI_RETURN_IF_ERROR(AllocateArena(impl, g, segment_of, buffered, name));

  const bool any_native = std::any_of(placement.begin(), placement.end(),
                                      [](const NodePlacement& p) { return p.native; });
  const bool any_host = std::any_of(placement.begin(), placement.end(),
                                    [](const NodePlacement& p) { return !p.native && !p.xnnpack; });
  // The own kernels' threads, lent to the reference kernels that split their work too.
  if (options.threads > 1 && (any_native || any_host)) {
    impl.work_pool = std::make_unique<WorkPool>(options.threads);
  }
  if (segments > 0 && options.threads > 1) {
    impl.threadpool = pthreadpool_create(static_cast<size_t>(options.threads));
    if (!impl.threadpool)
      return MakeError(name,
                       "cannot create a pool of " + std::to_string(options.threads) + " threads");
  }

  // 4. Steps in execution order: one XNNPACK runtime per segment, one host step per other node.
  auto next_chain = plan.chains.begin();
  for (size_t i = 0; i < g.operators.size();) {
    const OperatorInfo& op = g.operators[i];
    if (placement[i].table) {
      CORALPI_RETURN_IF_ERROR(AddTableStep(impl, g, *next_chain, name));
      engine->table_nodes_ += static_cast<int>(next_chain->last - next_chain->first + 1);
      i = next_chain->last + 1;
      ++next_chain;
      continue;
    }
    if (placement[i].native) {
      CORALPI_RETURN_IF_ERROR(AddNativeStep(impl, g, op, name));
      ++engine->native_nodes_;
      ++i;
      continue;
    }
    if (segment_of[i] < 0) {
      Impl::HostStep step{FindOpKernel(op), &op, {}, {}, nullptr};
      for (int32_t t : op.inputs) step.inputs.push_back(impl.View(g, t));
      for (int32_t t : op.outputs) step.outputs.push_back(impl.View(g, t));
      if (const ExternalNodes* e = FindExternal(op, options)) {
        if (!e->create) return MakeError(name, NodeWhere(op) + ": no " + e->runs_on + " to run it");
        auto made = e->create(op, step.inputs, step.outputs);
        if (!made.ok()) return MakeError(name, NodeWhere(op) + ": " + made.error().message);
        step.external = std::move(*made);
        impl.timings.push_back({op.index, op.index, e->runs_on, 0});
        ++engine->external_nodes_;
      } else {
        impl.timings.push_back({op.index, op.index, "reference", 0});
        ++engine->reference_nodes_;
      }
      impl.steps.emplace_back(std::move(step));
      ++i;
      continue;
    }
    int seg = segment_of[i];
    size_t end = i;
    while (end < g.operators.size() && segment_of[end] == seg) ++end;
    // External values: buffered tensors touched by this segment.
    std::vector<int32_t> external;
    std::set<int32_t> seg_outputs;
    for (size_t k = i; k < end; ++k) {
      for (int32_t t : g.operators[k].inputs) {
        if (t >= 0 && impl.buffers[static_cast<size_t>(t)] &&
            std::find(external.begin(), external.end(), t) == external.end())
          external.push_back(t);
      }
      for (int32_t t : g.operators[k].outputs) {
        if (impl.buffers[static_cast<size_t>(t)]) {
          if (std::find(external.begin(), external.end(), t) == external.end())
            external.push_back(t);
          seg_outputs.insert(t);
        }
      }
    }
    XnnSubgraphBuilder builder(g, external, seg_outputs);
    CORALPI_RETURN_IF_ERROR(builder.Init());
    for (size_t k = i; k < end; ++k) {
      const OperatorInfo& node = g.operators[k];
      Status s = FindOpKernel(node)->xnn_define(builder, node);
      if (!s.ok()) return MakeError(name, NodeWhere(node) + ": " + s.error().message);
    }
    Impl::XnnStep step;
    xnn_subgraph_t subgraph = builder.subgraph();
    // Next to the own kernels XNNPACK runs only light nodes (ADD, pooling, RESHAPE): one thread
    // does them sooner than a pool dispatch would.
    pthreadpool_t pool = any_native && !HasHeavyNode(g, i, end) ? nullptr : impl.threadpool;
    xnn_status st = xnn_create_runtime_v2(subgraph, pool, 0, &step.runtime);
    if (st != xnn_status_success) {
      return MakeError(name, "operators " + std::to_string(i) + " to " + std::to_string(end - 1) +
                                 ": " + XnnError("xnn_create_runtime_v2", st).message);
    }
    impl.steps.emplace_back(step);
    impl.timings.push_back({g.operators[i].index, g.operators[end - 1].index, "xnnpack", 0});
    std::vector<xnn_external_value> values;
    for (size_t e = 0; e < external.size(); ++e) {
      values.push_back({static_cast<uint32_t>(e), impl.buffers[static_cast<size_t>(external[e])]});
    }
    st = xnn_setup_runtime(step.runtime, values.size(), values.data());
    if (st != xnn_status_success) return MakeError(name, XnnError("xnn_setup_runtime", st).message);
    engine->xnnpack_nodes_ += static_cast<int>(end - i);
    i = end;
  }
  CORALPI_RETURN_IF_ERROR(AllocateScratch(impl, name));
  return engine;
}

size_t CpuEngine::input_count() const { return graph().inputs.size(); }
size_t CpuEngine::output_count() const { return graph().outputs.size(); }
const Subgraph& CpuEngine::graph() const { return impl_->graph; }

const TensorInfo& CpuEngine::input_info(size_t i) const {
  return graph().tensors[static_cast<size_t>(graph().inputs[i])];
}
const TensorInfo& CpuEngine::output_info(size_t i) const {
  return graph().tensors[static_cast<size_t>(graph().outputs[i])];
}
TensorView CpuEngine::input(size_t i) const { return impl_->View(graph(), graph().inputs[i]); }
TensorView CpuEngine::output(size_t i) const { return impl_->View(graph(), graph().outputs[i]); }

int CpuEngine::xnnpack_runtime_count() const {
  int n = 0;
  for (const auto& s : impl_->steps) n += std::holds_alternative<Impl::XnnStep>(s) ? 1 : 0;
  return n;
}

Status CpuEngine::RunStep(size_t i) {
  auto& step = impl_->steps[i];
  if (auto* x = std::get_if<Impl::XnnStep>(&step)) {
    xnn_status s = xnn_invoke_runtime(x->runtime);
    if (s != xnn_status_success)
      return WithContext(model_->name(), XnnError("xnn_invoke_runtime", s));
    return OkStatus();
  }
  if (auto* t = std::get_if<Impl::TableStep>(&step)) {
    reference::PoolScope lend(impl_->work_pool.get());
    const int64_t c = t->table.channels();
    reference::ParallelFor(t->elements / c, 16384, [t, c](int64_t begin, int64_t end) {
      t->table.Apply(t->in + begin * c, t->out + begin * c, end - begin);
    });
    return OkStatus();
  }
  if (auto* n = std::get_if<Impl::NativeStep>(&step)) {
    uint8_t* scratch = impl_->scratch ? static_cast<uint8_t*>(impl_->scratch->data) : nullptr;
    Status s = n->node->Run(impl_->work_pool.get(), scratch);
    if (!s.ok()) return MakeError(model_->name(), NodeWhere(*n->op) + ": " + s.error().message);
    return OkStatus();
  }
  auto& h = std::get<Impl::HostStep>(step);
  reference::PoolScope lend(impl_->work_pool.get());  // for the kernels that split their work
  Status s = h.external ? h.external->Run() : h.kernel->run(*h.op, h.inputs, h.outputs);
  if (!s.ok()) return MakeError(model_->name(), NodeWhere(*h.op) + ": " + s.error().message);
  return OkStatus();
}

Status CpuEngine::Invoke() {
  if (!impl_->profile) {
    for (size_t i = 0; i < impl_->steps.size(); ++i) CORALPI_RETURN_IF_ERROR(RunStep(i));
    return OkStatus();
  }
  Stopwatch watch;
  for (size_t i = 0; i < impl_->steps.size(); ++i) {
    watch.Restart();
    CORALPI_RETURN_IF_ERROR(RunStep(i));
    impl_->timings[i].total_ms += watch.ElapsedMs();
  }
  ++impl_->timed_invokes;
  return OkStatus();
}

std::vector<StepTiming> CpuEngine::step_timings() const {
  return impl_->profile ? impl_->timings : std::vector<StepTiming>{};
}

int64_t CpuEngine::timed_invokes() const { return impl_->timed_invokes; }

void CpuEngine::ResetStepTimings() {
  for (StepTiming& t : impl_->timings) t.total_ms = 0;
  impl_->timed_invokes = 0;
}

}  // namespace coralpi
