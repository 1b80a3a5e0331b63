// PlanArena: where each tensor the engine holds lives in one arena. Tensors whose lifetimes
// (the steps from the one that writes them to the last that reads them) overlap never share
// bytes; the others reuse each other's memory, so a model needs about as much as its largest
// pair of neighbouring activations instead of all of them. Greedy by size, largest first, each
// at the lowest offset that fits (the scheme TensorFlow Lite's arena planner uses).
#pragma once

#include <cstdint>
#include <vector>

namespace coralpi {

struct TensorLifetime {
  int64_t bytes = 0;
  int32_t first_step = 0;  // the step that writes it (-1: before the first, for graph inputs)
  int32_t last_step = 0;   // the last step that reads it (INT32_MAX: kept after the invoke)
};

struct ArenaPlan {
  std::vector<int64_t> offsets;  // one per TensorLifetime, multiples of `alignment`
  int64_t bytes = 0;             // the arena's size
};

ArenaPlan PlanArena(const std::vector<TensorLifetime>& tensors, int64_t alignment = 64);

}  // namespace coralpi
