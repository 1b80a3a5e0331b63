#include "core/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace coralpi {
namespace {

TEST(StatsTest, HandComputedValues) {
  // Sorted: 1 2 3 4 10. Mean 4; population variance (9+4+1+0+36)/5 = 10.
  std::vector<double> v = {4, 1, 10, 3, 2};
  LatencyStats s = Summarize(v);
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 10);
  EXPECT_DOUBLE_EQ(s.median, 3);
  EXPECT_DOUBLE_EQ(s.mean, 4);
  EXPECT_DOUBLE_EQ(s.stddev, std::sqrt(10.0));
  // p90: position 0.9 * 4 = 3.6 between 4 and 10 -> 4 + 0.6 * 6 = 7.6.
  EXPECT_DOUBLE_EQ(s.p90, 7.6);
  // p99: position 3.96 -> 4 + 0.96 * 6 = 9.76.
  EXPECT_DOUBLE_EQ(s.p99, 9.76);
}

TEST(StatsTest, EvenCountMedianIsTheMiddlePairsMean) {
  std::vector<double> v = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(Summarize(v).median, 2.5);
}

TEST(StatsTest, EmptyGivesZeros) {
  LatencyStats s = Summarize({});
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.max, 0);
}

TEST(StatsTest, PeakResidentMemoryIsPositive) { EXPECT_GT(PeakResidentKiB(), 0); }

}  // namespace
}  // namespace coralpi
