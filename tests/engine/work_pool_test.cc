// WorkPool: every item of a parallel loop runs exactly once, whatever the thread count, tile
// size and timing; pools start and stop cleanly even when their workers start late.
#include "engine/work_pool.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace coralpi {
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

// Thread i starts on the i-th of `threads` equal runs of tiles and takes them from the front in
// order; what it takes from other runs comes from their backs. So the tiles a thread ran are,
// in order: a prefix of its own run, then descending tiles of the others'.
TEST(WorkPoolTest, EachThreadStartsOnItsOwnRunOfTiles) {
  constexpr int kThreads = 3;
  constexpr int64_t kTiles = 30;
  WorkPool pool(kThreads);
  for (int loop = 0; loop < 200; ++loop) {
    std::mutex mutex;
    std::map<std::thread::id, std::vector<int64_t>> ran;
    pool.ParallelFor(kTiles, 1, [&](int64_t begin, int64_t) {
      if (begin % 7 == loop % 7) std::this_thread::sleep_for(std::chrono::microseconds(50));
      std::lock_guard<std::mutex> lock(mutex);
      ran[std::this_thread::get_id()].push_back(begin);
    });
    size_t total = 0;
    for (const auto& [id, tiles] : ran) {
      total += tiles.size();
      const int64_t home = tiles.front() * kThreads / kTiles;  // run of the first tile taken
      const int64_t home_front = kTiles * home / kThreads, home_back = kTiles * (home + 1) / kThreads;
      size_t i = 0;
      if (tiles.front() == home_front) {  // it started on its own run: a prefix of it, in order
        while (i < tiles.size() && tiles[i] == home_front + static_cast<int64_t>(i) &&
               tiles[i] < home_back)
          ++i;
      }
      for (size_t j = i; j < tiles.size(); ++j) {
        const int64_t run = tiles[j] * kThreads / kTiles;
        const bool own_run = tiles[j] >= home_front && tiles[j] < home_back && i > 0;
        EXPECT_FALSE(own_run) << "tile " << tiles[j] << " of its own run out of order, loop " << loop;
        if (j > i && run == tiles[j - 1] * kThreads / kTiles) {
          EXPECT_LT(tiles[j], tiles[j - 1]) << "taken from another run's back, loop " << loop;
        }
      }
      const bool ran_run_0 = std::any_of(tiles.begin(), tiles.end(),
                                         [&](int64_t t) { return t < kTiles / kThreads; });
      if (std::this_thread::get_id() == id && ran_run_0) {
        EXPECT_EQ(tiles.front(), 0) << "the caller's run is the first, loop " << loop;
      }
    }
    ASSERT_EQ(total, static_cast<size_t>(kTiles));
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
}  // namespace coralpi
