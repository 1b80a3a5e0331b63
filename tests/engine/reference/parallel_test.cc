// Reference kernels that split their work over the engine's threads (parallel.h): the parts cover
// the range once, and RESIZE_BILINEAR (uint8) and ARG_MAX give the bytes of one thread.
#include "engine/reference/parallel.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <random>
#include <utility>

#include "engine/reference/reference.h"
#include "test_util.h"

namespace coralpi::reference {
namespace {

using testing::Make;
using testing::MakeQ;
using testing::Message;
using testing::Output;

TEST(ReferenceParallel, WithoutAPoolOnePartOnTheCallingThread) {
  std::vector<std::pair<int64_t, int64_t>> parts;
  ParallelFor(1000, 10, [&](int64_t b, int64_t e) { parts.emplace_back(b, e); });
  EXPECT_EQ(parts, (std::vector<std::pair<int64_t, int64_t>>{{0, 1000}}));
}

TEST(ReferenceParallel, PartsCoverTheRangeOnceOnSeveralThreads) {
  WorkPool pool(2);
  PoolScope lend(&pool);
  std::mutex m;
  std::vector<int> hits(10000);
  std::vector<std::pair<int64_t, int64_t>> nested;
  int parts = 0;
  ParallelFor(10000, 100, [&](int64_t b, int64_t e) {
    // Inside a part, a kernel's own ParallelFor runs inline: the pool is busy with this loop.
    ParallelFor(50, 1, [&](int64_t nb, int64_t ne) {
      std::lock_guard<std::mutex> l(m);
      nested.emplace_back(nb, ne);
    });
    std::lock_guard<std::mutex> l(m);
    ++parts;
    EXPECT_GE(e - b, 100);
    for (int64_t i = b; i < e; ++i) ++hits[static_cast<size_t>(i)];
  });
  EXPECT_EQ(std::count(hits.begin(), hits.end(), 1), 10000);
  EXPECT_EQ(parts, 8);  // four parts per thread
  ASSERT_EQ(nested.size(), 8u);
  for (const auto& p : nested) EXPECT_EQ(p, (std::pair<int64_t, int64_t>{0, 50}));
  // After the loop the pool is lent again: a second loop is split as well.
  int second = 0;
  ParallelFor(10000, 100, [&](int64_t, int64_t) {
    std::lock_guard<std::mutex> l(m);
    ++second;
  });
  EXPECT_EQ(second, 8);
}

// Runs f once without a pool and once with a pool of 2; returns both outputs.
template <typename T, typename F>
std::pair<std::vector<T>, std::vector<T>> OneAndTwoThreads(F&& f) {
  std::vector<T> one = f();
  WorkPool pool(2);
  PoolScope lend(&pool);
  std::vector<T> two = f();
  return {std::move(one), std::move(two)};
}

std::vector<uint8_t> RandomBytes(size_t n, uint32_t seed, int levels) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(0, levels - 1);
  std::vector<uint8_t> v(n);
  for (uint8_t& x : v) x = static_cast<uint8_t>(d(rng) * (255 / (levels - 1)));
  return v;
}

TEST(ReferenceParallel, ResizeBilinearUint8GivesTheBytesOfOneThread) {
  auto in = MakeQ<uint8_t>({2, 33, 33, 21}, RandomBytes(2 * 33 * 33 * 21, 3, 256), 0.1f, 7);
  for (bool half_pixel : {false, true}) {
    ResizeOptions opt;
    opt.half_pixel_centers = half_pixel;
    auto [one, two] = OneAndTwoThreads<uint8_t>([&] {
      auto out = Output<uint8_t>({2, 129, 129, 21}, 0.1f, 7);
      EXPECT_EQ(Message(ResizeBilinear(opt, in.view(), out.view())), "ok");
      return out.data;
    });
    EXPECT_TRUE(one == two) << "half_pixel_centers " << half_pixel;
    EXPECT_NE(std::count(one.begin(), one.end(), 0), static_cast<long>(one.size()));
  }
}

TEST(ReferenceParallel, ArgMaxLastAxisGivesTheIndicesOfOneThread) {
  // 4 levels over 21 channels: many ties, which must keep the lowest index. 129 x 131 rows,
  // split over the threads in parts of 1024 and a shorter last one.
  const int64_t rows = 129 * 131;
  auto in = MakeQ<uint8_t>({1, 129, 131, 21}, RandomBytes(rows * 21, 5, 4), 0.1f, 0);
  auto axis = Make<int32_t>({}, {3});
  ArgMaxOptions opt;
  opt.output_type = DataType::kInt32;
  auto [one, two] = OneAndTwoThreads<int32_t>([&] {
    auto out = Output<int32_t>({1, 129, 131});
    EXPECT_EQ(Message(ArgMax(opt, in.view(), axis.view(), out.view())), "ok");
    return out.data;
  });
  EXPECT_TRUE(one == two);
  // And the indices are right: the first position of each row's largest value.
  for (int64_t r = 0; r < rows; ++r) {
    const uint8_t* row = in.data.data() + r * 21;
    const int64_t expected = std::max_element(row, row + 21) - row;  // the first maximum
    ASSERT_EQ(one[static_cast<size_t>(r)], expected) << "row " << r;
  }
}

}  // namespace
}  // namespace coralpi::reference
