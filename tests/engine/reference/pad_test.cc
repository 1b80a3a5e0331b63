// PAD and PADV2 reference kernel.
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

TEST(ReferencePad, ZerosAroundTheInput) {
  // [[1, 2], [3, 4]] with one row before and two columns after.
  auto in = Make<float>({2, 2}, {1, 2, 3, 4});
  auto paddings = Make<int32_t>({2, 2}, {1, 0, 0, 2});
  auto out = Output<float>({3, 4});
  ASSERT_EQ(Message(Pad(in.view(), paddings.view(), nullptr, out.view())), "ok");
  EXPECT_EQ(out.data, (std::vector<float>{0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0}));
}

TEST(ReferencePad, QuantizedPadsWithTheZeroPoint) {
  auto u8 = MakeQ<uint8_t>({1, 1, 2, 1}, {200, 201}, 0.1f, 7);
  auto paddings = Make<int64_t>({4, 2}, {0, 0, 1, 1, 0, 1, 0, 0});
  auto u8out = Output<uint8_t>({1, 3, 3, 1}, 0.1f, 7);
  ASSERT_EQ(Message(Pad(u8.view(), paddings.view(), nullptr, u8out.view())), "ok");
  EXPECT_EQ(Ints(u8out.data), (std::vector<int32_t>{7, 7, 7, 200, 201, 7, 7, 7, 7}));
  auto s8 = MakeQ<int8_t>({2}, {1, 2}, 0.1f, -5);
  auto p1 = Make<int32_t>({1, 2}, {2, 1});
  auto s8out = Output<int8_t>({5}, 0.1f, -5);
  ASSERT_EQ(Message(Pad(s8.view(), p1.view(), nullptr, s8out.view())), "ok");
  EXPECT_EQ(Ints(s8out.data), (std::vector<int32_t>{-5, -5, 1, 2, -5}));
}

TEST(ReferencePad, PadV2UsesItsConstant) {
  auto in = Make<float>({2}, {1, 2});
  auto paddings = Make<int32_t>({1, 2}, {1, 2});
  auto value = Make<float>({}, {-9.5f});
  auto out = Output<float>({5});
  TensorView v = value.view();
  ASSERT_EQ(Message(Pad(in.view(), paddings.view(), &v, out.view())), "ok");
  EXPECT_EQ(out.data, (std::vector<float>{-9.5f, 1, 2, -9.5f, -9.5f}));
  auto q = MakeQ<uint8_t>({1}, {50}, 0.5f, 3);
  auto qvalue = MakeQ<uint8_t>({1}, {9}, 0.5f, 3);
  auto qout = Output<uint8_t>({4}, 0.5f, 3);
  TensorView qv = qvalue.view();
  ASSERT_EQ(Message(Pad(q.view(), paddings.view(), &qv, qout.view())), "ok");
  EXPECT_EQ(Ints(qout.data), (std::vector<int32_t>{9, 50, 9, 9}));
}

TEST(ReferencePad, Errors) {
  auto in = Make<float>({2}, {1, 2});
  auto out = Output<float>({3});
  auto negative = Make<int32_t>({1, 2}, {-1, 2});
  EXPECT_EQ(Message(Pad(in.view(), negative.view(), nullptr, out.view())),
            "PAD: paddings: axis 0 has padding -1, must be >= 0");
  auto flat = Make<int32_t>({2}, {1, 0});
  EXPECT_EQ(Message(Pad(in.view(), flat.view(), nullptr, out.view())),
            "PAD: paddings: shape [2], expected [1, 2]");
  auto ok = Make<int32_t>({1, 2}, {1, 1});
  EXPECT_EQ(Message(Pad(in.view(), ok.view(), nullptr, out.view())),
            "PAD: output: shape [3], expected [4]");
  auto two = Make<float>({2}, {0, 0});
  auto out4 = Output<float>({4});
  TensorView v = two.view();
  EXPECT_EQ(Message(Pad(in.view(), ok.view(), &v, out4.view())),
            "PAD: constant: expected one value, got shape [2]");
  auto q = MakeQ<uint8_t>({2}, {1, 2}, 0.5f, 3);
  auto qout = Output<uint8_t>({4}, 0.5f, 3);
  auto other = MakeQ<uint8_t>({1}, {9}, 0.25f, 3);
  TensorView ov = other.view();
  EXPECT_EQ(Message(Pad(q.view(), ok.view(), &ov, qout.view())),
            "PAD: constant: quantized as scale 0.25 zero point 3, expected scale 0.5 zero point 3");
}

}  // namespace
}  // namespace coralpi::reference
