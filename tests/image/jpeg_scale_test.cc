// DecodeOptions::min_width/min_height: JPEGs decode at the smallest DCT scale (1/2, 1/4, 1/8)
// that still covers the requested size; other formats keep their size.
#include <gtest/gtest.h>

#include "image/image.h"
#include "test_images.h"

namespace coralpi::testing {
namespace {

std::vector<uint8_t> Grey64Jpeg() {
  std::vector<uint8_t> rgb(64 * 48 * 3, 120);
  return EncodeJpeg(64, 48, 3, rgb, 95);
}

Image Decode(const std::vector<uint8_t>& bytes, const char* name, int min_w, int min_h) {
  DecodeOptions opt;
  opt.min_width = min_w;
  opt.min_height = min_h;
  auto img = DecodeImage(bytes, name, opt);
  EXPECT_TRUE(img.ok()) << img.error().message;
  return img.ok() ? *img : Image{};
}

TEST(JpegScaleTest, PicksTheSmallestScaleThatCoversTheRequest) {
  auto jpeg = Grey64Jpeg();
  Image full = Decode(jpeg, "a.jpg", 0, 0);
  EXPECT_EQ(full.width, 64);
  Image eighth = Decode(jpeg, "a.jpg", 8, 6);  // 64/8 = 8, 48/8 = 6
  EXPECT_EQ(eighth.width, 8);
  EXPECT_EQ(eighth.height, 6);
  Image quarter = Decode(jpeg, "a.jpg", 9, 6);  // 8 < 9: 1/4 gives 16 x 12
  EXPECT_EQ(quarter.width, 16);
  EXPECT_EQ(quarter.height, 12);
  Image half = Decode(jpeg, "a.jpg", 20, 13);  // 1/4 gives 12 < 13: 1/2 gives 32 x 24
  EXPECT_EQ(half.width, 32);
  EXPECT_EQ(half.height, 24);
  Image none = Decode(jpeg, "a.jpg", 40, 30);  // 1/2 gives 24 < 30: full size
  EXPECT_EQ(none.width, 64);
  // A flat grey image stays flat at any scale.
  EXPECT_NEAR(quarter.rgb[0], 120, 2);
}

TEST(JpegScaleTest, OtherFormatsIgnoreTheHint) {
  std::vector<uint8_t> rgb(64 * 48 * 3, 7);
  Image png = Decode(EncodePng(64, 48, 2, 8, rgb), "a.png", 8, 6);
  EXPECT_EQ(png.width, 64);
  EXPECT_EQ(png.height, 48);
}

}  // namespace
}  // namespace coralpi::testing
