// MAXIMUM and MINIMUM reference kernels.
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

TEST(ReferenceMinMax, FloatBroadcast) {
  auto a = Make<float>({2, 2}, {1, -5, 3, 0.5f});
  auto b = Make<float>({2}, {2, -1});
  auto out = Output<float>({2, 2});
  ASSERT_TRUE(Maximum(a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{2, -1, 3, 0.5f}));
  ASSERT_TRUE(Minimum(a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{1, -5, 2, -1}));
}

TEST(ReferenceMinMax, QuantizedSharesOneQuantization) {
  auto a = MakeQ<int8_t>({3}, {-7, 0, 100}, 0.1f, 3);
  auto b = MakeQ<int8_t>({3}, {-8, 1, -100}, 0.1f, 3);
  auto out = Output<int8_t>({3}, 0.1f, 3);
  ASSERT_TRUE(Maximum(a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{-7, 1, 100}));
  ASSERT_TRUE(Minimum(a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{-8, 0, -100}));
  auto other = Output<int8_t>({3}, 0.2f, 3);
  Status s = Maximum(a.view(), b.view(), other.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("MAXIMUM"), std::string::npos) << Message(s);
}

TEST(ReferenceMinMax, Int32) {
  auto a = Make<int32_t>({3}, {-2000000000, 5, 0});
  auto b = Make<int32_t>({1}, {4});
  auto out = Output<int32_t>({3});
  ASSERT_TRUE(Maximum(a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<int32_t>{4, 5, 4}));
  ASSERT_TRUE(Minimum(a.view(), b.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<int32_t>{-2000000000, 4, 0}));
}

}  // namespace
}  // namespace coralpi::reference
