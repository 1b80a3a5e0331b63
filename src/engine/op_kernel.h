// OpKernel: everything the CPU engine knows about one operator kind, in one table entry.
//
// Adding an operator to the engine is: a reference kernel (reference/), one entry here (its
// load-time check, the adapter to the reference kernel and, when XNNPACK can run it, the
// XNNPACK mapping, all in ops/<op>.cc), and one test.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "model/model.h"

namespace coralpi::xnnpack {
class SubgraphBuilder;
}  // namespace coralpi::xnnpack

namespace coralpi {

struct OpKernel {
  int32_t code;
  // Checks, when the model is loaded, that the engine can run this node: tensor types,
  // ranks, shapes and options. Errors say what is unsupported.
  Status (*check)(const OperatorInfo& op, const Subgraph& graph);
  // Runs the node with the reference kernel. Inputs omitted in the model are null views.
  Status (*run)(const OperatorInfo& op, std::span<const TensorView> inputs,
                std::span<const TensorView> outputs);
  // Whether XNNPACK runs this node (null: never).
  bool (*xnn_supports)(const OperatorInfo& op, const Subgraph& graph);
  // Adds the node to an XNNPACK subgraph.
  Status (*xnn_define)(xnnpack::SubgraphBuilder& builder, const OperatorInfo& op);
  // Why XNNPACK does not run this node (shown by `inspect`), or "" when it does; null when the
  // entry states no reason.
  std::string (*xnn_rejection)(const OperatorInfo& op, const Subgraph& graph);
  // Optional (null: the model's shapes stand). The shapes of the node's outputs, one per output,
  // from its inputs and options, for operators whose output shapes a model leaves unknown
  // (TensorFlow Lite sizes them when it prepares the node, e.g. TFLite_Detection_PostProcess).
  // Called at load time, in execution order, after `check` passed; `graph` holds the shapes
  // resolved so far. The engine then allocates, checks later nodes against, and reports (views,
  // output_info) these shapes instead of the model's.
  Result<std::vector<Shape>> (*output_shapes)(const OperatorInfo& op, const Subgraph& graph);
};

// The kernel for a builtin operator code, or null when the engine does not support it.
const OpKernel* FindOpKernel(int32_t code);
// The kernel for a custom operator by its custom code (e.g. "TFLite_Detection_PostProcess"),
// or null. Custom kernels use the same entry shape; their `code` is OpCode::kCustom.
const OpKernel* FindCustomOpKernel(const std::string& custom_code);
// The kernel for an operator, builtin or custom, or null.
const OpKernel* FindOpKernel(const OperatorInfo& op);
// Every operator the engine supports (for `inspect` and docs).
std::span<const OpKernel> AllOpKernels();

}  // namespace coralpi
