// HARD_SWISH reference kernel. The quantized cases follow TensorFlow Lite's 16-bit fixed point
// step by step for input and output scale 1/32 (multipliers: output 2^-7 -> Q15 16384 with
// exponent -6; reluish (2^-12) / (3 / 32768) = 8/3 -> Q15 21845 with exponent 2):
//   x = 1  (q 32):  v = 4096, on output scale 2048; reluish 2v = 8192 -> 5461 -> 10922,
//                   (10922 + 32768) >> 1 = 21845; 21845 * 2048 / 32768 = 1365 (truncated);
//                   1365 / 64 = 21.3 -> 21 (exact: 0.667 * 32 = 21.3)
//   x = 3  (q 96):  reluish saturates at 32767 -> r = 32767; 6143 / 64 -> 96
//   x = -1 (q -32): reluish -10922 -> r = 10923; -682 / 64 = -10.66 -> -11
//   x = -4 (q -128): reluish saturates at -32768 -> r = 0 -> 0
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

TEST(ReferenceHardSwish, Float) {
  auto in = Make<float>({5}, {-4, -1.5f, 0, 1, 4});
  auto out = Output<float>({5});
  ASSERT_TRUE(HardSwish(in.view(), out.view()).ok());
  EXPECT_EQ(out.data[0], 0.0f);
  EXPECT_EQ(out.data[1], -0.375f);  // -1.5 * 1.5 / 6
  EXPECT_EQ(out.data[2], 0.0f);
  EXPECT_FLOAT_EQ(out.data[3], 4.0f / 6.0f);
  EXPECT_EQ(out.data[4], 4.0f);
}

TEST(ReferenceHardSwish, Int8FixedPoint) {
  auto in = MakeQ<int8_t>({5}, {-128, -32, 0, 32, 96}, 1.0f / 32, 0);
  auto out = Output<int8_t>({5}, 1.0f / 32, 0);
  ASSERT_TRUE(HardSwish(in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{0, -11, 0, 21, 96}));
}

TEST(ReferenceHardSwish, Uint8ZeroPoints) {
  // The int8 case shifted by 128 on both sides.
  auto in = MakeQ<uint8_t>({5}, {0, 96, 128, 160, 224}, 1.0f / 32, 128);
  auto out = Output<uint8_t>({5}, 1.0f / 32, 128);
  ASSERT_TRUE(HardSwish(in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{128, 117, 128, 149, 224}));
}

TEST(ReferenceHardSwish, ScalesTfliteRejects) {
  // input / output = 200: the output multiplier (1/128) * 200 is above 1.
  EXPECT_FALSE(HardSwishScalesSupported(1.0f, 0.005f));
  EXPECT_TRUE(HardSwishScalesSupported(1.0f, 0.01f));
  auto in = MakeQ<int8_t>({1}, {3}, 1.0f, 0);
  auto out = Output<int8_t>({1}, 0.005f, 0);
  Status s = HardSwish(in.view(), out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("HARD_SWISH"), std::string::npos) << Message(s);
}

}  // namespace
}  // namespace coralpi::reference
