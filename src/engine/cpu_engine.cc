// CpuEngine: its memory, and running its steps (the steps are made in cpu_engine_build.cc, from
// the placement of placement.cc).
#include "engine/cpu_engine.h"

#include <cstdlib>
#include <cstring>
#include <string>
#include <variant>
#include <vector>

#include "core/timer.h"
#include "engine/cpu_engine_impl.h"
#include "engine/placement.h"
#include "engine/reference/parallel.h"

namespace coralpi {

AlignedBuffer::AlignedBuffer(size_t bytes) {
  const size_t size = (bytes + xnnpack::ReadPastEndBytes() + 63) / 64 * 64;
  data_ = static_cast<uint8_t*>(std::aligned_alloc(64, size));
  if (data_) std::memset(data_, 0, size);
}

AlignedBuffer::~AlignedBuffer() { std::free(data_); }

CpuEngine::Impl::~Impl() {
  // Last step first: external steps may hold resources (an Edge TPU) that outlive the plan.
  while (!steps.empty()) steps.pop_back();
}

TensorView CpuEngine::Impl::View(int32_t index) const {
  TensorView v;
  if (index < 0) return v;
  const TensorInfo& t = graph.tensors[static_cast<size_t>(index)];
  v.type = t.type;
  v.shape = t.shape;
  v.quant = &t.quant;
  v.data =
      t.is_constant() ? const_cast<uint8_t*>(t.data.data()) : buffers[static_cast<size_t>(index)];
  return v;
}

CpuEngine::~CpuEngine() = default;

std::string CpuEngine::folded_summary() const {
  std::string s;
  if (table_nodes_ > 0) s += ", " + std::to_string(table_nodes_) + " folded into byte tables";
  if (folded_nodes_ > 0) s += ", " + std::to_string(folded_nodes_) + " folded into constants";
  if (host_quantize_nodes_ > 0) {
    s += ", " + std::to_string(host_quantize_nodes_) + " dynamic-range inputs quantized on the host";
  }
  return s;
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
TensorView CpuEngine::input(size_t i) const { return impl_->View(graph().inputs[i]); }
TensorView CpuEngine::output(size_t i) const { return impl_->View(graph().outputs[i]); }

int CpuEngine::xnnpack_runtime_count() const {
  int n = 0;
  for (const auto& s : impl_->steps) n += std::holds_alternative<Impl::XnnStep>(s.run) ? 1 : 0;
  return n;
}

Status CpuEngine::RunStep(size_t i) {
  auto& step = impl_->steps[i].run;
  if (auto* x = std::get_if<Impl::XnnStep>(&step)) {
    Status s = x->runtime->Invoke();
    if (!s.ok()) return WithContext(model_->name(), s.error());
    return OkStatus();
  }
  if (auto* t = std::get_if<Impl::TableStep>(&step)) {
    reference::PoolScope lend(impl_->work_pool.get());
    const int64_t c = t->table.channels();
    reference::ParallelFor(t->elements / c, t->table.PixelsPerPart(),
                           [t, c](int64_t begin, int64_t end) {
                             t->table.Apply(t->in + begin * c, t->out + begin * c, end - begin);
                           });
    return OkStatus();
  }
  if (auto* n = std::get_if<Impl::NativeStep>(&step)) {
    uint8_t* scratch = impl_->scratch ? impl_->scratch->data() : nullptr;
    Status s = n->node->Run(impl_->work_pool.get(), scratch);
    if (!s.ok()) {
      return MakeError(s.error().kind, model_->name(),
                       NodeWhere(*n->op) + ": " + s.error().message);
    }
    return OkStatus();
  }
  auto& h = std::get<Impl::HostStep>(step);
  reference::PoolScope lend(impl_->work_pool.get());  // for the kernels that split their work
  Status s = h.external ? h.external->Run() : h.kernel->run(*h.op, h.inputs, h.outputs);
  if (!s.ok()) {
    return MakeError(s.error().kind, model_->name(), NodeWhere(*h.op) + ": " + s.error().message);
  }
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
    impl_->steps[i].timing.total_ms += watch.ElapsedMs();
  }
  ++impl_->timed_invokes;
  return OkStatus();
}

std::vector<StepTiming> CpuEngine::step_timings() const {
  std::vector<StepTiming> timings;
  if (!impl_->profile) return timings;
  for (const Impl::Step& step : impl_->steps) timings.push_back(step.timing);
  return timings;
}

int64_t CpuEngine::timed_invokes() const { return impl_->timed_invokes; }

void CpuEngine::ResetStepTimings() {
  for (Impl::Step& step : impl_->steps) step.timing.total_ms = 0;
  impl_->timed_invokes = 0;
}

}  // namespace coralpi
