// PNG and JPEG writing: what is written decodes to the same pixels (PNG exactly, JPEG within a
// tolerance), writes are atomic, and unwritable paths are clear errors that leave no file.
#include "image/encode.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <random>

#include "image/image.h"
#include "test_images.h"

namespace coralpi {
namespace {

// Smooth gradients and waves, the kind of content JPEG keeps well.
Image Pattern(int w, int h) {
  Image im{w, h, std::vector<uint8_t>(static_cast<size_t>(w) * h * 3)};
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint8_t* p = &im.rgb[3 * (static_cast<size_t>(y) * w + x)];
      p[0] = static_cast<uint8_t>(x * 255 / (w - 1));
      p[1] = static_cast<uint8_t>(y * 255 / (h - 1));
      p[2] = static_cast<uint8_t>(128 + 100 * std::sin(x / 5.0) * std::cos(y / 7.0));
    }
  return im;
}

std::vector<std::string> Entries(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return names;
  while (dirent* e = ::readdir(d)) {
    std::string n = e->d_name;
    if (n != "." && n != "..") names.push_back(n);
  }
  ::closedir(d);
  return names;
}

TEST(EncodeTest, PngRoundTripIsExact) {
  std::mt19937 rng(3);
  Image im{37, 11, std::vector<uint8_t>(37 * 11 * 3)};
  for (auto& v : im.rgb) v = static_cast<uint8_t>(rng());
  auto png = EncodeAsPng(im);
  ASSERT_TRUE(png.ok()) << png.error().message;
  auto back = DecodeImage(*png, "x.png");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*back, im);
}

TEST(EncodeTest, JpegRoundTripIsClose) {
  Image im = Pattern(96, 64);
  auto jpeg = EncodeAsJpeg(im, 95);
  ASSERT_TRUE(jpeg.ok()) << jpeg.error().message;
  auto back = DecodeImage(*jpeg, "x.jpg");
  ASSERT_TRUE(back.ok()) << back.error().message;
  ASSERT_EQ(back->width, 96);
  ASSERT_EQ(back->height, 64);
  double sum = 0;
  int worst = 0;
  for (size_t i = 0; i < im.rgb.size(); ++i) {
    int d = std::abs(int{back->rgb[i]} - int{im.rgb[i]});
    sum += d;
    worst = std::max(worst, d);
  }
  EXPECT_LT(sum / static_cast<double>(im.rgb.size()), 2.0);  // mean error in levels
  EXPECT_LE(worst, 16);
  // A lower quality gives a smaller file.
  auto small = EncodeAsJpeg(im, 30);
  ASSERT_TRUE(small.ok());
  EXPECT_LT(small->size(), jpeg->size());
}

TEST(EncodeTest, BadImagesAndQualitiesAreErrors) {
  EXPECT_FALSE(EncodeAsPng(Image{}).ok());
  EXPECT_FALSE(EncodeAsPng(Image{2, 2, std::vector<uint8_t>(11)}).ok());
  EXPECT_FALSE(EncodeAsJpeg(Pattern(8, 8), 0).ok());
  EXPECT_FALSE(EncodeAsJpeg(Pattern(8, 8), 101).ok());
}

TEST(EncodeTest, WriteImageFileChoosesTheFormatByExtension) {
  std::string dir = testing::MakeTempDir();
  Image im = Pattern(20, 20);
  ASSERT_TRUE(WriteImageFile(dir + "/a.png", im).ok());
  ASSERT_TRUE(WriteImageFile(dir + "/b.JPG", im).ok());
  auto a = ReadImageFile(dir + "/a.png");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(*a, im);
  auto b = ReadImageFile(dir + "/b.JPG");
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->width, 20);
  // Only the two files: no temporary left behind.
  EXPECT_EQ(Entries(dir).size(), 2u);
}

TEST(EncodeTest, UnknownExtensionIsAnErrorBeforeWriting) {
  std::string dir = testing::MakeTempDir();
  Status s = WriteImageFile(dir + "/out.bmp", Pattern(4, 4));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().message,
            dir + "/out.bmp: pictures are written as PNG or JPEG: name the file .png or .jpg");
  EXPECT_FALSE(OutputImageFormat(dir + "/noext").ok());
  EXPECT_TRUE(Entries(dir).empty());
}

TEST(EncodeTest, UnwritablePathIsAClearErrorAndLeavesNoFile) {
  std::string dir = testing::MakeTempDir();
  Status s = WriteImageFile(dir + "/missing/out.png", Pattern(4, 4));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find(dir + "/missing/out.png: "), std::string::npos)
      << s.error().message;
  EXPECT_NE(s.error().message.find("No such file or directory"), std::string::npos);
  if (::geteuid() != 0) {  // root writes anywhere
    ASSERT_EQ(::chmod(dir.c_str(), 0555), 0);
    s = WriteImageFile(dir + "/out.png", Pattern(4, 4));
    ASSERT_FALSE(s.ok());
    EXPECT_NE(s.error().message.find("Permission denied"), std::string::npos);
    ::chmod(dir.c_str(), 0755);
  }
  EXPECT_TRUE(Entries(dir).empty());
}

TEST(EncodeTest, ReplacingAFileIsAtomic) {
  std::string dir = testing::MakeTempDir();
  std::string path = dir + "/p.png";
  ASSERT_TRUE(WriteImageFile(path, Pattern(8, 8)).ok());
  ASSERT_TRUE(WriteImageFile(path, Pattern(16, 4)).ok());
  auto back = ReadImageFile(path);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->width, 16);
  EXPECT_EQ(Entries(dir).size(), 1u);
}

}  // namespace
}  // namespace coralpi
