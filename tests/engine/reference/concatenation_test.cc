// CONCATENATION and PACK reference kernels.
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

ConcatenationOptions Axis(int32_t axis) { return ConcatenationOptions{axis, Activation::kNone}; }

TEST(ReferenceConcatenation, JoinsAlongEveryAxisIncludingNegative) {
  // a = [[1, 2], [3, 4]], b = [[5, 6]] along 0; a and c = [[7], [8]] along 1 (= -1).
  auto a = Make<float>({2, 2}, {1, 2, 3, 4});
  auto b = Make<float>({1, 2}, {5, 6});
  auto c = Make<float>({2, 1}, {7, 8});
  auto rows = Output<float>({3, 2});
  TensorView ab[] = {a.view(), b.view()};
  ASSERT_EQ(Message(Concatenation(Axis(0), ab, rows.view())), "ok");
  EXPECT_EQ(rows.data, (std::vector<float>{1, 2, 3, 4, 5, 6}));
  TensorView ac[] = {a.view(), c.view()};
  for (int axis : {1, -1}) {
    auto cols = Output<float>({2, 3});
    ASSERT_EQ(Message(Concatenation(Axis(axis), ac, cols.view())), "ok");
    EXPECT_EQ(cols.data, (std::vector<float>{1, 2, 7, 3, 4, 8})) << axis;
  }
}

TEST(ReferenceConcatenation, Int32IndicesAsMoveNetJoinsThem) {
  // MoveNet: [17, 3] int32 coordinates and a constant [17, 1] column -> [17, 4]; here 2 rows.
  auto coords = Make<int32_t>({2, 3}, {0, 5, 7, 0, 9, 1});
  auto column = Make<int32_t>({2, 1}, {0, 1});
  auto out = Output<int32_t>({2, 4});
  TensorView in[] = {coords.view(), column.view()};
  ASSERT_EQ(Message(Concatenation(Axis(1), in, out.view())), "ok");
  EXPECT_EQ(out.data, (std::vector<int32_t>{0, 5, 7, 0, 0, 9, 1, 1}));
}

TEST(ReferenceConcatenation, Uint8InputsQuantizedUnlikeTheOutputAreRequantized) {
  // Output scale 1, zp 100. Input a (scale 0.5, zp 10): q * 0.5 - 5, rounded half away from
  // zero: 9 -> -0.5 -> -1 -> 99; 11 -> 0.5 -> 1 -> 101; 30 -> 10 -> 110; 255 -> 122.5 -> 123
  // -> 223. Input b has the output's quantization: copied unchanged.
  auto a = MakeQ<uint8_t>({1, 4}, {9, 11, 30, 255}, 0.5f, 10);
  auto b = MakeQ<uint8_t>({1, 2}, {0, 255}, 1.0f, 100);
  auto out = Output<uint8_t>({1, 6}, 1.0f, 100);
  TensorView in[] = {a.view(), b.view()};
  ASSERT_EQ(Message(Concatenation(Axis(1), in, out.view())), "ok");
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{99, 101, 110, 223, 0, 255}));
  // Clamping: zp 200 pushes 255 -> 123 + 200 above 255; 0 -> -5 + 200 = 195.
  auto high = Output<uint8_t>({1, 6}, 1.0f, 200);
  auto b2 = MakeQ<uint8_t>({1, 2}, {0, 255}, 1.0f, 200);
  TensorView in2[] = {a.view(), b2.view()};
  ASSERT_EQ(Message(Concatenation(Axis(1), in2, high.view())), "ok");
  EXPECT_EQ(Ints(high.data), (std::vector<int32_t>{199, 201, 210, 255, 0, 255}));
}

TEST(ReferenceConcatenation, Int8InputsAreRequantizedTheSameWay) {
  // in scale 0.25 zp -3 -> out scale 0.5 zp 5: (q + 3) / 2 rounded half away, + 5.
  // -3 -> 5; 0 -> 1.5 -> 2 -> 7; 127 -> 65 -> 70; -128 -> -62.5 -> -63 -> -58.
  auto a = MakeQ<int8_t>({4, 1}, {-3, 0, 127, -128}, 0.25f, -3);
  auto out = Output<int8_t>({4, 1}, 0.5f, 5);
  TensorView in[] = {a.view()};
  ASSERT_EQ(Message(Concatenation(Axis(0), in, out.view())), "ok");
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{5, 7, 70, -58}));
}

TEST(ReferenceConcatenation, Errors) {
  auto a = Make<float>({2, 2}, {1, 2, 3, 4});
  auto b = Make<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  TensorView ab[] = {a.view(), b.view()};
  auto out = Output<float>({4, 2});
  EXPECT_EQ(Message(Concatenation(Axis(0), ab, out.view())),
            "CONCATENATION: input 1: shape [2, 3] does not match input 0's [2, 2] outside axis 0");
  auto wide = Output<float>({2, 5});
  EXPECT_EQ(Message(Concatenation(Axis(2), ab, wide.view())),
            "CONCATENATION: axis 2 is outside [-2, 1]");
  EXPECT_EQ(Message(Concatenation(Axis(-3), ab, wide.view())),
            "CONCATENATION: axis -3 is outside [-2, 1]");
  auto wrong = Output<float>({2, 6});
  EXPECT_EQ(Message(Concatenation(Axis(1), ab, wrong.view())),
            "CONCATENATION: output: shape [2, 6], expected [2, 5]");
  EXPECT_NE(Message(Concatenation(ConcatenationOptions{1, Activation::kRelu}, ab, wide.view())),
            "ok");
  auto ints = Make<int32_t>({2, 3}, {1, 2, 3, 4, 5, 6});
  TensorView mixed[] = {a.view(), ints.view()};
  EXPECT_EQ(Message(Concatenation(Axis(1), mixed, wide.view())),
            "CONCATENATION: input 1: expected float32, got int32");
}

TEST(ReferencePack, StacksAlongANewAxis) {
  // MoveNet packs three [17] int32 vectors along axis 1 into [17, 3]; here [2].
  auto x = Make<int32_t>({2}, {0, 0});
  auto y = Make<int32_t>({2}, {4, 5});
  auto z = Make<int32_t>({2}, {6, 7});
  TensorView in[] = {x.view(), y.view(), z.view()};
  auto columns = Output<int32_t>({2, 3});
  ASSERT_EQ(Message(Pack(PackOptions{3, 1}, in, columns.view())), "ok");
  EXPECT_EQ(columns.data, (std::vector<int32_t>{0, 4, 6, 0, 5, 7}));
  for (int axis : {0, -2}) {
    auto rows = Output<int32_t>({3, 2});
    ASSERT_EQ(Message(Pack(PackOptions{3, axis}, in, rows.view())), "ok");
    EXPECT_EQ(rows.data, (std::vector<int32_t>{0, 0, 4, 5, 6, 7})) << axis;
  }
  // [1, 2] int8 pair packed along the last axis: [1, 2, 2] (MoveNet's x/y pairs).
  auto a = MakeQ<int8_t>({1, 2}, {1, 2}, 0.2f, -128);
  auto b = MakeQ<int8_t>({1, 2}, {3, 4}, 0.2f, -128);
  TensorView pair[] = {a.view(), b.view()};
  auto out = Output<int8_t>({1, 2, 2}, 0.2f, -128);
  ASSERT_EQ(Message(Pack(PackOptions{2, 2}, pair, out.view())), "ok");
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{1, 3, 2, 4}));
}

TEST(ReferencePack, Errors) {
  auto a = Make<float>({2}, {1, 2});
  auto b = Make<float>({3}, {1, 2, 3});
  TensorView ab[] = {a.view(), b.view()};
  auto out = Output<float>({2, 2});
  EXPECT_EQ(Message(Pack(PackOptions{2, 0}, ab, out.view())),
            "PACK: input 1: shape [3] differs from input 0's [2]");
  TensorView aa[] = {a.view(), a.view()};
  EXPECT_EQ(Message(Pack(PackOptions{3, 0}, aa, out.view())), "PACK: values_count 3 but 2 inputs");
  EXPECT_EQ(Message(Pack(PackOptions{2, 2}, aa, out.view())), "PACK: axis 2 is outside [-2, 1]");
  auto qa = MakeQ<uint8_t>({2}, {1, 2}, 0.5f, 0);
  auto qb = MakeQ<uint8_t>({2}, {1, 2}, 0.25f, 0);
  TensorView q[] = {qa.view(), qb.view()};
  auto qout = Output<uint8_t>({2, 2}, 0.5f, 0);
  EXPECT_EQ(Message(Pack(PackOptions{2, 0}, q, qout.view())),
            "PACK: input 1: quantized as scale 0.25 zero point 0, expected scale 0.5 zero point 0");
}

}  // namespace
}  // namespace coralpi::reference
