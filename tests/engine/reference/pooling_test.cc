// AVERAGE_POOL_2D and MEAN reference kernels on cases small enough to work out by hand.
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

Pool2DOptions Opts(Padding padding, int32_t filter, int32_t stride = 1,
                   Activation act = Activation::kNone) {
  Pool2DOptions o;
  o.padding = padding;
  o.filter_h = o.filter_w = filter;
  o.stride_h = o.stride_w = stride;
  o.activation = act;
  return o;
}

TEST(ReferenceAveragePool2D, FloatSameDividesByInBoundsCount) {
  auto in = Make<float>({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9});
  auto out = Output<float>({1, 3, 3, 1});
  ASSERT_TRUE(AveragePool2D(Opts(Padding::kSame, 3), in.view(), out.view()).ok());
  // Corner: (1 + 2 + 4 + 5) / 4 = 3; edge: (1 + ... + 6) / 6 = 3.5; centre: 45 / 9 = 5.
  EXPECT_EQ(out.data[0], 3.0f);
  EXPECT_EQ(out.data[1], 3.5f);
  EXPECT_EQ(out.data[4], 5.0f);
  EXPECT_EQ(out.data[8], (5.0f + 6 + 8 + 9) / 4);
}

TEST(ReferenceAveragePool2D, Uint8SameRoundsHalfAwayFromZero) {
  auto in = MakeQ<uint8_t>({1, 3, 3, 1}, {0, 1, 2, 3, 4, 5, 6, 7, 8}, 0.5f, 0);
  auto out = Output<uint8_t>({1, 3, 3, 1}, 0.5f, 0);
  ASSERT_TRUE(AveragePool2D(Opts(Padding::kSame, 3), in.view(), out.view()).ok());
  // 8/4 = 2, 15/6 = 2.5 -> 3, 12/4 = 3, 21/6 = 3.5 -> 4, 36/9 = 4, 27/6 = 4.5 -> 5,
  // 20/4 = 5, 33/6 = 5.5 -> 6, 24/4 = 6.
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{2, 3, 3, 4, 4, 5, 5, 6, 6}));
}

TEST(ReferenceAveragePool2D, Int8NegativeHalfRoundsAwayFromZero) {
  auto in = MakeQ<int8_t>({1, 1, 2, 1}, {-3, -2}, 0.5f, 0);
  Pool2DOptions o = Opts(Padding::kValid, 1);
  o.filter_w = 2;
  auto out = Output<int8_t>({1, 1, 1, 1}, 0.5f, 0);
  ASSERT_TRUE(AveragePool2D(o, in.view(), out.view()).ok());
  EXPECT_EQ(out.data[0], -3);  // -2.5 -> -3
}

TEST(ReferenceAveragePool2D, Uint8GlobalWithRelu6AndStride) {
  // Global 2x2 VALID over two channels: channel 0 averages 40, channel 1 averages 4.
  auto in = MakeQ<uint8_t>({1, 2, 2, 2}, {40, 4, 40, 4, 40, 4, 40, 4}, 0.25f, 0);
  auto out = Output<uint8_t>({1, 1, 1, 2}, 0.25f, 0);
  // RELU6 with scale 0.25: upper bound 24.
  ASSERT_TRUE(
      AveragePool2D(Opts(Padding::kValid, 2, 2, Activation::kRelu6), in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{24, 4}));
}

TEST(ReferenceAveragePool2D, FloatStride2Valid) {
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[i] = static_cast<float>(i);
  auto in = Make<float>({1, 4, 4, 1}, v);
  auto out = Output<float>({1, 2, 2, 1});
  ASSERT_TRUE(AveragePool2D(Opts(Padding::kValid, 2, 2), in.view(), out.view()).ok());
  // (0+1+4+5)/4, (2+3+6+7)/4, (8+9+12+13)/4, (10+11+14+15)/4.
  EXPECT_EQ(out.data, (std::vector<float>{2.5f, 4.5f, 10.5f, 12.5f}));
}

TEST(ReferenceAveragePool2D, Errors) {
  auto in = MakeQ<uint8_t>({1, 2, 2, 1}, {1, 2, 3, 4}, 0.5f, 0);
  auto other_scale = Output<uint8_t>({1, 1, 1, 1}, 0.25f, 0);
  Status s = AveragePool2D(Opts(Padding::kValid, 2), in.view(), other_scale.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("AVERAGE_POOL_2D"), std::string::npos) << Message(s);
  auto wrong_shape = Output<uint8_t>({1, 2, 2, 1}, 0.5f, 0);
  EXPECT_FALSE(AveragePool2D(Opts(Padding::kValid, 2), in.view(), wrong_shape.view()).ok());
  auto ok_out = Output<uint8_t>({1, 1, 1, 1}, 0.5f, 0);
  EXPECT_FALSE(AveragePool2D(Opts(Padding::kValid, 0), in.view(), ok_out.view()).ok());
  EXPECT_FALSE(AveragePool2D(Opts(Padding::kValid, 3), in.view(), ok_out.view()).ok());
}

TEST(ReferenceMeanHW, Uint8DifferentQuantization) {
  // Input scale 0.5, zp 10; output scale 0.25, zp 3; 4 positions:
  // scale = 0.5 / (0.25 * 4) = 0.5.
  // Channel 0: x - zp = 0 2 4 6, sum 12 -> 6 -> 9 (real mean 1.5 = 6 * 0.25).
  // Channel 1: x - zp = 1 1 2 1, sum 5 -> 2.5 -> 2 (half to even) -> 5.
  auto in = MakeQ<uint8_t>({1, 2, 2, 2}, {10, 11, 12, 11, 14, 12, 16, 11}, 0.5f, 10);
  auto out4 = Output<uint8_t>({1, 1, 1, 2}, 0.25f, 3);
  ASSERT_TRUE(MeanHW(in.view(), out4.view()).ok());
  EXPECT_EQ(Ints(out4.data), (std::vector<int32_t>{9, 5}));
  auto out2 = Output<uint8_t>({1, 2}, 0.25f, 3);
  ASSERT_TRUE(MeanHW(in.view(), out2.view()).ok());
  EXPECT_EQ(Ints(out2.data), (std::vector<int32_t>{9, 5}));
}

TEST(ReferenceMeanHW, Int8SaturatesToTheType) {
  // x - zp = -100 at both positions of one channel; scale = 1 / (0.5 * 2) = 1 -> -100 - 100 =
  // -200 -> -128.
  auto in = MakeQ<int8_t>({1, 1, 2, 1}, {-100, -100}, 1.0f, 0);
  auto out = Output<int8_t>({1, 1, 1, 1}, 0.5f, -100);
  ASSERT_TRUE(MeanHW(in.view(), out.view()).ok());
  EXPECT_EQ(out.data[0], -128);
}

TEST(ReferenceMeanHW, FloatTwoBatches) {
  auto in = Make<float>({2, 1, 2, 1}, {1, 2, 3, 5});
  auto out = Output<float>({2, 1});
  ASSERT_TRUE(MeanHW(in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{1.5f, 4.0f}));
}

TEST(ReferenceMeanHW, Errors) {
  auto in = MakeQ<uint8_t>({1, 2, 2, 2}, std::vector<uint8_t>(8, 1), 0.5f, 0);
  auto wrong = Output<uint8_t>({1, 2, 1, 1}, 0.5f, 0);
  Status s = MeanHW(in.view(), wrong.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("MEAN"), std::string::npos) << Message(s);
  auto unq = Output<uint8_t>({1, 2});
  EXPECT_FALSE(MeanHW(in.view(), unq.view()).ok());
  auto f = Output<float>({1, 2});
  EXPECT_FALSE(MeanHW(in.view(), f.view()).ok());
  auto in3 = Make<float>({2, 2, 2}, std::vector<float>(8, 1));
  EXPECT_FALSE(MeanHW(in3.view(), f.view()).ok());
}

}  // namespace
}  // namespace coralpi::reference
