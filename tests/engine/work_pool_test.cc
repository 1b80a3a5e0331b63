// WorkPool: every item of a parallel loop runs exactly once, whatever the thread count, tile
// size and timing; pools start and stop cleanly even when their workers start late.
#include "engine/native/work_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <vector>

namespace coralpi::native {
namespace {

TEST(WorkPoolTest, EveryItemRunsOnceInManyLoops) {
  for (int threads : {1, 2, 3, 5}) {
    WorkPool pool(threads);
    EXPECT_EQ(pool.threads(), threads);
    for (int64_t n : {0, 1, 7, 64, 1000, 4099}) {
      for (int64_t tile : {1, 3, 64, 5000}) {
        std::vector<std::atomic<int>> hits(static_cast<size_t>(n));
        pool.ParallelFor(n, tile, [&](int64_t begin, int64_t end) {
          EXPECT_EQ(begin % tile, 0);  // whole tiles
          EXPECT_TRUE((end - begin) % tile == 0 || end == n);
          for (int64_t i = begin; i < end; ++i) hits[static_cast<size_t>(i)].fetch_add(1);
        });
        for (int64_t i = 0; i < n; ++i) {
          ASSERT_EQ(hits[static_cast<size_t>(i)].load(), 1)
              << "item " << i << " of " << n << ", tile " << tile << ", " << threads << " threads";
        }
      }
    }
  }
}

TEST(WorkPoolTest, ThousandsOfShortLoopsBackToBack) {
  WorkPool pool(3);
  std::atomic<int64_t> sum{0};
  for (int loop = 0; loop < 5000; ++loop) {
    pool.ParallelFor(16, 1, [&](int64_t begin, int64_t end) {
      for (int64_t i = begin; i < end; ++i) sum.fetch_add(i);
    });
  }
  EXPECT_EQ(sum.load(), 5000 * (15 * 16 / 2));
}

TEST(WorkPoolTest, PoolsComeAndGoWithoutLoopsOrAfterOne) {
  // Destroying a pool right away races its workers' start; none may be left waiting.
  for (int i = 0; i < 200; ++i) {
    WorkPool pool(2);
    if (i % 2) pool.ParallelFor(8, 1, [](int64_t, int64_t) {});
  }
  SUCCEED();
}

}  // namespace
}  // namespace coralpi::native
