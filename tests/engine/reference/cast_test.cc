// CAST reference kernel: truncation and saturation from float, wrap-around between integers,
// bool both ways.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "engine/reference/reference.h"
#include "test_util.h"

namespace coralpi::reference {
namespace {

using testing::Ints;
using testing::Make;
using testing::Message;
using testing::Output;

template <typename T>
testing::Tensor<T> Typed(DataType type, Shape shape, std::vector<T> data) {
  return testing::Tensor<T>{type, std::move(shape), {}, std::move(data)};
}

TEST(ReferenceCast, FloatToInt32TruncatesAndSaturates) {
  const int32_t kMax = std::numeric_limits<int32_t>::max();
  const int32_t kMin = std::numeric_limits<int32_t>::min();
  auto in = Make<float>({5}, {1.9f, -1.9f, 3e9f, -3e9f, std::nanf("")});
  auto out = Output<int32_t>({5});
  ASSERT_TRUE(Cast(in.view(), out.view()).ok());
  // NaN gives INT32_MAX, as TensorFlow Lite's int32 cast does.
  EXPECT_EQ(out.data, (std::vector<int32_t>{1, -1, kMax, kMin, kMax}));
}

TEST(ReferenceCast, FloatToBytes) {
  auto in = Make<float>({4}, {-5, 300, 2.7f, -1.5f});
  auto u8 = Output<uint8_t>({4});
  ASSERT_TRUE(Cast(in.view(), u8.view()).ok());
  EXPECT_EQ(Ints(u8.data), (std::vector<int32_t>{0, 255, 2, 0}));
  auto s8 = Output<int8_t>({4});
  ASSERT_TRUE(Cast(in.view(), s8.view()).ok());
  EXPECT_EQ(Ints(s8.data), (std::vector<int32_t>{-5, 127, 2, -1}));
}

TEST(ReferenceCast, IntegersWrap) {
  auto in = Make<int32_t>({3}, {263, -1, 42});
  auto u8 = Output<uint8_t>({3});
  ASSERT_TRUE(Cast(in.view(), u8.view()).ok());
  EXPECT_EQ(Ints(u8.data), (std::vector<int32_t>{7, 255, 42}));
  auto i64 = Typed<int64_t>(DataType::kInt64, {2}, {(int64_t{1} << 32) + 5, -3});
  auto i32 = Output<int32_t>({2});
  ASSERT_TRUE(Cast(i64.view(), i32.view()).ok());
  EXPECT_EQ(i32.data, (std::vector<int32_t>{5, -3}));
}

TEST(ReferenceCast, IntegersToFloat) {
  // MoveNet casts its uint8 image and int32 indices to float.
  auto u8 = Make<uint8_t>({2}, {0, 255});
  auto out = Output<float>({2});
  ASSERT_TRUE(Cast(u8.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{0, 255}));
  auto i32 = Make<int32_t>({2}, {-47, 16777217});
  ASSERT_TRUE(Cast(i32.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{-47, 16777216}));  // nearest float
}

TEST(ReferenceCast, Bool) {
  // Stored as bytes; any nonzero byte is true.
  auto b = Typed<uint8_t>(DataType::kBool, {3}, {0, 1, 2});
  auto i32 = Output<int32_t>({3});
  ASSERT_TRUE(Cast(b.view(), i32.view()).ok());
  EXPECT_EQ(i32.data, (std::vector<int32_t>{0, 1, 1}));
  auto f = Make<float>({3}, {0, -0.0f, 0.5f});
  auto out = Typed<uint8_t>(DataType::kBool, {3}, {9, 9, 9});
  ASSERT_TRUE(Cast(f.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{0, 0, 1}));
}

TEST(ReferenceCast, Errors) {
  auto in = Make<float>({2}, {1, 2});
  auto out = Output<float>({3});
  Status s = Cast(in.view(), out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("CAST"), std::string::npos) << Message(s);
  auto f16 = Typed<uint16_t>(DataType::kFloat16, {2}, {0, 0});
  auto out2 = Output<float>({2});
  EXPECT_FALSE(Cast(f16.view(), out2.view()).ok());
}

}  // namespace
}  // namespace coralpi::reference
