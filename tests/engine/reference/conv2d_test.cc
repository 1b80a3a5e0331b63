// CONV_2D reference kernel on cases small enough to work out by hand.
#include <gtest/gtest.h>

#include "engine/reference/reference.h"
#include "test_util.h"

namespace coralpi::reference {
namespace {

using testing::Ints;
using testing::Make;
using testing::MakePerChannel;
using testing::MakeQ;
using testing::Message;
using testing::Output;

// 1x3x3x1 uint8 input 1..9 with zero point 1, so x - x_zp is the grid
//   0 1 2
//   3 4 5
//   6 7 8
// and a 3x3 filter of q = 3 with zero point 2 (w - w_zp = 1): each output is the sum of the
// in-bounds neighbours. Input scale 0.5, filter scale 0.25.
testing::Tensor<uint8_t> GridInput() {
  return MakeQ<uint8_t>({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}, 0.5f, 1);
}
testing::Tensor<uint8_t> OnesFilter() {
  return MakeQ<uint8_t>({1, 3, 3, 1}, std::vector<uint8_t>(9, 3), 0.25f, 2);
}

Conv2DOptions Opts(Padding padding, int32_t stride = 1, Activation act = Activation::kNone) {
  Conv2DOptions o;
  o.padding = padding;
  o.stride_h = o.stride_w = stride;
  o.activation = act;
  return o;
}

TEST(ReferenceConv2D, Uint8ValidSumsTheWindow) {
  auto in = GridInput();
  auto filter = OnesFilter();
  auto bias = Make<int32_t>({1}, {4});
  // acc = 36 + 4 = 40; scale = 0.5 * 0.25 / 1 = 0.125; 40 * 0.125 = 5; + zp 10 = 15.
  auto out = Output<uint8_t>({1, 1, 1, 1}, 1.0f, 10);
  auto bv = bias.view();
  ASSERT_TRUE(Conv2D(Opts(Padding::kValid), in.view(), filter.view(), &bv, out.view()).ok());
  EXPECT_EQ(out.data[0], 15);
}

TEST(ReferenceConv2D, Uint8RoundsHalfToEven) {
  auto in = GridInput();
  auto filter = OnesFilter();
  auto out = Output<uint8_t>({1, 1, 1, 1}, 1.0f, 10);
  // No bias: acc = 36; 36 * 0.125 = 4.5 -> 4 (even); + 10 = 14.
  ASSERT_TRUE(Conv2D(Opts(Padding::kValid), in.view(), filter.view(), nullptr, out.view()).ok());
  EXPECT_EQ(out.data[0], 14);
  // Bias 8: 44 * 0.125 = 5.5 -> 6 (even); + 10 = 16.
  auto bias = Make<int32_t>({1}, {8});
  auto bv = bias.view();
  ASSERT_TRUE(Conv2D(Opts(Padding::kValid), in.view(), filter.view(), &bv, out.view()).ok());
  EXPECT_EQ(out.data[0], 16);
}

TEST(ReferenceConv2D, Uint8SamePaddingIgnoresPaddedPositions) {
  auto in = GridInput();
  auto filter = OnesFilter();
  // Output scale 0.125: requantization scale 1. Neighbour sums + zp 10.
  auto out = Output<uint8_t>({1, 3, 3, 1}, 0.125f, 10);
  ASSERT_TRUE(Conv2D(Opts(Padding::kSame), in.view(), filter.view(), nullptr, out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{18, 25, 22, 31, 46, 37, 30, 43, 34}));
}

TEST(ReferenceConv2D, Uint8Relu6ClampsHigh) {
  auto in = GridInput();
  auto filter = OnesFilter();
  auto bias = Make<int32_t>({1}, {20});
  auto bv = bias.view();
  // Output scale 0.25, zp 10: scale 0.5, RELU6 bounds q = [10, 34], so f is clamped to [0, 24].
  // acc = sums + 20 = 28 35 32 41 56 47 40 53 44; * 0.5 = 14 17.5 16 20.5 28 23.5 20 26.5 22
  // -> 14 18 16 20 24 24 20 24 22 (half to even, clamp 24); + 10.
  auto out = Output<uint8_t>({1, 3, 3, 1}, 0.25f, 10);
  ASSERT_TRUE(
      Conv2D(Opts(Padding::kSame, 1, Activation::kRelu6), in.view(), filter.view(), &bv, out.view())
          .ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{24, 28, 26, 30, 34, 34, 30, 34, 32}));
}

TEST(ReferenceConv2D, Uint8Relu6ClampsLow) {
  auto in = GridInput();
  auto filter = OnesFilter();
  auto bias = Make<int32_t>({1}, {-30});
  auto bv = bias.view();
  // acc = -22 -15 -18 -9 6 -3 -10 3 -6; * 0.5 = -11 -7.5 -9 -4.5 3 -1.5 -5 1.5 -3
  // -> clamped at 0 except 3 and 1.5 -> 2; + 10.
  auto out = Output<uint8_t>({1, 3, 3, 1}, 0.25f, 10);
  ASSERT_TRUE(
      Conv2D(Opts(Padding::kSame, 1, Activation::kRelu6), in.view(), filter.view(), &bv, out.view())
          .ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{10, 10, 10, 10, 13, 10, 10, 12, 10}));
}

// 1x4x4x1 float input v(y, x) = 4y + x, 3x3 filter of ones.
testing::Tensor<float> Ramp4x4() {
  std::vector<float> v(16);
  for (int i = 0; i < 16; ++i) v[i] = static_cast<float>(i);
  return Make<float>({1, 4, 4, 1}, v);
}

TEST(ReferenceConv2D, FloatSameStride2PadsAfter) {
  auto in = Ramp4x4();
  auto filter = Make<float>({1, 3, 3, 1}, std::vector<float>(9, 1.0f));
  // SAME, stride 2: out 2x2, total padding 1, all of it after. Windows start at rows/cols 0, 2.
  // (0,0): rows 0-2, cols 0-2 = 3 + 15 + 27 = 45.  (0,1): cols 2-3 = 5 + 13 + 21 = 39.
  // (1,0): rows 2-3 = 27 + 39 = 66.                (1,1): 10 + 11 + 14 + 15 = 50.
  auto out = Output<float>({1, 2, 2, 1});
  ASSERT_TRUE(Conv2D(Opts(Padding::kSame, 2), in.view(), filter.view(), nullptr, out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{45, 39, 66, 50}));
}

TEST(ReferenceConv2D, FloatValidStride2) {
  auto in = Ramp4x4();
  auto filter = Make<float>({1, 3, 3, 1}, std::vector<float>(9, 1.0f));
  // VALID, stride 2: ceil((4 - 2) / 2) = 1.
  auto out = Output<float>({1, 1, 1, 1});
  ASSERT_TRUE(Conv2D(Opts(Padding::kValid, 2), in.view(), filter.view(), nullptr, out.view()).ok());
  EXPECT_EQ(out.data[0], 45.0f);
  // The SAME-sized output is rejected for VALID.
  auto wrong = Output<float>({1, 2, 2, 1});
  EXPECT_FALSE(
      Conv2D(Opts(Padding::kValid, 2), in.view(), filter.view(), nullptr, wrong.view()).ok());
}

TEST(ReferenceConv2D, FloatDilation) {
  std::vector<float> v(25);
  for (int i = 0; i < 25; ++i) v[i] = static_cast<float>(i);
  auto in = Make<float>({1, 5, 5, 1}, v);
  auto filter = Make<float>({1, 2, 2, 1}, {1, 1, 1, 1});
  Conv2DOptions o = Opts(Padding::kValid);
  o.dilation_h = o.dilation_w = 2;
  // Effective window 3x3: out 3x3. (0,0) = v00 + v02 + v20 + v22 = 0 + 2 + 10 + 12 = 24.
  // (2,2) = 12 + 14 + 22 + 24 = 72.
  auto out = Output<float>({1, 3, 3, 1});
  ASSERT_TRUE(Conv2D(o, in.view(), filter.view(), nullptr, out.view()).ok());
  EXPECT_EQ(out.data[0], 24.0f);
  EXPECT_EQ(out.data[8], 72.0f);
}

TEST(ReferenceConv2D, FloatOhwiChannelsAndBias) {
  auto in = Make<float>({1, 1, 1, 2}, {1, 2});
  // Three output channels of [in0, in1] weights: [1, 1], [2, -1], [0, 3].
  auto filter = Make<float>({3, 1, 1, 2}, {1, 1, 2, -1, 0, 3});
  auto bias = Make<float>({3}, {0.5f, 0.0f, -1.0f});
  auto bv = bias.view();
  auto out = Output<float>({1, 1, 1, 3});
  ASSERT_TRUE(Conv2D(Opts(Padding::kSame), in.view(), filter.view(), &bv, out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{3.5f, 0.0f, 5.0f}));
  // RELU6 clamps 0..6; RELU_N1_TO_1 clamps to 1.
  ASSERT_TRUE(Conv2D(Opts(Padding::kSame, 1, Activation::kReluN1To1), in.view(), filter.view(), &bv,
                     out.view())
                  .ok());
  EXPECT_EQ(out.data, (std::vector<float>{1.0f, 0.0f, 1.0f}));
}

TEST(ReferenceConv2D, Int8PerChannelScales) {
  // x - x_zp = [10 - 2, -6 - 2] = [8, -8]; input scale 1.
  auto in = MakeQ<int8_t>({1, 1, 1, 2}, {10, -6}, 1.0f, 2);
  // Channel 0: [1, 2], scale 0.5; channel 1: [3, 1], scale 0.25.
  auto filter = MakePerChannel<int8_t>({2, 1, 1, 2}, {1, 2, 3, 1}, {0.5f, 0.25f}, 0);
  // acc0 = 8 - 16 + 23 = 15 -> 7.5 -> 8; acc1 = 24 - 8 + 6 = 22 -> 5.5 -> 6; zp -5.
  auto bias = Make<int32_t>({2}, {23, 6});
  auto bv = bias.view();
  auto out = Output<int8_t>({1, 1, 1, 2}, 1.0f, -5);
  ASSERT_TRUE(Conv2D(Opts(Padding::kValid), in.view(), filter.view(), &bv, out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{3, 1}));
}

TEST(ReferenceConv2D, ErrorOnMismatchedChannels) {
  auto in = GridInput();
  auto filter = MakeQ<uint8_t>({1, 3, 3, 2}, std::vector<uint8_t>(18, 3), 0.25f, 2);
  auto out = Output<uint8_t>({1, 1, 1, 1}, 1.0f, 0);
  Status s = Conv2D(Opts(Padding::kValid), in.view(), filter.view(), nullptr, out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("CONV_2D"), std::string::npos) << Message(s);
  EXPECT_NE(Message(s).find("channels"), std::string::npos) << Message(s);
}

TEST(ReferenceConv2D, ErrorOnMissingQuantization) {
  auto in = GridInput();
  in.quant = {};
  auto filter = OnesFilter();
  auto out = Output<uint8_t>({1, 1, 1, 1}, 1.0f, 0);
  Status s = Conv2D(Opts(Padding::kValid), in.view(), filter.view(), nullptr, out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("quantization missing"), std::string::npos) << Message(s);
}

TEST(ReferenceConv2D, ErrorOnWrongPerChannelScaleCount) {
  auto in = MakeQ<int8_t>({1, 1, 1, 2}, {10, -6}, 1.0f, 2);
  auto filter = MakePerChannel<int8_t>({2, 1, 1, 2}, {1, 2, 3, 1}, {0.5f, 0.25f, 1.0f}, 0);
  auto out = Output<int8_t>({1, 1, 1, 2}, 1.0f, 0);
  Status s = Conv2D(Opts(Padding::kValid), in.view(), filter.view(), nullptr, out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("3 scales"), std::string::npos) << Message(s);
  // Two scales, but along the wrong axis.
  auto axis3 = MakePerChannel<int8_t>({2, 1, 1, 2}, {1, 2, 3, 1}, {0.5f, 0.25f}, 3);
  EXPECT_FALSE(Conv2D(Opts(Padding::kValid), in.view(), axis3.view(), nullptr, out.view()).ok());
}

TEST(ReferenceConv2D, ErrorOnBadArguments) {
  auto in = GridInput();
  auto filter = OnesFilter();
  auto out = Output<uint8_t>({1, 1, 1, 1}, 1.0f, 0);
  // Bias of the wrong size and type.
  auto bias2 = Make<int32_t>({2}, {0, 0});
  auto bv2 = bias2.view();
  EXPECT_FALSE(Conv2D(Opts(Padding::kValid), in.view(), filter.view(), &bv2, out.view()).ok());
  auto fbias = Make<float>({1}, {0});
  auto fbv = fbias.view();
  EXPECT_FALSE(Conv2D(Opts(Padding::kValid), in.view(), filter.view(), &fbv, out.view()).ok());
  // Mixed types.
  auto s8filter = MakeQ<int8_t>({1, 3, 3, 1}, std::vector<int8_t>(9, 1), 0.25f, 0);
  EXPECT_FALSE(Conv2D(Opts(Padding::kValid), in.view(), s8filter.view(), nullptr, out.view()).ok());
  // Wrong rank, stride 0, window larger than the input.
  auto in3 = MakeQ<uint8_t>({3, 3, 1}, std::vector<uint8_t>(9, 1), 0.5f, 1);
  EXPECT_FALSE(Conv2D(Opts(Padding::kValid), in3.view(), filter.view(), nullptr, out.view()).ok());
  EXPECT_FALSE(
      Conv2D(Opts(Padding::kValid, 0), in.view(), filter.view(), nullptr, out.view()).ok());
  auto big = MakeQ<uint8_t>({1, 5, 5, 1}, std::vector<uint8_t>(25, 3), 0.25f, 2);
  EXPECT_FALSE(Conv2D(Opts(Padding::kValid), in.view(), big.view(), nullptr, out.view()).ok());
  // A dilation so large that the window's extent would overflow int32.
  Conv2DOptions huge = Opts(Padding::kSame);
  huge.dilation_h = 1 << 30;
  EXPECT_FALSE(Conv2D(huge, in.view(), filter.view(), nullptr, out.view()).ok());
  // Missing data, unsupported fused activation.
  auto nodata = GridInput();
  TensorView nv = nodata.view();
  nv.data = nullptr;
  EXPECT_FALSE(Conv2D(Opts(Padding::kValid), nv, filter.view(), nullptr, out.view()).ok());
  EXPECT_FALSE(Conv2D(Opts(Padding::kValid, 1, Activation::kTanh), in.view(), filter.view(),
                      nullptr, out.view())
                   .ok());
}

}  // namespace
}  // namespace coralpi::reference
