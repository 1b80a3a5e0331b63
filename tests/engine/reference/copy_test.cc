// Copy (RESHAPE, SQUEEZE) reference kernel.
#include <gtest/gtest.h>

#include "engine/reference/reference.h"
#include "test_util.h"

namespace coralpi::reference {
namespace {

using testing::Make;
using testing::MakeQ;
using testing::Output;

TEST(ReferenceCopy, CopiesBytesAcrossShapes) {
  auto in = Make<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  auto out = Output<float>({6});
  ASSERT_TRUE(Copy(in.view(), out.view()).ok());
  EXPECT_EQ(out.data, in.data);
  auto q = MakeQ<uint8_t>({1, 1, 1, 3}, {7, 8, 9}, 0.5f, 3);
  auto qout = Output<uint8_t>({1, 3}, 0.5f, 3);
  ASSERT_TRUE(Copy(q.view(), qout.view()).ok());
  EXPECT_EQ(qout.data, q.data);
}

TEST(ReferenceCopy, Errors) {
  auto in = Make<float>({2, 3}, {1, 2, 3, 4, 5, 6});
  auto fewer = Output<float>({5});
  EXPECT_FALSE(Copy(in.view(), fewer.view()).ok());
  auto other = Output<int32_t>({6});
  EXPECT_FALSE(Copy(in.view(), other.view()).ok());
  TensorView nodata = in.view();
  nodata.data = nullptr;
  EXPECT_FALSE(Copy(nodata, fewer.view()).ok());
}

}  // namespace
}  // namespace coralpi::reference
