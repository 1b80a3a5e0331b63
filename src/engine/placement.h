// Placement: where each operator of a model's main subgraph runs (checked in execution order):
// an external step, one of the engine's own kernels, a byte table, XNNPACK or a reference kernel.
// PlanPlacement (cpu_engine.h) shows it; CpuEngine::Create builds its steps from it.
#pragma once

#include <string>
#include <vector>

#include "engine/byte_table.h"
#include "engine/constant_folding.h"
#include "engine/cpu_engine.h"
#include "engine/hybrid_rewrite.h"
#include "model/model.h"

namespace coralpi {

// The main subgraph as the engine runs it (the model's, without the operators folded into
// constants, with the output shapes operators resolve at load time) and where each operator runs,
// checked in execution order.
struct Plan {
  Subgraph graph;
  std::vector<NodePlacement> nodes;  // one per operator of `graph`
  std::vector<ByteChain> chains;     // in execution order
  FoldedConstants folded;            // the operators no longer in `graph`, and their constants
  // By position in `graph`: an internal node the engine inserted (hybrid_rewrite.h), which
  // PlanPlacement does not list.
  std::vector<bool> internal;
};

Plan MakePlan(const Model& model, const CpuEngineOptions& options);

// "operator 3 (CONV_2D)", for messages.
std::string NodeWhere(const OperatorInfo& op);
// The caller's entry for a custom operator, or null.
const ExternalNodes* FindExternal(const OperatorInfo& op, const CpuEngineOptions& options);

}  // namespace coralpi
