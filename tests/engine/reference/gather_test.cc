// GATHER and GATHER_ND reference kernels.
#include <gtest/gtest.h>

#include "engine/reference/reference.h"
#include "test_util.h"

namespace coralpi::reference {
namespace {

using testing::Ints;
using testing::Make;
using testing::MakeQ;
using testing::Message;
using testing::Output;

TEST(ReferenceGather, RowsColumnsAndScalarIndices) {
  auto params = Make<float>({3, 2}, {1, 2, 3, 4, 5, 6});
  auto rows = Make<int32_t>({2}, {2, 0});
  auto picked = Output<float>({2, 2});
  ASSERT_EQ(Message(Gather(GatherOptions{0, 0}, params.view(), rows.view(), picked.view())), "ok");
  EXPECT_EQ(picked.data, (std::vector<float>{5, 6, 1, 2}));
  // Along the last axis with [2, 1] indices: output [3, 2, 1].
  auto cols = Make<int64_t>({2, 1}, {1, 0});
  for (int axis : {1, -1}) {
    auto out = Output<float>({3, 2, 1});
    ASSERT_EQ(Message(Gather(GatherOptions{axis, 0}, params.view(), cols.view(), out.view())),
              "ok");
    EXPECT_EQ(out.data, (std::vector<float>{2, 1, 4, 3, 6, 5})) << axis;
  }
  auto one = Make<int32_t>({}, {1});
  auto row = Output<float>({2});
  ASSERT_EQ(Message(Gather(GatherOptions{0, 0}, params.view(), one.view(), row.view())), "ok");
  EXPECT_EQ(row.data, (std::vector<float>{3, 4}));
}

TEST(ReferenceGather, BatchDimensions) {
  // Each row of params picks with its own row of indices.
  auto params = MakeQ<int8_t>({2, 3}, {1, 2, 3, 4, 5, 6}, 0.5f, 0);
  auto idx = Make<int32_t>({2, 2}, {2, 0, 1, 1});
  auto out = Output<int8_t>({2, 2}, 0.5f, 0);
  ASSERT_EQ(Message(Gather(GatherOptions{1, 1}, params.view(), idx.view(), out.view())), "ok");
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{3, 1, 5, 5}));
  auto same = Output<int8_t>({2, 2}, 0.5f, 0);
  ASSERT_EQ(Message(Gather(GatherOptions{1, -1}, params.view(), idx.view(), same.view())), "ok");
  EXPECT_EQ(same.data, out.data);
}

TEST(ReferenceGather, OutOfRangeIndicesAreErrors) {
  auto params = Make<float>({3, 2}, {1, 2, 3, 4, 5, 6});
  auto out = Output<float>({2, 2});
  auto big = Make<int32_t>({2}, {0, 3});
  EXPECT_EQ(Message(Gather(GatherOptions{0, 0}, params.view(), big.view(), out.view())),
            "GATHER: index 3 at position 1 is outside [0, 3)");
  auto negative = Make<int64_t>({2}, {-1, 0});
  EXPECT_EQ(Message(Gather(GatherOptions{0, 0}, params.view(), negative.view(), out.view())),
            "GATHER: index -1 at position 0 is outside [0, 3)");
  auto ok = Make<int32_t>({2}, {0, 1});
  EXPECT_EQ(Message(Gather(GatherOptions{2, 0}, params.view(), ok.view(), out.view())),
            "GATHER: axis 2 is outside [-2, 1]");
  EXPECT_EQ(Message(Gather(GatherOptions{0, 1}, params.view(), ok.view(), out.view())),
            "GATHER: batch_dims 1 must lie in [0, indices rank] and not exceed the axis");
  auto floats = Make<float>({2}, {0, 1});
  EXPECT_EQ(Message(Gather(GatherOptions{0, 0}, params.view(), floats.view(), out.view())),
            "GATHER: indices: expected int32 or int64, got float32");
}

TEST(ReferenceGatherNd, PicksSlicesByLeadingIndices) {
  // params[a][b][c] = 4a + 2b + c.
  auto params = Make<float>({2, 2, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  auto pairs = Make<int32_t>({2, 2}, {0, 1, 1, 0});
  auto rows = Output<float>({2, 2});
  ASSERT_EQ(Message(GatherNd(params.view(), pairs.view(), rows.view())), "ok");
  EXPECT_EQ(rows.data, (std::vector<float>{2, 3, 4, 5}));
  auto full = Make<int64_t>({1, 3}, {1, 1, 1});
  auto one = Output<float>({1});
  ASSERT_EQ(Message(GatherNd(params.view(), full.view(), one.view())), "ok");
  EXPECT_EQ(one.data, (std::vector<float>{7}));
  // MoveNet: [1, 48, 48, C] heatmap, indices [[0, y, x]] -> [1, C]; here [1, 3, 3, 2].
  std::vector<int8_t> heat(18);
  for (size_t i = 0; i < heat.size(); ++i) heat[i] = static_cast<int8_t>(i);
  auto map = MakeQ<int8_t>({1, 3, 3, 2}, heat, 0.7f, -21);
  auto yx = Make<int32_t>({1, 3}, {0, 2, 1});
  auto vec = Output<int8_t>({1, 2}, 0.7f, -21);
  ASSERT_EQ(Message(GatherNd(map.view(), yx.view(), vec.view())), "ok");
  EXPECT_EQ(Ints(vec.data), (std::vector<int32_t>{14, 15}));
}

TEST(ReferenceGatherNd, OutOfRangeIndicesAreErrors) {
  auto params = Make<float>({2, 3}, {0, 1, 2, 3, 4, 5});
  auto out = Output<float>({2});
  auto past = Make<int32_t>({2, 2}, {1, 2, 1, 3});
  EXPECT_EQ(Message(GatherNd(params.view(), past.view(), out.view())),
            "GATHER_ND: index 3 at position 3 is outside [0, 3)");
  auto negative = Make<int32_t>({2, 2}, {-1, 0, 0, 0});
  EXPECT_EQ(Message(GatherNd(params.view(), negative.view(), out.view())),
            "GATHER_ND: index -1 at position 0 is outside [0, 2)");
  auto deep = Make<int32_t>({1, 3}, {0, 0, 0});
  auto one = Output<float>({1});
  EXPECT_EQ(Message(GatherNd(params.view(), deep.view(), one.view())),
            "GATHER_ND: indices: vectors of 3 values do not index params [2, 3]");
  auto ok = Make<int32_t>({2, 1}, {0, 1});
  EXPECT_EQ(Message(GatherNd(params.view(), ok.view(), out.view())),
            "GATHER_ND: output: shape [2], expected [2, 3]");
}

}  // namespace
}  // namespace coralpi::reference
