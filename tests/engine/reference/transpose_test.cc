// TRANSPOSE reference kernel.
#include <gtest/gtest.h>

#include <numeric>

#include "engine/reference/reference.h"
#include "test_util.h"

namespace coralpi::reference {
namespace {

using testing::Ints;
using testing::Make;
using testing::MakeQ;
using testing::Message;
using testing::Output;

TEST(ReferenceTranspose, SwapsAndRotatesAxes) {
  // [[0, 1, 2], [3, 4, 5]] transposed.
  auto m = MakeQ<uint8_t>({2, 3}, {0, 1, 2, 3, 4, 5}, 0.5f, 2);
  auto perm = Make<int32_t>({2}, {1, 0});
  auto mt = Output<uint8_t>({3, 2}, 0.5f, 2);
  ASSERT_EQ(Message(Transpose(m.view(), perm.view(), mt.view())), "ok");
  EXPECT_EQ(Ints(mt.data), (std::vector<int32_t>{0, 3, 1, 4, 2, 5}));
  // x[i][j][k] = 12i + 4j + k, perm (2, 0, 1): out[k][i][j] = x[i][j][k].
  std::vector<float> x(24);
  std::iota(x.begin(), x.end(), 0.0f);
  auto in = Make<float>({2, 3, 4}, x);
  auto rot = Make<int64_t>({3}, {2, 0, 1});
  auto out = Output<float>({4, 2, 3});
  ASSERT_EQ(Message(Transpose(in.view(), rot.view(), out.view())), "ok");
  EXPECT_EQ(std::vector<float>(out.data.begin(), out.data.begin() + 12),
            (std::vector<float>{0, 4, 8, 12, 16, 20, 1, 5, 9, 13, 17, 21}));
}

TEST(ReferenceTranspose, SixDimensions) {
  // [1, 2, 1, 2, 1, 2] reversed: value b*4 + d*2 + f moves to f*4 + d*2 + b (bit reversal).
  auto in = Make<int32_t>({1, 2, 1, 2, 1, 2}, {0, 1, 2, 3, 4, 5, 6, 7});
  auto perm = Make<int32_t>({6}, {5, 4, 3, 2, 1, 0});
  auto out = Output<int32_t>({2, 1, 2, 1, 2, 1});
  ASSERT_EQ(Message(Transpose(in.view(), perm.view(), out.view())), "ok");
  EXPECT_EQ(out.data, (std::vector<int32_t>{0, 4, 2, 6, 1, 5, 3, 7}));
}

TEST(ReferenceTranspose, Errors) {
  auto in = Make<float>({2, 3}, {0, 1, 2, 3, 4, 5});
  auto out = Output<float>({3, 2});
  auto repeated = Make<int32_t>({2}, {1, 1});
  EXPECT_EQ(Message(Transpose(in.view(), repeated.view(), out.view())),
            "TRANSPOSE: perm is not a permutation of the input's 2 axes");
  auto outside = Make<int32_t>({2}, {0, 2});
  EXPECT_EQ(Message(Transpose(in.view(), outside.view(), out.view())),
            "TRANSPOSE: perm is not a permutation of the input's 2 axes");
  auto negative = Make<int32_t>({2}, {-1, 0});
  EXPECT_NE(Message(Transpose(in.view(), negative.view(), out.view())), "ok");
  auto longer = Make<int32_t>({3}, {0, 1, 2});
  EXPECT_EQ(Message(Transpose(in.view(), longer.view(), out.view())),
            "TRANSPOSE: perm: shape [3], expected [2]");
  auto identity = Make<int32_t>({2}, {0, 1});
  EXPECT_EQ(Message(Transpose(in.view(), identity.view(), out.view())),
            "TRANSPOSE: output: shape [3, 2], expected [2, 3]");
  auto seven = Make<float>({1, 1, 1, 1, 1, 1, 1}, {0});
  auto perm7 = Make<int32_t>({7}, {0, 1, 2, 3, 4, 5, 6});
  EXPECT_EQ(Message(Transpose(seven.view(), perm7.view(), seven.view())),
            "TRANSPOSE: input: rank 7 is above the supported 6");
}

}  // namespace
}  // namespace coralpi::reference
