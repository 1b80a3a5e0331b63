// DEPTHWISE_CONV_2D reference kernel on cases small enough to work out by hand.
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

DepthwiseConv2DOptions Opts(Padding padding, int32_t multiplier) {
  DepthwiseConv2DOptions o;
  o.padding = padding;
  o.depth_multiplier = multiplier;
  return o;
}

TEST(ReferenceDepthwiseConv2D, FloatMultiplier2ChannelOrder) {
  // Two pixels of two channels: (1, 10) and (-1, 2).
  auto in = Make<float>({1, 1, 2, 2}, {1, 10, -1, 2});
  // 1x1 filter, output channel ic * 2 + m: [c0 * 2, c0 * 3, c1 * 5, c1 * 7].
  auto filter = Make<float>({1, 1, 1, 4}, {2, 3, 5, 7});
  auto bias = Make<float>({4}, {0, 0, 0, 1});
  auto bv = bias.view();
  auto out = Output<float>({1, 1, 2, 4});
  ASSERT_TRUE(
      DepthwiseConv2D(Opts(Padding::kValid, 2), in.view(), filter.view(), &bv, out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{2, 3, 50, 71, -2, -3, 10, 15}));
}

TEST(ReferenceDepthwiseConv2D, Uint8SamePaddingMultiplier2) {
  // x - x_zp is the grid 0..8 (input zp 1), one channel.
  auto in = MakeQ<uint8_t>({1, 3, 3, 1}, {1, 2, 3, 4, 5, 6, 7, 8, 9}, 0.5f, 1);
  // Filter zp 3. Output channel 0: all q = 4 (w - zp = 1); channel 1: q = 5 (w - zp = 2) at the
  // centre, q = 3 (0) elsewhere. Layout [1, 3, 3, 2]: (ky * 3 + kx) * 2 + oc.
  std::vector<uint8_t> w(18);
  for (int k = 0; k < 9; ++k) {
    w[k * 2] = 4;
    w[k * 2 + 1] = k == 4 ? 5 : 3;
  }
  auto filter = MakeQ<uint8_t>({1, 3, 3, 2}, w, 0.25f, 3);
  // Requantization scale 0.5 * 0.25 / 0.125 = 1, output zp 0.
  // Channel 0: in-bounds neighbour sums 8 15 12 21 36 27 20 33 24; channel 1: 2 * centre.
  auto out = Output<uint8_t>({1, 3, 3, 2}, 0.125f, 0);
  ASSERT_TRUE(
      DepthwiseConv2D(Opts(Padding::kSame, 2), in.view(), filter.view(), nullptr, out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{8, 0, 15, 2, 12, 4, 21, 6, 36, 8, 27, 10, 20, 12,
                                                  33, 14, 24, 16}));
}

TEST(ReferenceDepthwiseConv2D, Int8PerChannelAlongAxis3) {
  auto in = MakeQ<int8_t>({1, 1, 1, 1}, {4}, 1.0f, 0);
  // Multiplier 2: weights [3, -2], scales [0.5, 0.25] along axis 3.
  auto filter = MakePerChannel<int8_t>({1, 1, 1, 2}, {3, -2}, {0.5f, 0.25f}, 3);
  // acc0 = 12 + 1 = 13 -> 6.5 -> 6; acc1 = -8 + 2 = -6 -> -1.5 -> -2 (half to even).
  auto bias = Make<int32_t>({2}, {1, 2});
  auto bv = bias.view();
  auto out = Output<int8_t>({1, 1, 1, 2}, 1.0f, 0);
  ASSERT_TRUE(
      DepthwiseConv2D(Opts(Padding::kValid, 2), in.view(), filter.view(), &bv, out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{6, -2}));
}

TEST(ReferenceDepthwiseConv2D, ErrorOnChannelsNotAMultiple) {
  auto in = Make<float>({1, 1, 1, 2}, {1, 2});
  auto filter = Make<float>({1, 1, 1, 3}, {1, 1, 1});
  auto out = Output<float>({1, 1, 1, 3});
  Status s =
      DepthwiseConv2D(Opts(Padding::kValid, 1), in.view(), filter.view(), nullptr, out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("DEPTHWISE_CONV_2D"), std::string::npos) << Message(s);
}

TEST(ReferenceDepthwiseConv2D, ErrorOnBadFilterOrQuantization) {
  auto in = MakeQ<int8_t>({1, 1, 1, 1}, {4}, 1.0f, 0);
  auto out = Output<int8_t>({1, 1, 1, 2}, 1.0f, 0);
  // Per-channel along axis 0 (the conv axis) is wrong for depthwise.
  auto axis0 = MakePerChannel<int8_t>({1, 1, 1, 2}, {3, -2}, {0.5f, 0.25f}, 0);
  EXPECT_FALSE(
      DepthwiseConv2D(Opts(Padding::kValid, 2), in.view(), axis0.view(), nullptr, out.view()).ok());
  // Three scales for two channels.
  auto three = MakePerChannel<int8_t>({1, 1, 1, 2}, {3, -2}, {0.5f, 0.25f, 1.0f}, 3);
  EXPECT_FALSE(
      DepthwiseConv2D(Opts(Padding::kValid, 2), in.view(), three.view(), nullptr, out.view()).ok());
  // First filter dimension must be 1.
  auto tall = MakePerChannel<int8_t>({2, 1, 1, 1}, {3, -2}, {0.5f}, 3);
  EXPECT_FALSE(
      DepthwiseConv2D(Opts(Padding::kValid, 1), in.view(), tall.view(), nullptr, out.view()).ok());
  // Output missing its quantization.
  auto filter = MakePerChannel<int8_t>({1, 1, 1, 2}, {3, -2}, {0.5f, 0.25f}, 3);
  auto unq = Output<int8_t>({1, 1, 1, 2});
  EXPECT_FALSE(
      DepthwiseConv2D(Opts(Padding::kValid, 2), in.view(), filter.view(), nullptr, unq.view())
          .ok());
}

}  // namespace
}  // namespace coralpi::reference
