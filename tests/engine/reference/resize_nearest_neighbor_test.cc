// RESIZE_NEAREST_NEIGHBOR reference kernel: TFLite's source index in each coordinate mode, on
// sizes small enough to work out by hand.
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

// Resizes the row {0, 1, ..., in - 1} (float) to `out` columns: the source index of each.
std::vector<float> Sources(ResizeOptions mode, int32_t in, int32_t out) {
  std::vector<float> v(static_cast<size_t>(in));
  for (int32_t i = 0; i < in; ++i) v[static_cast<size_t>(i)] = static_cast<float>(i);
  auto input = Make<float>({1, 1, in, 1}, v);
  auto output = Output<float>({1, 1, out, 1});
  Status s = ResizeNearestNeighbor(mode, input.view(), output.view());
  EXPECT_TRUE(s.ok()) << Message(s);
  return output.data;
}

TEST(ReferenceResizeNearestNeighbor, LegacyFloorsOutputTimesScale) {
  // 3 -> 5: scale 0.6, floor(0, 0.6, 1.2, 1.8, 2.4).
  EXPECT_EQ(Sources(Mode(false, false), 3, 5), (std::vector<float>{0, 0, 1, 1, 2}));
  // 4 -> 2: scale 2, floor(0, 2).
  EXPECT_EQ(Sources(Mode(false, false), 4, 2), (std::vector<float>{0, 2}));
}

TEST(ReferenceResizeNearestNeighbor, AlignCornersRoundsHalfAwayFromZero) {
  // 3 -> 5: scale 0.5, round(0, 0.5, 1, 1.5, 2) = 0, 1, 1, 2, 2.
  EXPECT_EQ(Sources(Mode(true, false), 3, 5), (std::vector<float>{0, 1, 1, 2, 2}));
  // One output column: the scale is in / out = 3, and column 0 reads 0.
  EXPECT_EQ(Sources(Mode(true, false), 3, 1), (std::vector<float>{0}));
}

TEST(ReferenceResizeNearestNeighbor, HalfPixelCentersOffsetByHalf) {
  // 3 -> 5: floor(0.3, 0.9, 1.5, 2.1, 2.7).
  EXPECT_EQ(Sources(Mode(false, true), 3, 5), (std::vector<float>{0, 0, 1, 2, 2}));
  // 4 -> 2: floor(1, 3).
  EXPECT_EQ(Sources(Mode(false, true), 4, 2), (std::vector<float>{1, 3}));
  // 5 -> 3 (odd both ways): scale 5/3, floor(0.83, 2.5, 4.17).
  EXPECT_EQ(Sources(Mode(false, true), 5, 3), (std::vector<float>{0, 2, 4}));
}

TEST(ReferenceResizeNearestNeighbor, Uint8LegacyModeUsesSixteenBitFixedPoint) {
  // Width 26 -> 22, output column 11. In float, 26 / 22 rounds to 1.1818181 and 11 times that
  // to 12.999999: floor 12 (int8 and float32, TFLite's reference kernel). uint8 without flags
  // runs TFLite's optimized kernel: scale (26 << 16) / 22 + 1 = 77452, (11 * 77452) >> 16 = 13.
  std::vector<uint8_t> u(26);
  std::vector<int8_t> s(26);
  for (int i = 0; i < 26; ++i) u[i] = static_cast<uint8_t>(i), s[i] = static_cast<int8_t>(i);
  auto u8 = MakeQ<uint8_t>({1, 1, 26, 1}, u, 1.0f, 0);
  auto u8_out = Output<uint8_t>({1, 1, 22, 1}, 1.0f, 0);
  ASSERT_TRUE(ResizeNearestNeighbor(Mode(false, false), u8.view(), u8_out.view()).ok());
  EXPECT_EQ(u8_out.data[11], 13);
  auto s8 = MakeQ<int8_t>({1, 1, 26, 1}, s, 1.0f, 0);
  auto s8_out = Output<int8_t>({1, 1, 22, 1}, 1.0f, 0);
  ASSERT_TRUE(ResizeNearestNeighbor(Mode(false, false), s8.view(), s8_out.view()).ok());
  EXPECT_EQ(s8_out.data[11], 12);
  // With half pixel centres uint8 takes the float rule too: floor(11.5 * 1.1818181) = 13.
  ASSERT_TRUE(ResizeNearestNeighbor(Mode(false, true), u8.view(), u8_out.view()).ok());
  EXPECT_EQ(u8_out.data[11], 13);
  EXPECT_EQ(u8_out.data[0], 0);  // floor(0.59)
}

TEST(ReferenceResizeNearestNeighbor, CopiesWholePixelsOfEachType) {
  // 2x2 -> 3x3 legacy (scale 2/3: rows and columns 0, 0, 1), two channels.
  auto u8 = MakeQ<uint8_t>({1, 2, 2, 2}, {1, 2, 3, 4, 5, 6, 7, 8}, 0.5f, 7);
  auto u8_out = Output<uint8_t>({1, 3, 3, 2}, 0.5f, 7);
  ASSERT_TRUE(ResizeNearestNeighbor(Mode(false, false), u8.view(), u8_out.view()).ok());
  EXPECT_EQ(Ints(u8_out.data),
            (std::vector<int32_t>{1, 2, 1, 2, 3, 4, 1, 2, 1, 2, 3, 4, 5, 6, 5, 6, 7, 8}));
  auto s8 = MakeQ<int8_t>({2, 1, 2, 1}, {-1, -2, -3, -4}, 0.5f, 0);
  auto s8_out = Output<int8_t>({2, 2, 1, 1}, 0.5f, 0);
  // 1x2 -> 2x1 per batch, half pixel: rows floor(0.25, 0.75) clamp to row 0, column floor(1).
  ASSERT_TRUE(ResizeNearestNeighbor(Mode(false, true), s8.view(), s8_out.view()).ok());
  EXPECT_EQ(Ints(s8_out.data), (std::vector<int32_t>{-2, -2, -4, -4}));
}

TEST(ReferenceResizeNearestNeighbor, Errors) {
  auto in = Make<float>({1, 1, 2, 1}, {0, 1});
  auto out = Output<float>({1, 1, 3, 1});
  Status s = ResizeNearestNeighbor(Mode(true, true), in.view(), out.view());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(Message(s).find("RESIZE_NEAREST_NEIGHBOR"), std::string::npos) << Message(s);
  auto empty = Output<float>({1, 0, 3, 1});
  EXPECT_FALSE(ResizeNearestNeighbor(Mode(false, false), in.view(), empty.view()).ok());
}

}  // namespace
}  // namespace coralpi::reference
