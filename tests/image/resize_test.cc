// Bilinear resize: hand-computed values, identity, centre crop, and bad sizes.
#include "image/resize.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>

namespace coralpi {
namespace {

using Bytes = std::vector<uint8_t>;

Image Make(int w, int h, Bytes rgb) { return Image{w, h, std::move(rgb)}; }

// A w x h image whose red channel is the column, green the row, blue constant.
Image Coordinates(int w, int h) {
  Image im{w, h, Bytes(static_cast<size_t>(w) * h * 3)};
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      size_t i = 3 * (static_cast<size_t>(y) * w + x);
      im.rgb[i] = static_cast<uint8_t>(x);
      im.rgb[i + 1] = static_cast<uint8_t>(y);
      im.rgb[i + 2] = 77;
    }
  return im;
}

TEST(ResizeTest, IdentityKeepsPixels) {
  Image in = Coordinates(7, 5);
  std::mt19937 rng(1);
  for (auto& v : in.rgb) v = static_cast<uint8_t>(rng());
  for (ResizeMode mode : {ResizeMode::kStretch, ResizeMode::kCenterCrop}) {
    auto r = Resize(in, 7, 5, mode);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(*r, in);
  }
}

TEST(ResizeTest, StretchTwoByOneToFourByOne) {
  // Half-pixel centres: output x samples (x + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25,
  // clamped to [0, 1]: weights of the right pixel 0, 1/4, 3/4, 1.
  // Red 0 -> 200: 0, 50, 150, 200. Green 100 -> 20: 100, 80, 40, 20. Blue 9 -> 9.
  // The input must be at least 2x2, so the row is repeated.
  Image in = Make(2, 2, {0, 100, 9, 200, 20, 9, 0, 100, 9, 200, 20, 9});
  auto r = Resize(in, 4, 2, ResizeMode::kStretch);
  ASSERT_TRUE(r.ok()) << r.error().message;
  Bytes row = {0, 100, 9, 50, 80, 9, 150, 40, 9, 200, 20, 9};
  Bytes want = row;
  want.insert(want.end(), row.begin(), row.end());
  EXPECT_EQ(r->rgb, want);
}

TEST(ResizeTest, StretchDownByTwoAveragesPairs) {
  // 4 -> 2: output x samples (x + 0.5) * 2 - 0.5 = 0.5 and 2.5: the mean of each pair.
  Image in = Make(4, 2, {10, 10, 10, 20, 20, 20, 100, 100, 100, 201, 201, 201,
                         10, 10, 10, 20, 20, 20, 100, 100, 100, 201, 201, 201});
  auto r = Resize(in, 2, 1, ResizeMode::kStretch);
  ASSERT_TRUE(r.ok()) << r.error().message;
  // (10 + 20) / 2 = 15; (100 + 201) / 2 = 150.5, rounded half up to 151.
  EXPECT_EQ(r->rgb, (Bytes{15, 15, 15, 151, 151, 151}));
}

TEST(ResizeTest, VerticalInterpolation) {
  // 2x3 column of greens 0, 60, 240 -> 2x2: rows sample 3/2*(y+0.5)-0.5 = 0.25 and 1.75:
  // 0*0.75 + 60*0.25 = 15 and 60*0.25 + 240*0.75 = 195.
  Image in = Make(2, 3, {0, 0, 0, 0, 0, 0, 0, 60, 0, 0, 60, 0, 0, 240, 0, 0, 240, 0});
  auto r = Resize(in, 2, 2, ResizeMode::kStretch);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (Bytes{0, 15, 0, 0, 15, 0, 0, 195, 0, 0, 195, 0}));
}

TEST(ResizeTest, CenterCropOfWideImageKeepsTheMiddle) {
  // 8x2 to 2x2: the centred 2x2 crop is columns 3 and 4, copied as they are.
  Image in = Coordinates(8, 2);
  auto r = Resize(in, 2, 2, ResizeMode::kCenterCrop);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (Bytes{3, 0, 77, 4, 0, 77, 3, 1, 77, 4, 1, 77}));
  // Stretching the same image samples the whole width instead: x = 4*(x+0.5)-0.5 = 1.5, 5.5.
  r = Resize(in, 2, 2, ResizeMode::kStretch);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb[0], 2);  // 1.5 rounds half up
  EXPECT_EQ(r->rgb[3], 6);
}

TEST(ResizeTest, CenterCropOfTallImageKeepsTheMiddle) {
  // 2x10 to 2x2: the crop is rows 4 and 5.
  Image in = Coordinates(2, 10);
  auto r = Resize(in, 2, 2, ResizeMode::kCenterCrop);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (Bytes{0, 4, 77, 1, 4, 77, 0, 5, 77, 1, 5, 77}));
}

TEST(ResizeTest, LinearGradientStaysLinear) {
  // Red = column in a 101-wide image; resized to 51 wide, output x samples 2x + 0.5 - 0.5...
  // exactly (x + 0.5) * 101/51 - 0.5, so red must be within 1 of that.
  Image in = Coordinates(101, 4);
  auto r = Resize(in, 51, 4, ResizeMode::kStretch);
  ASSERT_TRUE(r.ok()) << r.error().message;
  for (int x = 0; x < 51; ++x) {
    double want = (x + 0.5) * 101.0 / 51.0 - 0.5;
    EXPECT_NEAR(r->rgb[3 * x], want, 1.0) << "x=" << x;
  }
}

TEST(ResizeTest, TooSmallIsAnError) {
  auto r = Resize(Make(1, 1, {1, 2, 3}), 224, 224, ResizeMode::kStretch);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "image is 1x1 pixels; at least 2x2 is needed");
  EXPECT_EQ(r.error().kind, ErrorKind::kBadArgument);  // exit code 2, ValueError in Python
  r = Resize(Make(5, 1, Bytes(15)), 224, 224, ResizeMode::kCenterCrop);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("5x1"), std::string::npos);
}

TEST(ResizeTest, BadSizesAreErrors) {
  Image in = Coordinates(4, 4);
  EXPECT_FALSE(Resize(in, 0, 4, ResizeMode::kStretch).ok());
  EXPECT_FALSE(Resize(in, 4, -1, ResizeMode::kStretch).ok());
  EXPECT_FALSE(Resize(in, 100000, 100000, ResizeMode::kStretch).ok());
  in.rgb.pop_back();
  EXPECT_FALSE(Resize(in, 2, 2, ResizeMode::kStretch).ok());
}

TEST(ResizeTest, ExtremeCropsStayInBounds) {
  for (auto [w, h, ow, oh] : {std::array{2, 1000, 1000, 2}, std::array{1000, 2, 2, 1000},
                              std::array{3, 3, 1, 1}, std::array{2, 2, 999, 1}}) {
    Image in = Coordinates(w, h);
    for (ResizeMode mode : {ResizeMode::kCenterCrop, ResizeMode::kLetterbox}) {
      auto r = Resize(in, ow, oh, mode);
      ASSERT_TRUE(r.ok()) << r.error().message;
      EXPECT_EQ(r->rgb.size(), static_cast<size_t>(ow) * oh * 3);
    }
  }
}

TEST(ResizeTest, PlacementOfEachMode) {
  // 400x200 into 100x100: stretch uses all of both; the crop is the middle 200x200; the
  // letterbox puts the whole image on rows 25..74 (100 * 200 / 400 = 50 rows, centred).
  EXPECT_EQ(PlaceImage(400, 200, 100, 100, ResizeMode::kStretch),
            (Placement{{0, 0, 400, 200}, {0, 0, 100, 100}}));
  EXPECT_EQ(PlaceImage(400, 200, 100, 100, ResizeMode::kCenterCrop),
            (Placement{{100, 0, 200, 200}, {0, 0, 100, 100}}));
  EXPECT_EQ(PlaceImage(400, 200, 100, 100, ResizeMode::kLetterbox),
            (Placement{{0, 0, 400, 200}, {0, 25, 100, 50}}));
  // Tall: 30x90 into 60x60 is 20 columns wide, at 20..39.
  EXPECT_EQ(PlaceImage(30, 90, 60, 60, ResizeMode::kLetterbox),
            (Placement{{0, 0, 30, 90}, {20, 0, 20, 60}}));
  // Same aspect ratio: the letterbox fills the target.
  EXPECT_EQ(PlaceImage(50, 25, 10, 5, ResizeMode::kLetterbox),
            (Placement{{0, 0, 50, 25}, {0, 0, 10, 5}}));
  // A sliver keeps at least one row.
  EXPECT_EQ(PlaceImage(1000, 2, 100, 100, ResizeMode::kLetterbox).target, (Rect{0, 49, 100, 1}));
}

TEST(ResizeTest, LetterboxPadsWithBlackAroundTheScaledImage) {
  // A 4x2 image of one colour into 4x4: rows 1 and 2 hold it, rows 0 and 3 are black.
  Image in = Make(4, 2, Bytes(4 * 2 * 3, 200));
  auto r = Resize(in, 4, 4, ResizeMode::kLetterbox);
  ASSERT_TRUE(r.ok()) << r.error().message;
  Bytes black(4 * 3, 0), grey(4 * 3, 200);
  Bytes want = black;
  for (const Bytes* row : {&grey, &grey, &black}) want.insert(want.end(), row->begin(), row->end());
  EXPECT_EQ(r->rgb, want);
}

// Reports the time of a 720p resize (speed is never asserted in a test: sanitizer and coverage
// builds run it several times slower); checks the repeated results.
TEST(ResizeTest, Hd720To224ReportsItsTime) {
  Image in = Coordinates(1280, 720);
  auto r = Resize(in, 224, 224, ResizeMode::kStretch);  // warm-up
  ASSERT_TRUE(r.ok());
  const int runs = 50;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < runs; ++i) r = Resize(in, 224, 224, ResizeMode::kCenterCrop);
  double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() /
      runs;
  RecordProperty("ms_per_resize", std::to_string(ms));
  std::printf("1280x720 -> 224x224: %.3f ms\n", ms);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->width, 224);
  EXPECT_EQ(r->height, 224);
}

}  // namespace
}  // namespace coralpi
