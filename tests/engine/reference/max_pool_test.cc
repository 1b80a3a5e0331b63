// MAX_POOL_2D reference kernel on cases small enough to work out by hand.
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

Pool2DOptions Opts(Padding padding, int32_t filter_h, int32_t filter_w, int32_t stride,
                   Activation act = Activation::kNone) {
  Pool2DOptions o;
  o.padding = padding;
  o.filter_h = filter_h;
  o.filter_w = filter_w;
  o.stride_h = o.stride_w = stride;
  o.activation = act;
  return o;
}

TEST(ReferenceMaxPool2D, FloatValid2x2Stride2) {
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[i] = static_cast<float>(i);
  auto in = Make<float>({1, 4, 4, 1}, v);
  auto out = Output<float>({1, 2, 2, 1});
  ASSERT_TRUE(MaxPool2D(Opts(Padding::kValid, 2, 2, 2), in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{5, 7, 13, 15}));
}

TEST(ReferenceMaxPool2D, FloatSameNeverReadsPadding) {
  // All values negative: a padded zero would win if the padding were read.
  auto in = Make<float>({1, 3, 3, 1}, {-1, -2, -3, -4, -5, -6, -7, -8, -9});
  auto out = Output<float>({1, 3, 3, 1});
  ASSERT_TRUE(MaxPool2D(Opts(Padding::kSame, 3, 3, 1), in.view(), out.view()).ok());
  // Each window's largest in-bounds value: the one nearest the top-left corner.
  EXPECT_EQ(out.data, (std::vector<float>{-1, -1, -2, -1, -1, -2, -4, -4, -5}));
}

TEST(ReferenceMaxPool2D, FloatRelu6ClampsBothWays) {
  auto in = Make<float>({1, 1, 4, 2}, {-3, 1, -2, 9, 4, 5, 7, 2});
  auto out = Output<float>({1, 1, 2, 2});
  ASSERT_TRUE(
      MaxPool2D(Opts(Padding::kValid, 1, 2, 2, Activation::kRelu6), in.view(), out.view()).ok());
  // Channel 0: max(-3, -2) = -2 -> 0, max(4, 7) = 7 -> 6; channel 1: 9 -> 6, 5.
  EXPECT_EQ(out.data, (std::vector<float>{0, 6, 6, 5}));
}

TEST(ReferenceMaxPool2D, Uint8ClampsToQuantizedRelu6) {
  // Scale 0.5, zero point 10: RELU6 is [10, 10 + 6 / 0.5] = [10, 22].
  auto in = MakeQ<uint8_t>({1, 1, 4, 1}, {5, 8, 12, 40}, 0.5f, 10);
  auto out = Output<uint8_t>({1, 1, 2, 1}, 0.5f, 10);
  ASSERT_TRUE(
      MaxPool2D(Opts(Padding::kValid, 1, 2, 2, Activation::kRelu6), in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{10, 22}));
}

TEST(ReferenceMaxPool2D, Int8StrideLargerThanWindowSkipsValues) {
  // Width 5, window 2, stride 3, VALID: windows {0, 1} and {3, 4}; value 2 is never read.
  auto in = MakeQ<int8_t>({1, 1, 5, 1}, {-100, -50, 127, -7, -8}, 0.1f, -3);
  auto out = Output<int8_t>({1, 1, 2, 1}, 0.1f, -3);
  ASSERT_TRUE(MaxPool2D(Opts(Padding::kValid, 1, 2, 3), in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{-50, -7}));
}

TEST(ReferenceMaxPool2D, OddSizeSameStride2) {
  // 5x5 SAME stride 2 window 3: output 3x3, padding 1 before; centres at 0, 2, 4.
  std::vector<float> v(25);
  for (int i = 0; i < 25; ++i) v[i] = static_cast<float>((i * 7) % 25);
  auto in = Make<float>({1, 5, 5, 1}, v);
  auto out = Output<float>({1, 3, 3, 1});
  ASSERT_TRUE(MaxPool2D(Opts(Padding::kSame, 3, 3, 2), in.view(), out.view()).ok());
  // Rows r of v: r0 = 0 7 14 21 3, r1 = 10 17 24 6 13, r2 = 20 2 9 16 23,
  // r3 = 5 12 19 1 8, r4 = 15 22 4 11 18.
  EXPECT_EQ(out.data, (std::vector<float>{17, 24, 21, 20, 24, 23, 22, 22, 18}));
}

TEST(ReferenceMaxPool2D, Errors) {
  auto in = MakeQ<uint8_t>({1, 2, 2, 1}, {1, 2, 3, 4}, 0.5f, 0);
  auto other_zp = Output<uint8_t>({1, 1, 1, 1}, 0.5f, 1);
  Status s = MaxPool2D(Opts(Padding::kValid, 2, 2, 1), in.view(), other_zp.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("MAX_POOL_2D"), std::string::npos) << Message(s);
  auto wrong_shape = Output<uint8_t>({1, 2, 2, 1}, 0.5f, 0);
  EXPECT_FALSE(MaxPool2D(Opts(Padding::kValid, 2, 2, 1), in.view(), wrong_shape.view()).ok());
  auto out = Output<uint8_t>({1, 1, 1, 1}, 0.5f, 0);
  EXPECT_FALSE(MaxPool2D(Opts(Padding::kValid, 0, 2, 1), in.view(), out.view()).ok());
}

}  // namespace
}  // namespace coralpi::reference
