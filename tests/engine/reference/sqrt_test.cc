// SQRT and RSQRT reference kernels.
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

TEST(ReferenceSqrt, Float) {
  auto in = Make<float>({3}, {0, 4, 2});
  auto out = Output<float>({3});
  ASSERT_TRUE(Sqrt(in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{0, 2, std::sqrt(2.0f)}));
}

TEST(ReferenceSqrt, Int8TruncatesAsTflite) {
  // Input scale 0.25, zp -128; output scale 0.125, zp -100.
  // x = 0, 1, 0.5, 63.75; sqrt / 0.125 = 0, 8, 5.66, 63.87 -> truncated 0, 8, 5, 63.
  auto in = MakeQ<int8_t>({4}, {-128, -124, -126, 127}, 0.25f, -128);
  auto out = Output<int8_t>({4}, 0.125f, -100);
  ASSERT_TRUE(Sqrt(in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{-100, -92, -95, -37}));
  auto negative = MakeQ<int8_t>({1}, {-1}, 0.25f, 0);
  auto out1 = Output<int8_t>({1}, 0.125f, 0);
  Status s = Sqrt(negative.view(), out1.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("negative"), std::string::npos) << Message(s);
}

TEST(ReferenceRsqrt, Float) {
  auto in = Make<float>({2}, {4, 0.25f});
  auto out = Output<float>({2});
  ASSERT_TRUE(Rsqrt(in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{0.5f, 2}));
  auto u8 = MakeQ<uint8_t>({2}, {1, 2}, 1.0f, 0);
  auto u8out = Output<uint8_t>({2}, 1.0f, 0);
  EXPECT_FALSE(Rsqrt(u8.view(), u8out.view()).ok());
}

}  // namespace
}  // namespace coralpi::reference
