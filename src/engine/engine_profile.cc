// Per-type, per-runner and per-node summaries of a profiling engine's step timings.
#include "engine/engine_profile.h"

#include <algorithm>
#include <map>

namespace coralpi {
namespace {

template <typename T>
void SortSlowestFirst(std::vector<T>& v) {
  std::stable_sort(v.begin(), v.end(), [](const T& a, const T& b) { return a.ms > b.ms; });
}

template <typename T>
void SetShares(std::vector<T>& v, double total) {
  for (T& x : v) x.share = total > 0 ? x.ms / total : 0;
}

}  // namespace

EngineProfile SummarizeProfile(const CpuEngine& engine) {
  EngineProfile p;
  p.invokes = engine.timed_invokes();
  if (p.invokes == 0) return p;
  const Subgraph& g = engine.model().main_graph();
  std::map<std::string, OpTypeTime> types;
  std::map<std::string, RunnerTime> runners;
  for (const StepTiming& step : engine.step_timings()) {
    const double ms = step.total_ms / static_cast<double>(p.invokes);
    const int nodes = step.last_node - step.first_node + 1;
    p.total_ms += ms;
    RunnerTime& r = runners[step.runner];
    r.runner = step.runner;
    r.nodes += nodes;
    r.ms += ms;
    // In profile mode a step is one node; a longer step is charged to its first node's type.
    const OperatorInfo& op = g.operators[static_cast<size_t>(step.first_node)];
    OpTypeTime& t = types[op.name()];
    t.type = op.name();
    t.nodes += nodes;
    t.ms += ms;
    NodeTime n;
    n.index = op.index;
    n.type = op.name();
    n.runner = step.runner;
    if (!op.outputs.empty() && op.outputs[0] >= 0)
      n.shape = ShapeToString(g.tensors[static_cast<size_t>(op.outputs[0])].shape);
    n.ms = ms;
    p.nodes.push_back(std::move(n));
  }
  for (auto& [name, t] : types) p.by_type.push_back(t);
  for (auto& [name, r] : runners) p.by_runner.push_back(r);
  SortSlowestFirst(p.by_type);
  SortSlowestFirst(p.by_runner);
  SortSlowestFirst(p.nodes);
  SetShares(p.by_type, p.total_ms);
  SetShares(p.by_runner, p.total_ms);
  SetShares(p.nodes, p.total_ms);
  return p;
}

}  // namespace coralpi
