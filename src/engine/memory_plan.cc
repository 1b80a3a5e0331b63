// Greedy-by-size arena planning; see memory_plan.h.
#include "engine/memory_plan.h"

#include <algorithm>
#include <numeric>

namespace coralpi {
namespace {

bool Overlap(const TensorLifetime& a, const TensorLifetime& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

int64_t RoundUp(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

}  // namespace

ArenaPlan PlanArena(const std::vector<TensorLifetime>& tensors, int64_t alignment) {
  ArenaPlan plan;
  plan.offsets.assign(tensors.size(), 0);
  std::vector<size_t> order(tensors.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return tensors[a].bytes > tensors[b].bytes; });
  std::vector<size_t> placed;
  for (size_t i : order) {
    const int64_t size = RoundUp(std::max<int64_t>(tensors[i].bytes, 1), alignment);
    // The placed tensors alive at the same time, by offset; take the first gap that fits.
    std::vector<size_t> live;
    for (size_t p : placed) {
      if (Overlap(tensors[i], tensors[p])) live.push_back(p);
    }
    std::sort(live.begin(), live.end(),
              [&](size_t a, size_t b) { return plan.offsets[a] < plan.offsets[b]; });
    int64_t offset = 0;
    for (size_t p : live) {
      if (plan.offsets[p] - offset >= size) break;
      offset = std::max(offset, plan.offsets[p] + RoundUp(tensors[p].bytes, alignment));
    }
    plan.offsets[i] = offset;
    plan.bytes = std::max(plan.bytes, offset + size);
    placed.push_back(i);
  }
  return plan;
}

}  // namespace coralpi
