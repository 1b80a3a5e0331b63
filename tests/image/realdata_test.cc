// Decoding the real images in ../shared/testdata/images; each test skips when its file is absent.
// Expected sizes come from the files' headers (`file`, `xxd`), not from this decoder.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "image/image.h"
#include "image/resize.h"

namespace coralpi {
namespace {

using Bytes = std::vector<uint8_t>;

std::string ImagePath(const std::string& file) {
  return std::string(CORALPI_TESTDATA_DIR) + "/images/" + file;
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

#define SKIP_IF_MISSING(path) \
  if (!Exists(path)) GTEST_SKIP() << "test data missing " << (path)

Bytes Px(const Image& im, int x, int y) {
  size_t i = 3 * (static_cast<size_t>(y) * im.width + x);
  return {im.rgb[i], im.rgb[i + 1], im.rgb[i + 2]};
}

struct SizeCase {
  const char* file;
  int width;
  int height;
};

class RealImageSizeTest : public ::testing::TestWithParam<SizeCase> {};

TEST_P(RealImageSizeTest, DecodesWithTheHeadersSize) {
  const SizeCase& c = GetParam();
  std::string path = ImagePath(c.file);
  SKIP_IF_MISSING(path);
  auto r = ReadImageFile(path);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->width, c.width);
  EXPECT_EQ(r->height, c.height);
  EXPECT_EQ(r->rgb.size(), static_cast<size_t>(c.width) * c.height * 3);
}

// Sizes from `file`: parrot.jpg "512x929"; cat.bmp "512 x 341"; grace_hopper.bmp "512 x 600";
// rgb6X4.bmp "4 x 6"; sunflower.rgb is 150528 = 3 * 224 * 224 bytes (README: 224x224).
INSTANTIATE_TEST_SUITE_P(
    Images, RealImageSizeTest,
    ::testing::Values(SizeCase{"parrot.jpg", 512, 929}, SizeCase{"cat.bmp", 512, 341},
                      SizeCase{"grace_hopper.bmp", 512, 600}, SizeCase{"rgb6X4.bmp", 4, 6},
                      SizeCase{"sunflower.rgb", 224, 224}, SizeCase{"cat_720p.jpg", 1280, 720},
                      SizeCase{"pets.jpg", 512, 430}, SizeCase{"squat.bmp", 500, 610},
                      SizeCase{"bird_segmentation_mask.bmp", 513, 513}),
    [](const auto& info) {
      std::string n = info.param.file;
      for (char& ch : n)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

TEST(RealImageTest, Rgb6x4PixelsMatchTheFileBytes) {
  // `xxd -s 54 -c 12 rgb6X4.bmp`: 24-bit, bottom-up, 12 bytes per row, no padding.
  //   stored rows 0-2 (image rows 5, 4, 3): 000000 000000 ffffff ffffff
  //   stored rows 3-5 (image rows 2, 1, 0): ff00ff ff00ff 00ff00 00ff00 (BGR)
  std::string path = ImagePath("rgb6X4.bmp");
  SKIP_IF_MISSING(path);
  auto r = ReadImageFile(path);
  ASSERT_TRUE(r.ok()) << r.error().message;
  for (int y : {0, 1, 2}) {
    EXPECT_EQ(Px(*r, 0, y), (Bytes{255, 0, 255})) << "y=" << y;
    EXPECT_EQ(Px(*r, 1, y), (Bytes{255, 0, 255})) << "y=" << y;
    EXPECT_EQ(Px(*r, 2, y), (Bytes{0, 255, 0})) << "y=" << y;
    EXPECT_EQ(Px(*r, 3, y), (Bytes{0, 255, 0})) << "y=" << y;
  }
  for (int y : {3, 4, 5}) {
    EXPECT_EQ(Px(*r, 0, y), (Bytes{0, 0, 0})) << "y=" << y;
    EXPECT_EQ(Px(*r, 3, y), (Bytes{255, 255, 255})) << "y=" << y;
  }
}

TEST(RealImageTest, SunflowerRawFirstPixels) {
  // `xxd -l 6 sunflower.rgb`: a0 9c 3e 91 95 51.
  std::string path = ImagePath("sunflower.rgb");
  SKIP_IF_MISSING(path);
  auto r = ReadImageFile(path);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(Px(*r, 0, 0), (Bytes{0xa0, 0x9c, 0x3e}));
  EXPECT_EQ(Px(*r, 1, 0), (Bytes{0x91, 0x95, 0x51}));
}

TEST(RealImageTest, MaskPaletteIsGrey) {
  // bird_segmentation_mask.bmp: 8-bit, palette entry i is (i, i, i) (`xxd -s 54`).
  std::string path = ImagePath("bird_segmentation_mask.bmp");
  SKIP_IF_MISSING(path);
  auto r = ReadImageFile(path);
  ASSERT_TRUE(r.ok()) << r.error().message;
  for (size_t i = 0; i < r->rgb.size(); i += 3) {
    ASSERT_EQ(r->rgb[i], r->rgb[i + 1]);
    ASSERT_EQ(r->rgb[i], r->rgb[i + 2]);
  }
}

TEST(RealImageTest, CatBmpFirstStoredPixelIsBottomLeft) {
  // `xxd -s 138 -l 3 cat.bmp`: 39 36 8b, BGR of the bottom-left pixel (bottom-up file).
  std::string path = ImagePath("cat.bmp");
  SKIP_IF_MISSING(path);
  auto r = ReadImageFile(path);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(Px(*r, 0, r->height - 1), (Bytes{0x8b, 0x36, 0x39}));
}

TEST(RealImageTest, ResizeCat720pTo224) {
  std::string path = ImagePath("cat_720p.jpg");
  SKIP_IF_MISSING(path);
  auto r = ReadImageFile(path);
  ASSERT_TRUE(r.ok()) << r.error().message;
  for (ResizeMode mode : {ResizeMode::kStretch, ResizeMode::kCenterCrop}) {
    auto small = Resize(*r, 224, 224, mode);
    ASSERT_TRUE(small.ok()) << small.error().message;
    EXPECT_EQ(small->rgb.size(), 224u * 224 * 3);
  }
}

TEST(RealImageTest, TruncatedParrotIsAnError) {
  std::string path = ImagePath("parrot.jpg");
  SKIP_IF_MISSING(path);
  auto full = ReadImageFile(path);
  ASSERT_TRUE(full.ok()) << full.error().message;
  FILE* f = std::fopen(path.c_str(), "rb");
  ASSERT_NE(f, nullptr);
  Bytes bytes(300000);
  size_t n = std::fread(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  bytes.resize(n);
  auto r = DecodeImage(bytes, "parrot.jpg");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("parrot.jpg"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace coralpi
