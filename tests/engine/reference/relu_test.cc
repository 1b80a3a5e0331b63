// RELU, RELU6, RELU_N1_TO_1 and LEAKY_RELU reference kernels, on cases worked out by hand.
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

TEST(ReferenceRelu, Float) {
  auto in = Make<float>({3}, {-1.5f, 0.5f, 7});
  auto out = Output<float>({3});
  ASSERT_TRUE(Relu(Activation::kRelu, in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{0, 0.5f, 7}));
  ASSERT_TRUE(Relu(Activation::kRelu6, in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{0, 0.5f, 6}));
  ASSERT_TRUE(Relu(Activation::kReluN1To1, in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{-1, 0.5f, 1}));
}

TEST(ReferenceRelu, QuantizedSameQuantizationIsAClamp) {
  // uint8 scale 0.5, zp 10: RELU6 [10, 22], RELU_N1_TO_1 [8, 12].
  auto in = MakeQ<uint8_t>({4}, {0, 15, 30, 9}, 0.5f, 10);
  auto out = Output<uint8_t>({4}, 0.5f, 10);
  ASSERT_TRUE(Relu(Activation::kRelu6, in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{10, 15, 22, 10}));
  ASSERT_TRUE(Relu(Activation::kReluN1To1, in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{8, 12, 12, 9}));
  ASSERT_TRUE(Relu(Activation::kRelu, in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{10, 15, 30, 10}));
}

TEST(ReferenceRelu, QuantizedRescaleFollowsTflite) {
  // 0.5 -> 0.75: 0.5f / 0.75f = 2/3 in float = 11184811 * 2^-24, QM = (11184811 * 2^7, 0);
  // d = q - 10 = 5, 3, 20, -10 times that: 3.33 -> 3, 2.0000001 -> 2, 13.3 -> 13,
  // -6.67 -> -7; output zp 0.
  // RELU6 bounds: [0, round(6 / 0.75) = 8].
  auto in = MakeQ<uint8_t>({4}, {15, 13, 30, 0}, 0.5f, 10);
  auto out = Output<uint8_t>({4}, 0.75f, 0);
  ASSERT_TRUE(Relu(Activation::kRelu6, in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{3, 2, 8, 0}));
  ASSERT_TRUE(Relu(Activation::kRelu, in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{3, 2, 13, 0}));
}

TEST(ReferenceRelu, Errors) {
  auto in = Make<float>({2}, {1, 2});
  auto out = Output<float>({3});
  Status s = Relu(Activation::kRelu6, in.view(), out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("RELU6"), std::string::npos) << Message(s);
  auto out2 = Output<float>({2});
  EXPECT_FALSE(Relu(Activation::kNone, in.view(), out2.view()).ok());
}

TEST(ReferenceLeakyRelu, Float) {
  auto in = Make<float>({3}, {-1, 2, -0.5f});
  auto out = Output<float>({3});
  ASSERT_TRUE(LeakyRelu({0.25f}, in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{-0.25f, 2, -0.125f}));
}

TEST(ReferenceLeakyRelu, Int8RoundsTwiceAsTflite) {
  // Same scales, alpha 0.25: positive d unchanged; negative d * 0.25 with QM(0.25) = (2^30, -1):
  // round-half-up(d / 2), then round-half-away(/ 2):
  // -1 -> 0 -> 0; -2 -> -1 -> -1; -3 -> -1 -> -1; -5 -> -2 -> -1; -6 -> -3 -> -2; -7 -> -3 -> -2.
  auto in = MakeQ<int8_t>({7}, {-1, -2, -3, -5, -6, -7, 3}, 0.5f, 0);
  auto out = Output<int8_t>({7}, 0.5f, 0);
  ASSERT_TRUE(LeakyRelu({0.25f}, in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{0, -1, -1, -1, -2, -2, 3}));
}

TEST(ReferenceLeakyRelu, Uint8ZeroPointsAndRescale) {
  // Input scale 1, zp 100; output scale 2, zp 50; alpha 0.5. d = 10 -> 10 * 0.5 = 5 -> 55;
  // d = -10 -> -10 * 0.25 = -2.5 -> -3 (away from zero, twice rounded: -5 then -2.5) -> 47;
  // d = 155 -> 77.5 -> 78 -> 128.
  auto in = MakeQ<uint8_t>({3}, {110, 90, 255}, 1.0f, 100);
  auto out = Output<uint8_t>({3}, 2.0f, 50);
  ASSERT_TRUE(LeakyRelu({0.5f}, in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{55, 47, 128}));
}

}  // namespace
}  // namespace coralpi::reference
