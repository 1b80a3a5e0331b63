// PlanArena: tensors alive at the same time never share bytes; the others do.
#include "engine/memory_plan.h"

#include <gtest/gtest.h>

#include <climits>
#include <random>

namespace coralpi {
namespace {

bool BytesOverlap(const TensorLifetime& a, int64_t a_off, const TensorLifetime& b, int64_t b_off) {
  return a_off < b_off + b.bytes && b_off < a_off + a.bytes;
}
bool TimesOverlap(const TensorLifetime& a, const TensorLifetime& b) {
  return a.first_step <= b.last_step && b.first_step <= a.last_step;
}

TEST(MemoryPlanTest, AChainReusesMemoryTwoTensorsAtATime) {
  // in -> op0 -> t1 -> op1 -> t2 -> op2 -> t3 -> op3 -> out; 1000 bytes each.
  std::vector<TensorLifetime> t = {
      {1000, -1, INT32_MAX}, {1000, 0, 1}, {1000, 1, 2}, {1000, 2, 3}, {1000, 3, INT32_MAX}};
  ArenaPlan plan = PlanArena(t);
  // The input stays; at any step two of t1, t2, t3, out are alive: 3 slots of 1024 bytes.
  EXPECT_EQ(plan.bytes, 3 * 1024);
  EXPECT_EQ(plan.offsets[1], plan.offsets[3]) << "t1 and t3 never live together";
  EXPECT_NE(plan.offsets[3], plan.offsets[4]) << "t3 and out are alive together";
}

TEST(MemoryPlanTest, RandomLifetimesNeverShareBytesWhileAlive) {
  std::mt19937 rng(5);
  for (int round = 0; round < 200; ++round) {
    std::vector<TensorLifetime> t(static_cast<size_t>(rng() % 40 + 1));
    int64_t total = 0;
    for (auto& x : t) {
      x.bytes = rng() % 5000;
      x.first_step = static_cast<int32_t>(rng() % 30) - 1;
      x.last_step = x.first_step + static_cast<int32_t>(rng() % 10);
      total += (x.bytes + 63) / 64 * 64;
    }
    ArenaPlan plan = PlanArena(t);
    EXPECT_LE(plan.bytes, std::max<int64_t>(total, 64 * static_cast<int64_t>(t.size())));
    for (size_t i = 0; i < t.size(); ++i) {
      EXPECT_EQ(plan.offsets[i] % 64, 0);
      EXPECT_LE(plan.offsets[i] + t[i].bytes, plan.bytes);
      for (size_t j = i + 1; j < t.size(); ++j) {
        if (TimesOverlap(t[i], t[j])) {
          ASSERT_FALSE(BytesOverlap(t[i], plan.offsets[i], t[j], plan.offsets[j]))
              << "round " << round << ": tensors " << i << " and " << j;
        }
      }
    }
  }
}

}  // namespace
}  // namespace coralpi
