// RESIZE_BILINEAR reference kernel: each coordinate mode (TFLite's legacy default, align_corners,
// half_pixel_centers) on sizes small enough to work out by hand, and the 11-bit fixed-point
// weights and rounding of the quantized types (XNNPACK's).
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

ResizeOptions Mode(bool align_corners, bool half_pixel_centers) {
  return ResizeOptions{align_corners, half_pixel_centers};
}
const ResizeOptions kLegacy = Mode(false, false);
const ResizeOptions kAlign = Mode(true, false);
const ResizeOptions kHalfPixel = Mode(false, true);

TEST(ReferenceResizeBilinear, LegacyModeSamplesAtOutputTimesScale) {
  // Width 2 -> 4: scale 0.5, sources 0, 0.5, 1, 1.5 (the last clamps its right neighbour).
  auto in = Make<float>({1, 1, 2, 1}, {0, 100});
  auto out = Output<float>({1, 1, 4, 1});
  ASSERT_TRUE(ResizeBilinear(kLegacy, in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{0, 50, 100, 100}));
}

TEST(ReferenceResizeBilinear, AlignCornersMapsCornerToCorner) {
  // Width 3 -> 5: scale (3 - 1) / (5 - 1) = 0.5.
  auto in = Make<float>({1, 1, 3, 1}, {0, 30, 60});
  auto out = Output<float>({1, 1, 5, 1});
  ASSERT_TRUE(ResizeBilinear(kAlign, in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{0, 15, 30, 45, 60}));
}

TEST(ReferenceResizeBilinear, HalfPixelCentersClampAtTheBorders) {
  // Width 2 -> 4: scale 0.5, sources 0.5 * o - 0.25 = -0.25 (clamped to 0), 0.25, 0.75, 1.25
  // (clamped to 1).
  auto in = Make<float>({1, 1, 2, 1}, {0, 100});
  auto out = Output<float>({1, 1, 4, 1});
  ASSERT_TRUE(ResizeBilinear(kHalfPixel, in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{0, 25, 75, 100}));
}

TEST(ReferenceResizeBilinear, OddDownscaleLegacy) {
  // Width 3 -> 2: scale 1.5, sources 0 and 1.5.
  auto in = Make<float>({1, 1, 3, 2}, {1, 10, 3, 20, 5, 40});
  auto out = Output<float>({1, 1, 2, 2});
  ASSERT_TRUE(ResizeBilinear(kLegacy, in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{1, 10, 4, 30}));
}

TEST(ReferenceResizeBilinear, Uint8TwoDimensionsHalfPixel) {
  // 2x2 -> 3x3 with half pixel centres: sources -1/6 (clamped to 0), 1/2, 7/6 (clamped to 1) on
  // both axes. The centre averages all four values; halves round up.
  auto in = MakeQ<uint8_t>({1, 2, 2, 1}, {0, 10, 20, 30}, 0.1f, 3);
  auto out = Output<uint8_t>({1, 3, 3, 1}, 0.1f, 3);
  ASSERT_TRUE(ResizeBilinear(kHalfPixel, in.view(), out.view()).ok());
  EXPECT_EQ(Ints(out.data), (std::vector<int32_t>{0, 5, 10, 10, 15, 20, 20, 25, 30}));
}

TEST(ReferenceResizeBilinear, QuantizedHalvesRoundTowardPositiveInfinity) {
  // (0 + 255) / 2 = 127.5 -> 128 in uint8; (-128 + 127) / 2 = -0.5 -> 0 in int8.
  auto u8 = MakeQ<uint8_t>({1, 1, 2, 1}, {0, 255}, 1.0f, 0);
  auto u8_out = Output<uint8_t>({1, 1, 4, 1}, 1.0f, 0);
  ASSERT_TRUE(ResizeBilinear(kLegacy, u8.view(), u8_out.view()).ok());
  EXPECT_EQ(Ints(u8_out.data), (std::vector<int32_t>{0, 128, 255, 255}));
  auto s8 = MakeQ<int8_t>({1, 1, 2, 1}, {-128, 127}, 1.0f, 0);
  auto s8_out = Output<int8_t>({1, 1, 4, 1}, 1.0f, 0);
  ASSERT_TRUE(ResizeBilinear(kLegacy, s8.view(), s8_out.view()).ok());
  EXPECT_EQ(Ints(s8_out.data), (std::vector<int32_t>{-128, 0, 127, 127}));
}

TEST(ReferenceResizeBilinear, QuantizedWeightsAreElevenBitFixedPoint) {
  // Width 2 -> 5 with half pixel centres: scale 0.4, output 1 samples at 0.4 - 0.3 = 0.1 (float
  // 0.099999994). Its weight is lrintf(0.1 * 2048) = 205, so 255 * 205 / 2048 = 25.52 rounds to
  // 26, where 255 * 0.1 = 25.49 would round to 25.
  auto in = MakeQ<uint8_t>({1, 1, 2, 1}, {0, 255}, 1.0f, 0);
  auto out = Output<uint8_t>({1, 1, 5, 1}, 1.0f, 0);
  ASSERT_TRUE(ResizeBilinear(kHalfPixel, in.view(), out.view()).ok());
  EXPECT_EQ(out.data[1], 26);
  // Output 2 samples at 0.5: 127.5 -> 128; output 4 at 1.3 clamps to 1: 255.
  EXPECT_EQ(out.data[2], 128);
  EXPECT_EQ(out.data[4], 255);
}

TEST(ReferenceResizeBilinear, BatchesAndChannelsStayApart) {
  auto in = Make<float>({2, 1, 2, 2}, {0, 1, 10, 2, 100, 3, 200, 4});
  auto out = Output<float>({2, 1, 3, 2});
  ASSERT_TRUE(ResizeBilinear(kAlign, in.view(), out.view()).ok());
  EXPECT_EQ(out.data, (std::vector<float>{0, 1, 5, 1.5f, 10, 2, 100, 3, 150, 3.5f, 200, 4}));
}

TEST(ReferenceResizeBilinear, Errors) {
  auto in = MakeQ<uint8_t>({1, 1, 2, 1}, {0, 255}, 1.0f, 0);
  auto other_scale = Output<uint8_t>({1, 1, 4, 1}, 0.5f, 0);
  Status s = ResizeBilinear(kLegacy, in.view(), other_scale.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("RESIZE_BILINEAR"), std::string::npos) << Message(s);
  auto out = Output<uint8_t>({1, 1, 4, 1}, 1.0f, 0);
  EXPECT_FALSE(ResizeBilinear(Mode(true, true), in.view(), out.view()).ok());
  auto other_channels = Output<uint8_t>({1, 1, 4, 2}, 1.0f, 0);
  EXPECT_FALSE(ResizeBilinear(kLegacy, in.view(), other_channels.view()).ok());
}

}  // namespace
}  // namespace coralpi::reference
