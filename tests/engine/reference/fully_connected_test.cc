// FULLY_CONNECTED reference kernel on cases small enough to work out by hand.
#include <gtest/gtest.h>

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

TEST(ReferenceFullyConnected, FloatTwoRowsWithRelu) {
  auto in = Make<float>({2, 3}, {1, 2, 3, 0, -1, 1});
  auto w = Make<float>({2, 3}, {1, 0, 1, 2, 1, 0});
  auto bias = Make<float>({2}, {0.5f, -1.0f});
  auto bv = bias.view();
  // Row 0: [1 + 3 + 0.5, 2 + 2 - 1] = [4.5, 3]; row 1: [0 + 1 + 0.5, 0 - 1 - 1] = [1.5, -2].
  auto out = Output<float>({2, 2});
  ASSERT_TRUE(FullyConnected({}, in.view(), w.view(), &bv, out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{4.5f, 3.0f, 1.5f, -2.0f}));
  FullyConnectedOptions relu;
  relu.activation = Activation::kRelu;
  ASSERT_TRUE(FullyConnected(relu, in.view(), w.view(), &bv, out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{4.5f, 3.0f, 1.5f, 0.0f}));
}

TEST(ReferenceFullyConnected, Uint8WithWeightZeroPoint) {
  // x - 5 = [-2, 0, 2, 4]; w - 128 = [2, 1, 0, -1]; acc = -4 - 4 + 100 = 92.
  auto in = MakeQ<uint8_t>({1, 4}, {3, 5, 7, 9}, 0.5f, 5);
  auto w = MakeQ<uint8_t>({1, 4}, {130, 129, 128, 127}, 0.5f, 128);
  auto bias = Make<int32_t>({1}, {100});
  auto bv = bias.view();
  // scale 0.25: 23, + zp 100.
  auto out = Output<uint8_t>({1, 1}, 1.0f, 100);
  ASSERT_TRUE(FullyConnected({}, in.view(), w.view(), &bv, out.view()).ok());
  EXPECT_EQ(out.data[0], 123);
}

TEST(ReferenceFullyConnected, FlattensAndKeepsDims) {
  auto in = Make<float>({2, 1, 2}, {1, 2, 3, 4});
  auto w = Make<float>({1, 2}, {1, 1});
  auto flat = Output<float>({2, 1});
  ASSERT_TRUE(FullyConnected({}, in.view(), w.view(), nullptr, flat.view()).ok());
  EXPECT_EQ(flat.data, (std::vector<float>{3, 7}));
  FullyConnectedOptions keep;
  keep.keep_num_dims = true;
  auto kept = Output<float>({2, 1, 1});
  ASSERT_TRUE(FullyConnected(keep, in.view(), w.view(), nullptr, kept.view()).ok());
  EXPECT_EQ(kept.data, (std::vector<float>{3, 7}));
  // A 4-D input [1, 1, 1, 4] flattens to one row of 4.
  auto in4 = Make<float>({1, 1, 1, 4}, {1, 2, 3, 4});
  auto w4 = Make<float>({1, 4}, {1, 1, 1, 1});
  auto out4 = Output<float>({1, 1});
  ASSERT_TRUE(FullyConnected({}, in4.view(), w4.view(), nullptr, out4.view()).ok());
  EXPECT_EQ(out4.data[0], 10.0f);
}

TEST(ReferenceFullyConnected, Int8PerChannelWeights) {
  // x - x_zp = [3 + 1, -1 + 1] = [4, 0].
  auto in = MakeQ<int8_t>({1, 2}, {3, -1}, 1.0f, -1);
  auto w = MakePerChannel<int8_t>({2, 2}, {2, 9, -3, 5}, {0.5f, 0.25f}, 0);
  // acc = [8, -12]; * [0.5, 0.25] = [4, -3].
  auto out = Output<int8_t>({1, 2}, 1.0f, 0);
  ASSERT_TRUE(FullyConnected({}, in.view(), w.view(), nullptr, out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{4, -3}));
}

TEST(ReferenceFullyConnected, Errors) {
  auto in = Make<float>({1, 3}, {1, 2, 3});
  auto w = Make<float>({2, 2}, {1, 1, 1, 1});
  auto out = Output<float>({1, 2});
  // An input of 3 elements does not split into rows of 2.
  Status s = FullyConnected({}, in.view(), w.view(), nullptr, out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("FULLY_CONNECTED"), std::string::npos) << Message(s);
  // Output of the wrong size.
  auto in2 = Make<float>({1, 2}, {1, 2});
  auto out3 = Output<float>({1, 3});
  EXPECT_FALSE(FullyConnected({}, in2.view(), w.view(), nullptr, out3.view()).ok());
  // Wrong per-channel scale count.
  auto qin = MakeQ<int8_t>({1, 2}, {3, -1}, 1.0f, -1);
  auto qw = MakePerChannel<int8_t>({2, 2}, {2, 9, -3, 5}, {0.5f, 0.25f, 1.0f}, 0);
  auto qout = Output<int8_t>({1, 2}, 1.0f, 0);
  EXPECT_FALSE(FullyConnected({}, qin.view(), qw.view(), nullptr, qout.view()).ok());
  // Weights not 2-D.
  auto w3 = Make<float>({1, 2, 1}, {1, 1});
  EXPECT_FALSE(FullyConnected({}, in2.view(), w3.view(), nullptr, out.view()).ok());
}

}  // namespace
}  // namespace coralpi::reference
