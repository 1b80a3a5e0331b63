// LOGISTIC and TANH reference kernels: the 256-entry tables worked out by hand for a few inputs,
// with XNNPACK's rounding (ties to even) for the standard LOGISTIC output and TensorFlow Lite's
// (ties away from zero) elsewhere. sigmoid(1) = 0.7310586, sigmoid(-1) = 0.2689414,
// tanh(1) = 0.7615942.
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

TEST(ReferenceLogistic, Float) {
  auto in = Make<float>({3}, {0, 1, -1});
  auto out = Output<float>({3});
  ASSERT_TRUE(Logistic(in.view(), out.view()).ok());
  EXPECT_EQ(out.data[0], 0.5f);
  EXPECT_FLOAT_EQ(out.data[1], 0.7310586f);
  EXPECT_FLOAT_EQ(out.data[2], 0.2689414f);
}

TEST(ReferenceLogistic, Uint8StandardOutput) {
  // Input scale 0.5, zp 128: q = 128, 130, 126, 0, 255 are x = 0, 1, -1, -64, 63.5.
  // * 256: 128, 187.15, 68.85, ~0, 256 -> 128, 187, 69, 0, 255 (clamped).
  auto in = MakeQ<uint8_t>({5}, {128, 130, 126, 0, 255}, 0.5f, 128);
  auto out = Output<uint8_t>({5}, 1.0f / 256, 0);
  ASSERT_TRUE(Logistic(in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{128, 187, 69, 0, 255}));
}

TEST(ReferenceLogistic, Int8StandardOutput) {
  // The same values less 128 (output zp -128).
  auto in = MakeQ<int8_t>({5}, {0, 2, -2, -128, 127}, 0.5f, 0);
  auto out = Output<int8_t>({5}, 1.0f / 256, -128);
  ASSERT_TRUE(Logistic(in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{0, 59, -59, -128, 127}));
}

TEST(ReferenceLogistic, OtherOutputZeroPointFollowsTflite) {
  // Output zp 10 (XNNPACK takes only 0): TFLite's table, the same values plus 10.
  auto in = MakeQ<uint8_t>({5}, {128, 130, 126, 0, 255}, 0.5f, 128);
  auto out = Output<uint8_t>({5}, 1.0f / 256, 10);
  ASSERT_TRUE(Logistic(in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{138, 197, 79, 10, 255}));
}

TEST(ReferenceLogistic, OutputScaleMustBe1Over256) {
  auto in = MakeQ<uint8_t>({1}, {128}, 0.5f, 128);
  auto out = Output<uint8_t>({1}, 1.0f / 128, 0);
  Status s = Logistic(in.view(), out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("1/256"), std::string::npos) << Message(s);
}

TEST(ReferenceTanh, FloatAndQuantized) {
  auto f = Make<float>({2}, {0, 1});
  auto fout = Output<float>({2});
  ASSERT_TRUE(Tanh(f.view(), fout.view()).ok());
  EXPECT_EQ(fout.data[0], 0.0f);
  EXPECT_FLOAT_EQ(fout.data[1], 0.7615942f);
  // Output scale 1/128: tanh * 128 = 0, 97.48, -97.48, -128, 128 -> 0, 97, -97, -128, 128;
  // uint8 zp 128: 128, 225, 31, 0, 255 (clamped).
  auto in = MakeQ<uint8_t>({5}, {128, 130, 126, 0, 255}, 0.5f, 128);
  auto out = Output<uint8_t>({5}, 1.0f / 128, 128);
  ASSERT_TRUE(Tanh(in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{128, 225, 31, 0, 255}));
  auto in8 = MakeQ<int8_t>({5}, {0, 2, -2, -128, 127}, 0.5f, 0);
  auto out8 = Output<int8_t>({5}, 1.0f / 128, 0);
  ASSERT_TRUE(Tanh(in8.view(), out8.view()).ok());
  EXPECT_EQ(Ints(out8.data), (std::vector<int32_t>{0, 97, -97, -128, 127}));
}

}  // namespace
}  // namespace coralpi::reference
