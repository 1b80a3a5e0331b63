// CpuEngine::Create in its phases: place the operators, trace the tensors, plan the memory, make
// the thread pools, then one step per XNNPACK segment, folded chain or other operator.
#include <algorithm>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "engine/cpu_engine.h"
#include "engine/cpu_engine_impl.h"
#include "engine/hybrid_rewrite.h"
#include "engine/memory_plan.h"
#include "engine/placement.h"
#include "engine/xnnpack/init.h"
#include "engine/xnnpack/subgraph_builder.h"

namespace coralpi {
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

// Each tensor's first and last step (a segment of XNNPACK nodes is one step); graph inputs and
// outputs live through the whole invoke and after it.
std::vector<TensorLifetime> Lifetimes(const Subgraph& g, const std::vector<int>& segment_of) {
  std::vector<int32_t> step_of(g.operators.size(), 0);
  for (size_t i = 0, step = 0; i < g.operators.size(); ++i) {
    const bool continues = i > 0 && segment_of[i] >= 0 && segment_of[i] == segment_of[i - 1];
    step_of[i] = static_cast<int32_t>(continues ? step - 1 : step++);
  }
  constexpr int32_t kForever = std::numeric_limits<int32_t>::max();
  std::vector<TensorLifetime> life(g.tensors.size(), {0, kForever, -1});
  for (size_t i = 0; i < g.operators.size(); ++i) {
    for (int32_t t : g.operators[i].outputs) {
      auto& l = life[static_cast<size_t>(t)];
      l.first_step = std::min(l.first_step, step_of[i]);
    }
    for (int32_t t : g.operators[i].inputs) {
      if (t < 0) continue;
      auto& l = life[static_cast<size_t>(t)];
      l.last_step = std::max(l.last_step, step_of[i]);
    }
  }
  for (int32_t t : g.inputs) life[static_cast<size_t>(t)] = {0, -1, kForever};
  for (int32_t t : g.outputs) life[static_cast<size_t>(t)].last_step = kForever;
  return life;
}

Status CheckTensorsUsable(const Subgraph& g) {
  for (size_t i = 0; i < g.tensors.size(); ++i) {
    const TensorInfo& t = g.tensors[i];
    if (t.is_variable) {
      return MakeError(ErrorKind::kUnsupported, "tensor " + std::to_string(i),
                       "variable tensors are not supported");
    }
  }
  for (int32_t in : g.inputs) {
    if (g.tensors[static_cast<size_t>(in)].is_constant()) {
      return MakeError("input tensor " + std::to_string(in), "is a constant");
    }
  }
  return OkStatus();
}

}  // namespace

// The state Create's phases share; each phase is one member function, run in order by Build.
class CpuEngineBuilder {
 public:
  CpuEngineBuilder(std::shared_ptr<const Model> model, const CpuEngineOptions& options);
  Result<std::unique_ptr<CpuEngine>> Build();

 private:
  Status PlaceOperators();
  Status TraceTensors();
  Status AllocateTensors();
  Status CreatePools();
  Status AddSteps();
  Status AddTableStep(const ByteChain& chain);
  Status AddNativeStep(const OperatorInfo& op);
  Status AddHostStep(const OperatorInfo& op);
  Status AddXnnStep(size_t begin, size_t end);
  std::vector<int32_t> SegmentBoundary(size_t begin, size_t end, std::set<int32_t>* outputs) const;
  Status AllocateScratch();

  const Subgraph& graph() const { return impl_.graph; }
  Error Fail(const std::string& what) const { return MakeError(name_, what); }
  std::vector<TensorView> Views(const std::vector<int32_t>& tensors) const;
  void AddStep(CpuEngine::Impl::Step step) { impl_.steps.push_back(std::move(step)); }

  std::unique_ptr<CpuEngine> engine_;
  CpuEngine::Impl& impl_;
  const CpuEngineOptions& options_;
  const std::string name_;
  Plan plan_;
  std::vector<int> segment_of_;  // by operator: its XNNPACK segment, or -1
  int segments_ = 0;
  bool any_native_ = false;  // an own kernel runs some operator
  std::vector<TensorUse> use_;  // by tensor
};

CpuEngineBuilder::CpuEngineBuilder(std::shared_ptr<const Model> model,
                                   const CpuEngineOptions& options)
    : engine_(new CpuEngine()),
      impl_(*(engine_->impl_ = std::make_unique<CpuEngine::Impl>())),
      options_(options),
      name_(model->name()) {
  engine_->model_ = std::move(model);
  impl_.profile = options.profile;
}

Result<std::unique_ptr<CpuEngine>> CpuEngineBuilder::Build() {
  if (options_.threads < 1) {
    return MakeError(ErrorKind::kBadArgument, name_, "the thread count must be at least 1");
  }
  CORALPI_RETURN_IF_ERROR(xnnpack::EnsureInitialized());
  Status usable = CheckTensorsUsable(engine_->model().main_graph());
  if (!usable.ok()) return WithContext(name_, usable.error());
  CORALPI_RETURN_IF_ERROR(PlaceOperators());
  CORALPI_RETURN_IF_ERROR(TraceTensors());
  CORALPI_RETURN_IF_ERROR(AllocateTensors());
  CORALPI_RETURN_IF_ERROR(CreatePools());
  CORALPI_RETURN_IF_ERROR(AddSteps());
  CORALPI_RETURN_IF_ERROR(AllocateScratch());
  return std::move(engine_);
}

// Checks every operator and decides where it runs; consecutive XNNPACK operators form a segment
// (one per operator when profiling).
Status CpuEngineBuilder::PlaceOperators() {
  plan_ = MakePlan(engine_->model(), options_);
  impl_.graph = std::move(plan_.graph);
  impl_.folded_constants = std::move(plan_.folded.data);
  engine_->folded_nodes_ = static_cast<int>(plan_.folded.nodes.size());
  const std::vector<NodePlacement>& placement = plan_.nodes;
  segment_of_.assign(graph().operators.size(), -1);
  for (size_t i = 0; i < placement.size(); ++i) {
    if (!placement[i].supported) {
      return MakeError(ErrorKind::kUnsupported, name_,
                       NodeWhere(graph().operators[i]) + ": " + placement[i].reason);
    }
    if (placement[i].xnnpack) {
      const bool continues = i > 0 && placement[i - 1].xnnpack && !options_.profile;
      segment_of_[i] = continues ? segments_ - 1 : segments_++;
    }
  }
  return OkStatus();
}

// Records each tensor's producer and consumers; every read tensor must be written first.
Status CpuEngineBuilder::TraceTensors() {
  const Subgraph& g = graph();
  use_.assign(g.tensors.size(), {});
  for (int32_t t : g.inputs) use_[static_cast<size_t>(t)].graph_io = true;
  for (int32_t t : g.outputs) use_[static_cast<size_t>(t)].graph_io = true;
  std::vector<bool> written(g.tensors.size(), false);
  for (int32_t t : g.inputs) written[static_cast<size_t>(t)] = true;
  for (size_t i = 0; i < g.operators.size(); ++i) {
    const OperatorInfo& op = g.operators[i];
    for (int32_t t : op.inputs) {
      if (t < 0) continue;
      const TensorInfo& info = g.tensors[static_cast<size_t>(t)];
      if (!info.is_constant() && !written[static_cast<size_t>(t)]) {
        return Fail(NodeWhere(op) + ": reads tensor " + std::to_string(t) + " (" + info.name +
                    ") before anything writes it");
      }
      use_[static_cast<size_t>(t)].consumer_segments.insert(segment_of_[i]);
    }
    for (int32_t t : op.outputs) {
      if (g.tensors[static_cast<size_t>(t)].is_constant()) {
        return Fail(NodeWhere(op) + ": writes into constant tensor " + std::to_string(t));
      }
      use_[static_cast<size_t>(t)].producer_segment = segment_of_[i];
      written[static_cast<size_t>(t)] = true;
    }
  }
  for (int32_t t : g.outputs) {
    if (!written[static_cast<size_t>(t)]) {
      return Fail("output tensor " + std::to_string(t) + " is never written");
    }
  }
  return OkStatus();
}

// Tensors outside XNNPACK, or crossing a segment's boundary, get a buffer in one arena, shared
// with the tensors that are never alive at the same time (Lifetimes); the tensors inside a
// byte-table chain are never written.
Status CpuEngineBuilder::AllocateTensors() {
  const Subgraph& g = graph();
  std::vector<bool> folded(g.tensors.size(), false);
  for (const ByteChain& c : plan_.chains) {
    for (size_t k = c.first; k < c.last; ++k)
      folded[static_cast<size_t>(g.operators[k].outputs[0])] = true;
  }
  const std::vector<TensorLifetime> life = Lifetimes(g, segment_of_);
  std::vector<TensorLifetime> planned;
  std::vector<size_t> tensor_of;
  for (size_t t = 0; t < g.tensors.size(); ++t) {
    const TensorInfo& info = g.tensors[t];
    const TensorUse& u = use_[t];
    if (info.is_constant() || folded[t] || (u.producer_segment == -2 && !u.graph_io)) continue;
    const bool internal = u.producer_segment >= 0 && !u.graph_io &&
                          u.consumer_segments == std::set<int>{u.producer_segment};
    if (internal) continue;
    if (info.num_bytes() < 0) return Fail("tensor " + std::to_string(t) + " is too large");
    TensorLifetime l = life[t];
    l.bytes = info.num_bytes();
    l.last_step = std::max(l.last_step, l.first_step);  // written, never read
    planned.push_back(l);
    tensor_of.push_back(t);
  }
  const ArenaPlan arena = PlanArena(planned);
  impl_.arena = std::make_unique<AlignedBuffer>(static_cast<size_t>(arena.bytes));
  if (!impl_.arena->data()) return Fail("out of memory for the tensors");
  impl_.buffers.assign(g.tensors.size(), nullptr);
  for (size_t i = 0; i < planned.size(); ++i) {
    impl_.buffers[tensor_of[i]] = impl_.arena->data() + arena.offsets[i];
  }
  return OkStatus();
}

// The own kernels' threads, lent to the reference kernels that split their work too, and
// XNNPACK's.
Status CpuEngineBuilder::CreatePools() {
  const auto& nodes = plan_.nodes;
  any_native_ =
      std::any_of(nodes.begin(), nodes.end(), [](const NodePlacement& p) { return p.native; });
  const bool any_host = std::any_of(nodes.begin(), nodes.end(), [](const NodePlacement& p) {
    return !p.native && !p.xnnpack;
  });
  if (options_.threads > 1 && (any_native_ || any_host)) {
    impl_.work_pool = std::make_unique<WorkPool>(options_.threads);
  }
  if (segments_ > 0 && options_.threads > 1) {
    auto pool = xnnpack::ThreadPool::Create(options_.threads);
    if (!pool.ok()) return WithContext(name_, pool.error());
    impl_.threadpool = std::move(*pool);
  }
  return OkStatus();
}

// Steps in execution order: one per byte-table chain, XNNPACK segment or other operator.
Status CpuEngineBuilder::AddSteps() {
  const Subgraph& g = graph();
  auto next_chain = plan_.chains.begin();
  for (size_t i = 0; i < g.operators.size();) {
    const NodePlacement& p = plan_.nodes[i];
    if (p.table) {
      CORALPI_RETURN_IF_ERROR(AddTableStep(*next_chain));
      i = next_chain->last + 1;
      ++next_chain;
    } else if (segment_of_[i] >= 0) {
      size_t end = i;
      while (end < g.operators.size() && segment_of_[end] == segment_of_[i]) ++end;
      CORALPI_RETURN_IF_ERROR(AddXnnStep(i, end));
      i = end;
    } else {
      CORALPI_RETURN_IF_ERROR(p.native ? AddNativeStep(g.operators[i])
                                       : AddHostStep(g.operators[i]));
      ++i;
    }
  }
  return OkStatus();
}

std::vector<TensorView> CpuEngineBuilder::Views(const std::vector<int32_t>& tensors) const {
  std::vector<TensorView> views;
  for (int32_t t : tensors) views.push_back(impl_.View(t));
  return views;
}

// One step for the operators of `chain`: a lookup from the first one's input to the last one's
// output.
Status CpuEngineBuilder::AddTableStep(const ByteChain& chain) {
  const Subgraph& g = graph();
  Result<ByteTable> table = ByteTable::Create(g, chain);
  if (!table.ok()) return WithContext(name_, table.error());
  const auto in = static_cast<size_t>(chain.input), out = static_cast<size_t>(chain.output);
  AddStep({CpuEngine::Impl::TableStep{std::move(*table), impl_.buffers[in], impl_.buffers[out],
                                      g.tensors[in].num_elements()},
           {g.operators[chain.first].index, g.operators[chain.last].index, "byte table", 0}});
  engine_->table_nodes_ += static_cast<int>(chain.last - chain.first + 1);
  return OkStatus();
}

// One own-kernel step over the engine's memory for `op`.
Status CpuEngineBuilder::AddNativeStep(const OperatorInfo& op) {
  auto node = native::Create(op, graph(), Views(op.inputs), Views(op.outputs));
  if (!node.ok()) return Fail(NodeWhere(op) + ": " + node.error().message);
  AddStep({CpuEngine::Impl::NativeStep{std::move(*node), &op},
           {op.index, op.index, native::RunnerName(), 0}});
  ++engine_->native_nodes_;
  return OkStatus();
}

// One operator on its reference kernel, or on the caller's external step.
Status CpuEngineBuilder::AddHostStep(const OperatorInfo& op) {
  CpuEngine::Impl::HostStep step{FindOpKernel(op), &op, Views(op.inputs), Views(op.outputs),
                                 nullptr};
  std::string runner = "reference";
  if (const ExternalNodes* e = FindExternal(op, options_)) {
    if (!e->create) return Fail(NodeWhere(op) + ": no " + e->runs_on + " to run it");
    auto made = e->create(op, step.inputs, step.outputs);
    if (!made.ok()) return Fail(NodeWhere(op) + ": " + made.error().message);
    step.external = std::move(*made);
    runner = e->runs_on;
    ++engine_->external_nodes_;
  } else if (op.custom_code == kDynamicQuantizePerImageCode ||
             op.custom_code == kDynamicQuantizePerRowCode) {
    ++engine_->host_quantize_nodes_;  // inserted by placement, not one of the model's operators
  } else {
    ++engine_->reference_nodes_;
  }
  AddStep({std::move(step), {op.index, op.index, runner, 0}});
  return OkStatus();
}

// The buffered tensors operators [begin, end) read or write, in first-use order (a segment's
// external values), and which of them it writes.
std::vector<int32_t> CpuEngineBuilder::SegmentBoundary(size_t begin, size_t end,
                                                       std::set<int32_t>* outputs) const {
  const Subgraph& g = graph();
  std::vector<int32_t> external;
  auto add = [&](int32_t t) {
    if (std::find(external.begin(), external.end(), t) == external.end()) external.push_back(t);
  };
  for (size_t k = begin; k < end; ++k) {
    for (int32_t t : g.operators[k].inputs) {
      if (t >= 0 && impl_.buffers[static_cast<size_t>(t)]) add(t);
    }
    for (int32_t t : g.operators[k].outputs) {
      if (!impl_.buffers[static_cast<size_t>(t)]) continue;
      add(t);
      outputs->insert(t);
    }
  }
  return external;
}

// One XNNPACK runtime over operators [begin, end), bound to the buffers of its boundary tensors.
Status CpuEngineBuilder::AddXnnStep(size_t begin, size_t end) {
  const Subgraph& g = graph();
  std::set<int32_t> outputs;
  const std::vector<int32_t> external = SegmentBoundary(begin, end, &outputs);
  xnnpack::SubgraphBuilder builder(g, external, outputs);
  CORALPI_RETURN_IF_ERROR(builder.Init());
  for (size_t k = begin; k < end; ++k) {
    const OperatorInfo& node = g.operators[k];
    Status s = FindOpKernel(node)->xnn_define(builder, node);
    if (!s.ok()) return Fail(NodeWhere(node) + ": " + s.error().message);
  }
  // Next to the own kernels XNNPACK runs only light nodes (ADD, pooling, RESHAPE): one thread
  // does them sooner than a pool dispatch would.
  xnnpack::ThreadPool* pool =
      any_native_ && !HasHeavyNode(g, begin, end) ? nullptr : impl_.threadpool.get();
  std::vector<void*> buffers;
  for (int32_t t : external) buffers.push_back(impl_.buffers[static_cast<size_t>(t)]);
  auto runtime = xnnpack::Runtime::Create(builder, pool, buffers);
  if (!runtime.ok()) {
    return Fail("operators " + std::to_string(begin) + " to " + std::to_string(end - 1) + ": " +
                runtime.error().message);
  }
  AddStep({CpuEngine::Impl::XnnStep{std::move(*runtime)},
           {g.operators[begin].index, g.operators[end - 1].index, "xnnpack", 0}});
  engine_->xnnpack_nodes_ += static_cast<int>(end - begin);
  return OkStatus();
}

// The scratch memory the native steps share (they run one after the other).
Status CpuEngineBuilder::AllocateScratch() {
  size_t bytes = 0;
  for (const CpuEngine::Impl::Step& step : impl_.steps) {
    if (const auto* n = std::get_if<CpuEngine::Impl::NativeStep>(&step.run))
      bytes = std::max(bytes, n->node->scratch_bytes());
  }
  if (bytes == 0) return OkStatus();
  impl_.scratch = std::make_unique<AlignedBuffer>(bytes);
  if (!impl_.scratch->data()) return Fail("out of memory for the kernels' scratch");
  return OkStatus();
}

Result<std::unique_ptr<CpuEngine>> CpuEngine::Create(std::shared_ptr<const Model> model,
                                                     const CpuEngineOptions& options) {
  return CpuEngineBuilder(std::move(model), options).Build();
}

}  // namespace coralpi
