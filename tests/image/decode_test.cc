// Decoding generated PNG, JPEG and raw files with known pixels, and bad input of every kind.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <random>

#include "image/image.h"
#include "test_images.h"

namespace coralpi {
namespace {

using ::coralpi::testing::EncodeJpeg;
using ::coralpi::testing::EncodePng;

std::vector<uint8_t> Px(const Image& im, int x, int y) {
  size_t i = 3 * (static_cast<size_t>(y) * im.width + x);
  return {im.rgb[i], im.rgb[i + 1], im.rgb[i + 2]};
}

bool Contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

// Expects an error whose message names `name` and contains `reason`.
void ExpectError(const Result<Image>& r, const std::string& name, const std::string& reason) {
  ASSERT_FALSE(r.ok()) << "decoded " << name << " without error";
  EXPECT_TRUE(Contains(r.error().message, name)) << r.error().message;
  EXPECT_TRUE(Contains(r.error().message, reason)) << r.error().message;
}

// ---- PNG ----

TEST(PngTest, Rgb8) {
  // 2x2: red, green / blue, (10, 20, 30)
  std::vector<uint8_t> s = {255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 20, 30};
  auto r = DecodeImage(EncodePng(2, 2, 2, 8, s), "a.png");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->width, 2);
  EXPECT_EQ(r->height, 2);
  EXPECT_EQ(r->rgb, s);
}

TEST(PngTest, Rgb16KeepsHighByte) {
  // One pixel with samples 0x1234, 0xabcd, 0xff00 in host order.
  std::vector<uint16_t> s16 = {0x1234, 0xabcd, 0xff00};
  std::vector<uint8_t> s(reinterpret_cast<uint8_t*>(s16.data()),
                         reinterpret_cast<uint8_t*>(s16.data()) + 6);
  auto r = DecodeImage(EncodePng(1, 1, 2, 16, s), "a.png");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (std::vector<uint8_t>{0x12, 0xab, 0xff}));
}

TEST(PngTest, GreyBecomesRgb) {
  std::vector<uint8_t> s = {0, 77, 200, 255};
  auto r = DecodeImage(EncodePng(4, 1, 0, 8, s), "g.png");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (std::vector<uint8_t>{0, 0, 0, 77, 77, 77, 200, 200, 200, 255, 255, 255}));
}

TEST(PngTest, Grey16BecomesRgb) {
  std::vector<uint16_t> s16 = {0x8001, 0x00ff};
  std::vector<uint8_t> s(reinterpret_cast<uint8_t*>(s16.data()),
                         reinterpret_cast<uint8_t*>(s16.data()) + 4);
  auto r = DecodeImage(EncodePng(2, 1, 0, 16, s), "g.png");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (std::vector<uint8_t>{0x80, 0x80, 0x80, 0, 0, 0}));
}

TEST(PngTest, GreyAlphaDropsAlpha) {
  std::vector<uint8_t> s = {50, 0, 150, 128};
  auto r = DecodeImage(EncodePng(2, 1, 4, 8, s), "ga.png");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (std::vector<uint8_t>{50, 50, 50, 150, 150, 150}));
}

TEST(PngTest, RgbaDropsAlphaWithoutCompositing) {
  std::vector<uint8_t> s = {200, 100, 50, 0, 1, 2, 3, 255};
  auto r = DecodeImage(EncodePng(2, 1, 6, 8, s), "rgba.png");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (std::vector<uint8_t>{200, 100, 50, 1, 2, 3}));
}

TEST(PngTest, Rgba16DropsAlpha) {
  std::vector<uint16_t> s16 = {0xff00, 0x7f00, 0x0100, 0x0000};
  std::vector<uint8_t> s(reinterpret_cast<uint8_t*>(s16.data()),
                         reinterpret_cast<uint8_t*>(s16.data()) + 8);
  auto r = DecodeImage(EncodePng(1, 1, 6, 16, s), "rgba16.png");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (std::vector<uint8_t>{0xff, 0x7f, 0x01}));
}

TEST(PngTest, PaletteIsExpanded) {
  std::vector<uint8_t> palette = {10, 20, 30, 200, 100, 0, 7, 8, 9};
  std::vector<uint8_t> s = {2, 0, 1, 1};  // 8-bit indices, 2x2
  auto r = DecodeImage(EncodePng(2, 2, 3, 8, s, palette), "p.png");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(Px(*r, 0, 0), (std::vector<uint8_t>{7, 8, 9}));
  EXPECT_EQ(Px(*r, 1, 0), (std::vector<uint8_t>{10, 20, 30}));
  EXPECT_EQ(Px(*r, 0, 1), (std::vector<uint8_t>{200, 100, 0}));
  EXPECT_EQ(Px(*r, 1, 1), (std::vector<uint8_t>{200, 100, 0}));
}

TEST(PngTest, Palette4BitIsExpanded) {
  std::vector<uint8_t> palette = {1, 2, 3, 4, 5, 6};
  std::vector<uint8_t> s = {0x10};  // indices 1, 0 in the high then low nibble
  auto r = DecodeImage(EncodePng(2, 1, 3, 4, s, palette), "p.png");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (std::vector<uint8_t>{4, 5, 6, 1, 2, 3}));
}

TEST(PngTest, TruncatedIsAnError) {
  std::vector<uint8_t> s(64 * 64 * 3);
  std::mt19937 rng(1);
  for (auto& v : s) v = static_cast<uint8_t>(rng());
  auto png = EncodePng(64, 64, 2, 8, s);
  png.resize(png.size() / 2);
  ExpectError(DecodeImage(png, "cut.png"), "cut.png", "PNG");
}

TEST(PngTest, CorruptCrcIsAnError) {
  std::vector<uint8_t> s(8 * 8 * 3, 9);
  auto png = EncodePng(8, 8, 2, 8, s);
  png[30] ^= 0x01;  // IHDR checksum (8 signature + 4 length + 4 type + 13 data bytes)
  ExpectError(DecodeImage(png, "crc.png"), "crc.png", "PNG");
}

TEST(PngTest, TooManyPixelsIsRefusedBeforeDecoding) {
  std::vector<uint8_t> s(100 * 100 * 3, 1);
  auto png = EncodePng(100, 100, 2, 8, s);
  DecodeOptions opt;
  opt.max_pixels = 9999;
  ExpectError(DecodeImage(png, "big.png", opt), "big.png", "100x100");
}

// ---- JPEG ----

void ExpectNear(const std::vector<uint8_t>& got, const std::vector<uint8_t>& want, int tol) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_NEAR(got[i], want[i], tol) << "channel " << i;
  }
}

TEST(JpegTest, SolidColour) {
  const int w = 16, h = 8;
  std::vector<uint8_t> s;
  for (int i = 0; i < w * h; ++i) s.insert(s.end(), {200, 40, 90});
  auto r = DecodeImage(EncodeJpeg(w, h, 3, s), "solid.jpg");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->width, w);
  ASSERT_EQ(r->height, h);
  ExpectNear(Px(*r, 0, 0), {200, 40, 90}, 2);
  ExpectNear(Px(*r, 15, 7), {200, 40, 90}, 2);
}

TEST(JpegTest, LeftAndRightHalves) {
  // 16x8: left 8 columns black, right 8 white; block-aligned, so no ringing across blocks.
  const int w = 16, h = 8;
  std::vector<uint8_t> s;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      uint8_t v = x < 8 ? 0 : 255;
      s.insert(s.end(), {v, v, v});
    }
  auto r = DecodeImage(EncodeJpeg(w, h, 3, s), "halves.jpeg");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ExpectNear(Px(*r, 2, 3), {0, 0, 0}, 2);
  ExpectNear(Px(*r, 13, 3), {255, 255, 255}, 2);
}

TEST(JpegTest, GreyBecomesRgb) {
  std::vector<uint8_t> s(8 * 8, 123);
  auto r = DecodeImage(EncodeJpeg(8, 8, 1, s), "grey.jpg");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ExpectNear(Px(*r, 4, 4), {123, 123, 123}, 1);
  EXPECT_EQ(r->rgb.size(), 8u * 8 * 3);
}

TEST(JpegTest, AdobeCmykBecomesRgb) {
  // Adobe CMYK stores inverted ink: (C, M, Y, K) = (255, 0, 255, 255) is magenta.
  std::vector<uint8_t> s;
  for (int i = 0; i < 64; ++i) s.insert(s.end(), {255, 0, 255, 255});
  auto r = DecodeImage(EncodeJpeg(8, 8, 4, s), "cmyk.jpg");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ExpectNear(Px(*r, 3, 3), {255, 0, 255}, 2);
}

TEST(JpegTest, Progressive) {
  std::vector<uint8_t> s;
  for (int i = 0; i < 32 * 32; ++i) s.insert(s.end(), {30, 160, 220});
  auto r = DecodeImage(EncodeJpeg(32, 32, 3, s, 100, true), "prog.jpg");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ExpectNear(Px(*r, 31, 31), {30, 160, 220}, 2);
}

std::vector<uint8_t> NoisyJpeg(bool progressive = false) {
  std::vector<uint8_t> s(64 * 64 * 3);
  std::mt19937 rng(2);
  for (auto& v : s) v = static_cast<uint8_t>(rng());
  return EncodeJpeg(64, 64, 3, s, 90, progressive);
}

TEST(JpegTest, TruncatedIsAnError) {
  auto jpeg = NoisyJpeg();
  for (size_t keep : {jpeg.size() / 2, jpeg.size() - 2, size_t{200}, size_t{4}}) {
    std::vector<uint8_t> cut(jpeg.begin(), jpeg.begin() + keep);
    ExpectError(DecodeImage(cut, "cut.jpg"), "cut.jpg", "JPEG");
  }
}

TEST(JpegTest, TruncatedProgressiveIsAnError) {
  auto jpeg = NoisyJpeg(true);
  jpeg.resize(jpeg.size() * 2 / 3);
  ExpectError(DecodeImage(jpeg, "cut.jpg"), "cut.jpg", "JPEG");
}

TEST(JpegTest, CorruptedBytesNeverCrash) {
  auto jpeg = NoisyJpeg();
  std::mt19937 rng(3);
  for (int trial = 0; trial < 200; ++trial) {
    auto bad = jpeg;
    for (int k = 0; k < 4; ++k) bad[rng() % bad.size()] = static_cast<uint8_t>(rng());
    auto r = DecodeImage(bad, "bad.jpg");
    if (!r.ok()) {
      EXPECT_TRUE(Contains(r.error().message, "bad.jpg")) << r.error().message;
    } else {
      EXPECT_EQ(r->rgb.size(), static_cast<size_t>(r->width) * r->height * 3);
    }
  }
}

// ---- raw RGB ----

TEST(RawTest, SquareSizeIsInferred) {
  std::vector<uint8_t> s(3 * 5 * 5);
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<uint8_t>(i);
  auto r = DecodeImage(s, "x.rgb");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->width, 5);
  EXPECT_EQ(r->height, 5);
  EXPECT_EQ(Px(*r, 1, 1), (std::vector<uint8_t>{18, 19, 20}));
}

TEST(RawTest, GivenSize) {
  std::vector<uint8_t> s(3 * 4 * 2, 7);
  DecodeOptions opt;
  opt.raw_width = 4;
  opt.raw_height = 2;
  auto r = DecodeImage(s, "x.RGB", opt);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->width, 4);
  EXPECT_EQ(r->height, 2);
}

TEST(RawTest, UnknownSizeIsAnError) {
  std::vector<uint8_t> s(3 * 4 * 2, 7);
  ExpectError(DecodeImage(s, "x.rgb"), "x.rgb", "width and height are needed");
}

TEST(RawTest, WrongGivenSizeIsAnError) {
  std::vector<uint8_t> s(3 * 4 * 2, 7);
  DecodeOptions opt;
  opt.raw_width = 5;
  opt.raw_height = 2;
  ExpectError(DecodeImage(s, "x.rgb", opt), "x.rgb", "needs 30 bytes");
}

TEST(RawTest, RawBytesThatLookLikeAJpegStillDecodeAsRaw) {
  std::vector<uint8_t> s(3 * 2 * 2, 0);
  s[0] = 0xff;
  s[1] = 0xd8;
  s[2] = 0xff;
  auto r = DecodeImage(s, "x.rgb");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(Px(*r, 0, 0), (std::vector<uint8_t>{0xff, 0xd8, 0xff}));
}

// ---- format and name ----

TEST(FormatTest, DetectsByContent) {
  std::vector<uint8_t> s(12, 1);
  EXPECT_EQ(DetectImageFormat(EncodePng(2, 2, 2, 8, s)), ImageFormat::kPng);
  EXPECT_EQ(DetectImageFormat(EncodeJpeg(2, 2, 3, s)), ImageFormat::kJpeg);
  EXPECT_EQ(DetectImageFormat(std::vector<uint8_t>{'B', 'M', 0}), ImageFormat::kBmp);
  EXPECT_EQ(DetectImageFormat(std::vector<uint8_t>{1, 2, 3}), ImageFormat::kUnknown);
  EXPECT_EQ(ImageFormatFromName("dir.png/photo.JPEG"), ImageFormat::kJpeg);
  EXPECT_EQ(ImageFormatFromName("dir.png/photo"), ImageFormat::kUnknown);
  EXPECT_EQ(ImageFormatFromName("a.bmp"), ImageFormat::kBmp);
  EXPECT_EQ(ImageFormatFromName("a.rgb"), ImageFormat::kRawRgb);
}

TEST(FormatTest, PngRenamedJpgIsAnErrorSayingSo) {
  std::vector<uint8_t> s(12, 1);
  auto r = DecodeImage(EncodePng(2, 2, 2, 8, s), "x.jpg");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "x.jpg: content is a PNG image but the name says JPEG");
}

TEST(FormatTest, JpegRenamedBmpIsAnError) {
  std::vector<uint8_t> s(12, 1);
  ExpectError(DecodeImage(EncodeJpeg(2, 2, 3, s), "x.bmp"), "x.bmp",
              "content is a JPEG image but the name says BMP");
}

TEST(FormatTest, UnknownExtensionWithKnownContentIsFine) {
  std::vector<uint8_t> s(12, 1);
  auto r = DecodeImage(EncodePng(2, 2, 2, 8, s), "picture.dat");
  ASSERT_TRUE(r.ok()) << r.error().message;
  r = DecodeImage(EncodePng(2, 2, 2, 8, s), "picture");
  ASSERT_TRUE(r.ok()) << r.error().message;
}

TEST(FormatTest, PngRenamedRgbIsAnError) {
  std::vector<uint8_t> s(3 * 7, 1);
  ExpectError(DecodeImage(EncodePng(7, 1, 2, 8, s), "x.rgb"), "x.rgb",
              "content is a PNG image but the name says raw RGB");
}

// ---- bad input ----

TEST(BadInputTest, EmptyBytes) {
  ExpectError(DecodeImage(std::vector<uint8_t>{}, "empty.png"), "empty.png", "empty");
}

TEST(BadInputTest, RandomBytes) {
  std::vector<uint8_t> s(1000);
  std::mt19937 rng(4);
  for (auto& v : s) v = static_cast<uint8_t>(rng());
  s[0] = 0x00;  // never a magic
  ExpectError(DecodeImage(s, "noise.bin"), "noise.bin", "not a JPEG, PNG or BMP image");
  ExpectError(DecodeImage(s, "noise.png"), "noise.png", "the name says PNG");
}

TEST(BadInputTest, RandomBytesAfterEachMagicNeverCrash) {
  std::mt19937 rng(5);
  const std::vector<std::vector<uint8_t>> magics = {
      {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, {0xff, 0xd8, 0xff}, {'B', 'M'}};
  for (const auto& magic : magics) {
    for (int trial = 0; trial < 300; ++trial) {
      std::vector<uint8_t> s = magic;
      size_t n = rng() % 200;
      for (size_t i = 0; i < n; ++i) s.push_back(static_cast<uint8_t>(rng()));
      auto r = DecodeImage(s, "r.img");
      if (!r.ok()) {
        EXPECT_TRUE(Contains(r.error().message, "r.img")) << r.error().message;
      }
    }
  }
}

TEST(FileTest, ReadsAFileAndNamesItInErrors) {
  std::string dir = testing::MakeTempDir();
  std::vector<uint8_t> s = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  testing::WriteBytes(dir + "/ok.png", EncodePng(2, 2, 2, 8, s));
  auto r = ReadImageFile(dir + "/ok.png");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, s);

  testing::WriteBytes(dir + "/empty.jpg", {});
  ExpectError(ReadImageFile(dir + "/empty.jpg"), dir + "/empty.jpg", "empty");
  ExpectError(ReadImageFile(dir + "/missing.jpg"), dir + "/missing.jpg", "No such file");
  ::mkdir((dir + "/sub.png").c_str(), 0700);
  ExpectError(ReadImageFile(dir + "/sub.png"), dir + "/sub.png", "directory");
  testing::WriteBytes(dir + "/renamed.jpg", EncodePng(2, 2, 2, 8, s));
  ExpectError(ReadImageFile(dir + "/renamed.jpg"), dir + "/renamed.jpg",
              "content is a PNG image but the name says JPEG");
}

}  // namespace
}  // namespace coralpi
