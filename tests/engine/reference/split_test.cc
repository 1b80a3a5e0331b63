// SPLIT, SPLIT_V and UNPACK reference kernels.
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

TEST(ReferenceSplit, EqualPartsAlongAnAxis) {
  // [[1, 2, 3, 4], [5, 6, 7, 8]] in two along axis 1 (also given as -1).
  auto in = Make<float>({2, 4}, {1, 2, 3, 4, 5, 6, 7, 8});
  for (int32_t a : {1, -1}) {
    auto axis = Make<int32_t>({}, {a});
    auto left = Output<float>({2, 2}), right = Output<float>({2, 2});
    TensorView outs[] = {left.view(), right.view()};
    ASSERT_EQ(Message(Split(SplitOptions{2}, axis.view(), in.view(), outs)), "ok");
    EXPECT_EQ(left.data, (std::vector<float>{1, 2, 5, 6})) << a;
    EXPECT_EQ(right.data, (std::vector<float>{3, 4, 7, 8})) << a;
  }
  // Along axis 0 with an int64 axis tensor.
  auto axis0 = Make<int64_t>({1}, {0});
  auto top = Output<float>({1, 4}), bottom = Output<float>({1, 4});
  TensorView outs[] = {top.view(), bottom.view()};
  ASSERT_EQ(Message(Split(SplitOptions{2}, axis0.view(), in.view(), outs)), "ok");
  EXPECT_EQ(top.data, (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(bottom.data, (std::vector<float>{5, 6, 7, 8}));
}

TEST(ReferenceSplit, Errors) {
  auto in = Make<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  auto axis = Make<int32_t>({}, {1});
  auto a = Output<float>({2, 1}), b = Output<float>({2, 1});
  TensorView outs[] = {a.view(), b.view()};
  EXPECT_EQ(Message(Split(SplitOptions{2}, axis.view(), in.view(), outs)),
            "SPLIT: cannot split dimension 1 of size 3 into 2 equal parts");
  auto far = Make<int32_t>({}, {2});
  EXPECT_EQ(Message(Split(SplitOptions{2}, far.view(), in.view(), outs)),
            "SPLIT: axis 2 is outside [-2, 1]");
  auto two = Make<int32_t>({2}, {0, 1});
  EXPECT_EQ(Message(Split(SplitOptions{2}, two.view(), in.view(), outs)),
            "SPLIT: axis: expected one value, got shape [2]");
  auto rows_a = Output<float>({1, 3}), rows_b = Output<float>({1, 2});
  auto axis0 = Make<int32_t>({}, {0});
  TensorView rows[] = {rows_a.view(), rows_b.view()};
  EXPECT_EQ(Message(Split(SplitOptions{2}, axis0.view(), in.view(), rows)),
            "SPLIT: output 1: shape [1, 2], expected [1, 3]");
}

TEST(ReferenceSplitV, GivenSizesWithOneInferred) {
  // [0..5] as 1, -1 (-> 3), 2 along axis 0.
  auto in = MakeQ<uint8_t>({6}, {10, 11, 12, 13, 14, 15}, 0.1f, 3);
  auto sizes = Make<int32_t>({3}, {1, -1, 2});
  auto axis = Make<int32_t>({}, {0});
  auto a = Output<uint8_t>({1}, 0.1f, 3), b = Output<uint8_t>({3}, 0.1f, 3),
       c = Output<uint8_t>({2}, 0.1f, 3);
  TensorView outs[] = {a.view(), b.view(), c.view()};
  ASSERT_EQ(Message(SplitV(SplitOptions{3}, in.view(), sizes.view(), axis.view(), outs)), "ok");
  EXPECT_EQ(Ints(a.data), (std::vector<int32_t>{10}));
  EXPECT_EQ(Ints(b.data), (std::vector<int32_t>{11, 12, 13}));
  EXPECT_EQ(Ints(c.data), (std::vector<int32_t>{14, 15}));
  // An empty part is allowed.
  auto zero = Make<int64_t>({2}, {0, 6});
  auto none = Output<uint8_t>({0}, 0.1f, 3), all = Output<uint8_t>({6}, 0.1f, 3);
  TensorView parts[] = {none.view(), all.view()};
  ASSERT_EQ(Message(SplitV(SplitOptions{2}, in.view(), zero.view(), axis.view(), parts)), "ok");
  EXPECT_EQ(all.data, in.data);
}

TEST(ReferenceSplitV, Errors) {
  auto in = Make<float>({6}, {1, 2, 3, 4, 5, 6});
  auto axis = Make<int32_t>({}, {0});
  auto a = Output<float>({3}), b = Output<float>({3});
  TensorView outs[] = {a.view(), b.view()};
  auto two_unknown = Make<int32_t>({2}, {-1, -1});
  EXPECT_EQ(Message(SplitV(SplitOptions{2}, in.view(), two_unknown.view(), axis.view(), outs)),
            "SPLIT_V: size_splits may hold one -1 and otherwise sizes >= 0");
  auto too_big = Make<int32_t>({2}, {4, 4});
  EXPECT_EQ(Message(SplitV(SplitOptions{2}, in.view(), too_big.view(), axis.view(), outs)),
            "SPLIT_V: size_splits do not add up to dimension 0 of size 6");
  auto rest_negative = Make<int32_t>({2}, {7, -1});
  EXPECT_EQ(Message(SplitV(SplitOptions{2}, in.view(), rest_negative.view(), axis.view(), outs)),
            "SPLIT_V: size_splits do not add up to dimension 0 of size 6");
  auto three = Make<int32_t>({3}, {2, 2, 2});
  EXPECT_EQ(Message(SplitV(SplitOptions{2}, in.view(), three.view(), axis.view(), outs)),
            "SPLIT_V: size_splits has 3 values, num_splits is 2");
}

TEST(ReferenceUnpack, SlicesAlongAnAxisWithoutIt) {
  // MoveNet: [17, 2] int8 -> two [17] along axis 1; here [3, 2].
  auto in = MakeQ<int8_t>({3, 2}, {1, 2, 3, 4, 5, 6}, 0.7f, -21);
  auto x = Output<int8_t>({3}, 0.7f, -21), y = Output<int8_t>({3}, 0.7f, -21);
  TensorView outs[] = {x.view(), y.view()};
  ASSERT_EQ(Message(Unpack(PackOptions{2, 1}, in.view(), outs)), "ok");
  EXPECT_EQ(Ints(x.data), (std::vector<int32_t>{1, 3, 5}));
  EXPECT_EQ(Ints(y.data), (std::vector<int32_t>{2, 4, 6}));
  auto r0 = Output<int8_t>({2}, 0.7f, -21), r1 = Output<int8_t>({2}, 0.7f, -21),
       r2 = Output<int8_t>({2}, 0.7f, -21);
  TensorView rows[] = {r0.view(), r1.view(), r2.view()};
  ASSERT_EQ(Message(Unpack(PackOptions{3, -2}, in.view(), rows)), "ok");
  EXPECT_EQ(Ints(r2.data), (std::vector<int32_t>{5, 6}));
}

TEST(ReferenceUnpack, Errors) {
  auto in = Make<float>({3, 2}, {1, 2, 3, 4, 5, 6});
  auto x = Output<float>({3}), y = Output<float>({3});
  TensorView outs[] = {x.view(), y.view()};
  EXPECT_EQ(Message(Unpack(PackOptions{3, 1}, in.view(), outs)),
            "UNPACK: num 3 but dimension 1 has size 2");
  EXPECT_EQ(Message(Unpack(PackOptions{2, 2}, in.view(), outs)),
            "UNPACK: axis 2 is outside [-2, 1]");
  auto q = MakeQ<uint8_t>({3, 2}, {1, 2, 3, 4, 5, 6}, 0.5f, 1);
  auto qx = Output<uint8_t>({3}, 0.5f, 1), qy = Output<uint8_t>({3}, 0.5f, 2);
  TensorView qouts[] = {qx.view(), qy.view()};
  EXPECT_EQ(
      Message(Unpack(PackOptions{2, 1}, q.view(), qouts)),
      "UNPACK: output 1: quantized as scale 0.5 zero point 2, expected scale 0.5 zero point 1");
}

}  // namespace
}  // namespace coralpi::reference
