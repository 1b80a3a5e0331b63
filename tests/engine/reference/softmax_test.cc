// SOFTMAX reference kernel: equal logits, rows, beta and the quantized output's rounding.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/reference/reference.h"
#include "test_util.h"

namespace coralpi::reference {
namespace {

using testing::Ints;
using testing::Make;
using testing::MakeQ;
using testing::Message;
using testing::Output;

TEST(ReferenceSoftmax, FloatEqualLogitsGiveOneOverN) {
  auto in = Make<float>({1, 4}, {7, 7, 7, 7});
  auto out = Output<float>({1, 4});
  ASSERT_TRUE(Softmax({}, in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>(4, 0.25f)));
}

TEST(ReferenceSoftmax, FloatRowsAndBeta) {
  // Row 0: [0, ln 3] -> [1/4, 3/4]. Row 1 with beta 2: [0, ln 3 / 2] -> the same.
  const float ln3 = std::log(3.0f);
  auto in = Make<float>({2, 2}, {0, ln3, 5, 5});
  auto out = Output<float>({2, 2});
  ASSERT_TRUE(Softmax({}, in.view(), out.view()).ok());
  EXPECT_NEAR(out.data[0], 0.25f, 1e-6);
  EXPECT_NEAR(out.data[1], 0.75f, 1e-6);
  EXPECT_EQ(out.data[2], 0.5f);
  EXPECT_EQ(out.data[3], 0.5f);
  SoftmaxOptions beta2;
  beta2.beta = 2.0f;
  auto in2 = Make<float>({1, 2}, {0, ln3 / 2});
  auto out2 = Output<float>({1, 2});
  ASSERT_TRUE(Softmax(beta2, in2.view(), out2.view()).ok());
  EXPECT_NEAR(out2.data[0], 0.25f, 1e-6);
  EXPECT_NEAR(out2.data[1], 0.75f, 1e-6);
}

TEST(ReferenceSoftmax, QuantizedEqualLogits) {
  // Any scale: equal inputs. 0.25 / (1/256) = 64.
  auto in = MakeQ<uint8_t>({1, 4}, {200, 200, 200, 200}, 0.1f, 0);
  auto out = Output<uint8_t>({1, 4}, 1.0f / 256, 0);
  ASSERT_TRUE(Softmax({}, in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>(4, 64)));
  // int8 with the usual zero point -128: 64 - 128.
  auto s8in = MakeQ<int8_t>({1, 4}, {-3, -3, -3, -3}, 0.1f, 5);
  auto s8out = Output<int8_t>({1, 4}, 1.0f / 256, -128);
  ASSERT_TRUE(Softmax({}, s8in.view(), s8out.view()).ok());
  EXPECT_EQ(Ints(s8out.data), (std::vector<int32_t>(4, -64)));
}

TEST(ReferenceSoftmax, QuantizedOutputRoundsHalfAwayFromZero) {
  // 0.25 / 0.5 = 0.5 -> 1 (half to even would give 0).
  auto in = MakeQ<uint8_t>({1, 4}, {9, 9, 9, 9}, 1.0f, 0);
  auto out = Output<uint8_t>({1, 4}, 0.5f, 0);
  ASSERT_TRUE(Softmax({}, in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>(4, 1)));
}

TEST(ReferenceSoftmax, QuantizedDominantLogit) {
  // Input scale 1: logits 0 and 100 -> [~0, ~1]: 1 / (1/256) = 256 saturates at 255.
  auto in = MakeQ<uint8_t>({1, 2}, {0, 100}, 1.0f, 0);
  auto out = Output<uint8_t>({1, 2}, 1.0f / 256, 0);
  ASSERT_TRUE(Softmax({}, in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{0, 255}));
}

TEST(ReferenceSoftmax, Errors) {
  auto in = Make<float>({1, 4}, {1, 2, 3, 4});
  auto out = Output<float>({1, 3});
  Status s = Softmax({}, in.view(), out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("SOFTMAX"), std::string::npos) << Message(s);
  auto unq = Output<uint8_t>({1, 4});
  EXPECT_FALSE(Softmax({}, in.view(), unq.view()).ok());
  auto i32 = Make<int32_t>({1, 4}, {1, 2, 3, 4});
  auto fout = Output<float>({1, 4});
  EXPECT_FALSE(Softmax({}, i32.view(), fout.view()).ok());
}

}  // namespace
}  // namespace coralpi::reference
