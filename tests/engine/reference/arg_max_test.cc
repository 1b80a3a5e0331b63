// ARG_MAX reference kernel.
#include <gtest/gtest.h>

#include "engine/reference/reference.h"
#include "test_util.h"

namespace coralpi::reference {
namespace {

using testing::Make;
using testing::MakeQ;
using testing::Message;
using testing::Output;

const ArgMaxOptions kInt32{DataType::kInt32};
const ArgMaxOptions kInt64{DataType::kInt64};

TEST(ReferenceArgMax, TiesPickTheLowestIndex) {
  // [[1, 5, 5], [7, 2, 7]]
  auto in = Make<float>({2, 3}, {1, 5, 5, 7, 2, 7});
  for (int32_t a : {1, -1}) {
    auto axis = Make<int32_t>({}, {a});
    auto rows = Output<int32_t>({2});
    ASSERT_EQ(Message(ArgMax(kInt32, in.view(), axis.view(), rows.view())), "ok");
    EXPECT_EQ(rows.data, (std::vector<int32_t>{1, 0})) << a;
  }
  auto axis0 = Make<int64_t>({1}, {0});
  auto cols = Output<int64_t>({3});
  ASSERT_EQ(Message(ArgMax(kInt64, in.view(), axis0.view(), cols.view())), "ok");
  EXPECT_EQ(cols.data, (std::vector<int64_t>{1, 0, 1}));
  // Ties along an inner axis: [[3, 1], [3, 2], [3, 2]] over axis 0.
  auto tied = Make<int32_t>({3, 2}, {3, 1, 3, 2, 3, 2});
  auto first = Output<int32_t>({2});
  ASSERT_EQ(Message(ArgMax(kInt32, tied.view(), axis0.view(), first.view())), "ok");
  EXPECT_EQ(first.data, (std::vector<int32_t>{0, 1}));
}

TEST(ReferenceArgMax, QuantizedComparesStoredValues) {
  // DeepLab: [1, H, W, 21] uint8 over the last axis, int64 out; here [1, 1, 2, 3].
  auto u8 = MakeQ<uint8_t>({1, 1, 2, 3}, {3, 200, 199, 255, 255, 0}, 0.19f, 34);
  auto axis = Make<int32_t>({}, {3});
  auto classes = Output<int64_t>({1, 1, 2});
  ASSERT_EQ(Message(ArgMax(kInt64, u8.view(), axis.view(), classes.view())), "ok");
  EXPECT_EQ(classes.data, (std::vector<int64_t>{1, 0}));
  // MoveNet: [1, 2304, 1] int8 over axis 1 -> [1, 1]; negatives compare as signed.
  auto s8 = MakeQ<int8_t>({1, 4, 1}, {-128, -3, -7, -3}, 0.002f, -128);
  auto axis1 = Make<int32_t>({}, {1});
  auto where = Output<int32_t>({1, 1});
  ASSERT_EQ(Message(ArgMax(kInt32, s8.view(), axis1.view(), where.view())), "ok");
  EXPECT_EQ(where.data, (std::vector<int32_t>{1}));
}

TEST(ReferenceArgMax, Errors) {
  auto in = Make<float>({2, 3}, {1, 5, 5, 7, 2, 7});
  auto axis = Make<int32_t>({}, {1});
  auto out32 = Output<int32_t>({2});
  EXPECT_EQ(Message(ArgMax(kInt64, in.view(), axis.view(), out32.view())),
            "ARG_MAX: output: int32, the options ask for int64 (int32 or int64)");
  auto far = Make<int32_t>({}, {2});
  EXPECT_EQ(Message(ArgMax(kInt32, in.view(), far.view(), out32.view())),
            "ARG_MAX: axis 2 is outside [-2, 1]");
  auto wrong = Output<int32_t>({3});
  EXPECT_EQ(Message(ArgMax(kInt32, in.view(), axis.view(), wrong.view())),
            "ARG_MAX: output: shape [3], expected [2]");
  auto empty = Make<float>({2, 0}, {});
  EXPECT_EQ(Message(ArgMax(kInt32, empty.view(), axis.view(), out32.view())),
            "ARG_MAX: axis 1 is empty in [2, 0]");
}

}  // namespace
}  // namespace coralpi::reference
