// Placement (placement.h): the checks of each operator and the choice of where it runs.
#include "engine/placement.h"

#include <algorithm>
#include <string>
#include <vector>

#include "engine/native/native_node.h"
#include "engine/op_kernel.h"
#include "model/custom_ops.h"

namespace coralpi {
namespace {

// Why the engine cannot run `op`, or an empty string when it can.
std::string UnsupportedReason(const OperatorInfo& op, const Subgraph& g) {
  const OpKernel* kernel = FindOpKernel(op);
  if (!kernel && op.code == static_cast<int32_t>(OpCode::kCustom)) {
    if (op.custom_code == kEdgeTpuCustomOpCode) {
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

}  // namespace

Plan MakePlan(const Model& model, const CpuEngineOptions& options) {
  Plan plan{model.main_graph(), {}, {}, {}, {}};
  plan.folded = FoldFloat16Constants(plan.graph);
  plan.internal = options.use_xnnpack ? RewriteHybridForXnnpack(plan.graph, plan.folded)
                                      : std::vector<bool>(plan.graph.operators.size(), false);
  for (const OperatorInfo& op : plan.graph.operators) {
    plan.nodes.push_back(PlaceNode(op, plan.graph, options));
  }
  for (size_t i = 1; i < plan.nodes.size(); ++i) {
    if (plan.internal[i - 1] && !plan.internal[i] && plan.nodes[i].xnnpack) {
      plan.nodes[i].reason =
          "dynamic-range: int8 weights dequantized at load, the input quantized on the host by "
          "TensorFlow Lite's XNNPACK rule, then a float node on XNNPACK";
    }
  }
  if (options.use_xnnpack) FoldByteChains(plan);
  return plan;
}

std::string NodeWhere(const OperatorInfo& op) {
  return "operator " + std::to_string(op.index) + " (" + op.name() + ")";
}

const ExternalNodes* FindExternal(const OperatorInfo& op, const CpuEngineOptions& options) {
  if (op.code != static_cast<int32_t>(OpCode::kCustom)) return nullptr;
  for (const ExternalNodes& e : options.external) {
    if (e.custom_code == op.custom_code) return &e;
  }
  return nullptr;
}

std::vector<NodePlacement> PlanPlacement(const Model& model, bool use_xnnpack,
                                         bool native_kernels) {
  CpuEngineOptions options;
  options.use_xnnpack = use_xnnpack;
  options.native_kernels = native_kernels;
  return PlanPlacement(model, options);
}

std::vector<NodePlacement> PlanPlacement(const Model& model, const CpuEngineOptions& options) {
  Plan plan = MakePlan(model, options);
  std::vector<NodePlacement> all;
  for (size_t i = 0; i < plan.nodes.size(); ++i) {
    if (!plan.internal[i]) all.push_back(std::move(plan.nodes[i]));
  }
  for (NodePlacement& p : plan.folded.nodes) all.push_back(std::move(p));
  std::stable_sort(all.begin(), all.end(),
                   [](const NodePlacement& a, const NodePlacement& b) { return a.index < b.index; });
  return all;
}

}  // namespace coralpi
