// QUANTIZE and DEQUANTIZE reference kernels.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "engine/reference/kernel_util.h"
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

TEST(ReferenceQuantize, Uint8ToInt8WithZeroPointsOff128IsXor0x80) {
  // Every byte, and 3 more: a length that is not a multiple of 8.
  std::vector<uint8_t> all(259);
  for (int i = 0; i < 259; ++i) all[i] = static_cast<uint8_t>(i % 256);
  auto in = MakeQ<uint8_t>({259}, all, 0.02f, 128);
  auto out = Output<int8_t>({259}, 0.02f, 0);
  ASSERT_TRUE(Quantize(in.view(), out.view()).ok());
  for (int i = 0; i < 259; ++i) {
    EXPECT_EQ(static_cast<uint8_t>(out.data[i]), static_cast<uint8_t>((i % 256) ^ 0x80)) << i;
  }
  // And back: int8 zp 0 -> uint8 zp 128.
  auto back = Output<uint8_t>({259}, 0.02f, 128);
  ASSERT_TRUE(Quantize(out.view(), back.view()).ok());
  EXPECT_EQ(back.data, all);
}

TEST(ReferenceQuantize, Uint8ToInt8WithZeroPointsOff127ShiftsAndClamps) {
  // Not the flip of the top bit: in - 128 + 1, and 255 clamps to 127.
  std::vector<uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<uint8_t>(i);
  auto in = MakeQ<uint8_t>({256}, all, 0.02f, 128);
  auto out = Output<int8_t>({256}, 0.02f, 1);
  ASSERT_TRUE(Quantize(in.view(), out.view()).ok());
  for (int i = 0; i < 256; ++i) EXPECT_EQ(out.data[i], std::min(i - 127, 127)) << i;
}

TEST(ReferenceQuantize, FloatRoundsHalfAwayFromZeroAndClamps) {
  // scale 0.5, zp 10: 0 -> 10; 1.25 -> 2.5 -> 3 -> 13; -100 -> 0; 1000 -> 255;
  // -0.25 -> -0.5 -> -1 -> 9; 0.75 -> 1.5 -> 2 -> 12.
  auto in = Make<float>({6}, {0, 1.25f, -100, 1000, -0.25f, 0.75f});
  auto out = Output<uint8_t>({6}, 0.5f, 10);
  ASSERT_TRUE(Quantize(in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{10, 13, 0, 255, 9, 12}));
  auto s8 = Output<int8_t>({6}, 0.5f, 0);
  ASSERT_TRUE(Quantize(in.view(), s8.view()).ok());
  EXPECT_EQ(Ints(s8.data), (std::vector<int32_t>{0, 3, -128, 127, -1, 2}));
}

TEST(ReferenceQuantize, RequantizeRoundsHalvesUp) {
  // Scale 1 -> 2 (multiplier 2^30, shift 0): q / 2 = 0.5, 1.5, 2.5 -> 1, 2, 3; zp 0 -> 4.
  auto in = MakeQ<uint8_t>({3}, {1, 3, 5}, 1.0f, 0);
  auto out = Output<uint8_t>({3}, 2.0f, 4);
  ASSERT_TRUE(Quantize(in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{5, 6, 7}));
  // int8 negatives: TFLite's doubling high multiply rounds -0.5 to 0 and -1.5 to -1.
  auto s8 = MakeQ<int8_t>({2}, {-1, -3}, 1.0f, 0);
  auto s8out = Output<int8_t>({2}, 2.0f, 0);
  ASSERT_TRUE(Quantize(s8.view(), s8out.view()).ok());
  EXPECT_EQ(Ints(s8out.data), (std::vector<int32_t>{0, -1}));
}

TEST(ReferenceQuantize, RequantizeRoundsTwiceAsTensorFlowLite) {
  // Scale 1 -> 2.5: 0.4 = 0.8 * 2^-1 (multiplier 0.8 in Q31, shift -1). 3 * 0.8 = 2.4 rounds to
  // 2, then 2 / 2 = 1; 4 * 0.8 = 3.2 -> 3, then 1.5 -> 2 where 4 * 0.4 = 1.6 rounds to 2 too;
  // 6 * 0.8 = 4.8 -> 5, 2.5 -> 3 where 6 * 0.4 = 2.4 rounds to 2 once.
  auto in = MakeQ<uint8_t>({3}, {3, 4, 6}, 1.0f, 0);
  auto out = Output<uint8_t>({3}, 2.5f, 0);
  ASSERT_TRUE(Quantize(in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{1, 2, 3}));
}

TEST(ReferenceQuantize, Errors) {
  auto in = Make<float>({2}, {1, 2});
  auto shape = Output<uint8_t>({3}, 1.0f, 0);
  Status s = Quantize(in.view(), shape.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("QUANTIZE"), std::string::npos) << Message(s);
  auto unq = Output<uint8_t>({2});
  EXPECT_FALSE(Quantize(in.view(), unq.view()).ok());
  auto fout = Output<float>({2});
  EXPECT_FALSE(Quantize(in.view(), fout.view()).ok());
  auto qin = Make<uint8_t>({2}, {1, 2});
  auto qout = Output<uint8_t>({2}, 1.0f, 0);
  EXPECT_FALSE(Quantize(qin.view(), qout.view()).ok());
}

TEST(ReferenceDequantize, PerTensor) {
  auto in = MakeQ<uint8_t>({3}, {0, 128, 255}, 0.5f, 128);
  auto out = Output<float>({3});
  ASSERT_TRUE(Dequantize(in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{-64.0f, 0.0f, 63.5f}));
  auto s8 = MakeQ<int8_t>({2}, {-128, 127}, 0.25f, -1);
  auto s8out = Output<float>({2});
  ASSERT_TRUE(Dequantize(s8.view(), s8out.view()).ok());
  EXPECT_EQ(s8out.data, (std::vector<float>{-31.75f, 32.0f}));
}

TEST(ReferenceDequantize, PerChannel) {
  // [2, 2] with scales [1, 0.5]: along axis 0 the rows scale, along axis 1 the columns.
  auto rows = MakePerChannel<int8_t>({2, 2}, {4, -4, 4, -4}, {1.0f, 0.5f}, 0);
  auto out = Output<float>({2, 2});
  ASSERT_TRUE(Dequantize(rows.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{4, -4, 2, -2}));
  auto cols = MakePerChannel<int8_t>({2, 2}, {4, -4, 4, -4}, {1.0f, 0.5f}, 1);
  ASSERT_TRUE(Dequantize(cols.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{4, -2, 4, -2}));
}

TEST(ReferenceDequantize, Errors) {
  auto in = MakeQ<uint8_t>({3}, {0, 128, 255}, 0.5f, 128);
  auto shape = Output<float>({2});
  Status s = Dequantize(in.view(), shape.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("DEQUANTIZE"), std::string::npos) << Message(s);
  auto u8out = Output<uint8_t>({3}, 1.0f, 0);
  EXPECT_FALSE(Dequantize(in.view(), u8out.view()).ok());
  auto unq = Make<uint8_t>({3}, {0, 1, 2});
  auto out = Output<float>({3});
  EXPECT_FALSE(Dequantize(unq.view(), out.view()).ok());
  // Three scales along an axis of size 2; an axis outside the shape.
  auto bad = MakePerChannel<int8_t>({2, 2}, {1, 2, 3, 4}, {1.0f, 1.0f, 1.0f}, 0);
  auto out4 = Output<float>({2, 2});
  EXPECT_FALSE(Dequantize(bad.view(), out4.view()).ok());
  auto axis = MakePerChannel<int8_t>({2, 2}, {1, 2, 3, 4}, {1.0f, 1.0f}, 5);
  EXPECT_FALSE(Dequantize(axis.view(), out4.view()).ok());
}

// QuantizeRounded rounds by truncation and a half step; it must agree with the definition:
// std::round (half away from zero) of real / scale in float, then + zero point and clamped.
int32_t RoundThenClamp(float real, float scale, int32_t zp, ActivationRange r) {
  const float v = std::round(real / scale);
  if (std::isnan(v)) return r.lo;
  return static_cast<int32_t>(std::clamp<double>(v + zp, r.lo, r.hi));
}

TEST(ReferenceQuantize, QuantizeRoundedIsRoundHalfAwayFromZeroThenClamp) {
  std::vector<float> reals = {0.0f, -0.0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 126.5f,
                              -127.5f, 0.49999997f, -0.49999997f, 0.50000006f, 127.49999f,
                              1e30f, -1e30f, 3e9f, -3e9f,
                              std::numeric_limits<float>::infinity(),
                              -std::numeric_limits<float>::infinity(),
                              std::numeric_limits<float>::quiet_NaN(),
                              std::numeric_limits<float>::denorm_min()};
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> d(-400.0f, 400.0f);
  for (int i = 0; i < 20000; ++i) reals.push_back(d(rng));
  for (int k = -300; k <= 300; ++k) reals.push_back(static_cast<float>(k) + 0.5f);
  struct Case {
    float scale;
    int32_t zp;
    ActivationRange range;
  };
  const Case cases[] = {{1.0f, 0, {0, 255}},         {1.0f, -128, {-128, 127}},
                        {0.5f, 3, {-128, 127}},      {0.1f, 128, {0, 255}},
                        {0.02f, 0, {-32768, 32767}}, {1.0f, 5, {-32768, 32767}},
                        {3.0f, -1, {-128, 127}}};
  for (const Case& c : cases) {
    for (float real : reals) {
      ASSERT_EQ(internal::QuantizeRounded(real, c.scale, c.zp, c.range),
                RoundThenClamp(real, c.scale, c.zp, c.range))
          << "real " << real << " scale " << c.scale << " zero point " << c.zp;
    }
  }
}

}  // namespace
}  // namespace coralpi::reference
