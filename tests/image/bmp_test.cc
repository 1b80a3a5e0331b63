// BMP decoding: generated files with hand-computed pixels, and malformed headers.
#include <gtest/gtest.h>

#include "image/image.h"
#include "test_images.h"

namespace coralpi {
namespace {

using ::coralpi::testing::BmpSpec;
using ::coralpi::testing::EncodeBmp;
using ::coralpi::testing::PutU32;

using Bytes = std::vector<uint8_t>;

Bytes Px(const Image& im, int x, int y) {
  size_t i = 3 * (static_cast<size_t>(y) * im.width + x);
  return {im.rgb[i], im.rgb[i + 1], im.rgb[i + 2]};
}

void ExpectError(const Result<Image>& r, const std::string& name, const std::string& reason) {
  ASSERT_FALSE(r.ok()) << "decoded " << name << " without error";
  EXPECT_NE(r.error().message.find(name), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find(reason), std::string::npos) << r.error().message;
}

// 3x2, 24-bit. Rows (top first), stored BGR: red green blue / white black (1,2,3).
BmpSpec Spec24(bool top_down) {
  BmpSpec s;
  s.width = 3;
  s.height = 2;
  s.top_down = top_down;
  s.rows = {{0, 0, 255, 0, 255, 0, 255, 0, 0}, {255, 255, 255, 0, 0, 0, 3, 2, 1}};
  return s;
}

void Expect24(const Image& im) {
  ASSERT_EQ(im.width, 3);
  ASSERT_EQ(im.height, 2);
  EXPECT_EQ(Px(im, 0, 0), (Bytes{255, 0, 0}));
  EXPECT_EQ(Px(im, 1, 0), (Bytes{0, 255, 0}));
  EXPECT_EQ(Px(im, 2, 0), (Bytes{0, 0, 255}));
  EXPECT_EQ(Px(im, 0, 1), (Bytes{255, 255, 255}));
  EXPECT_EQ(Px(im, 1, 1), (Bytes{0, 0, 0}));
  EXPECT_EQ(Px(im, 2, 1), (Bytes{1, 2, 3}));
}

TEST(BmpTest, BottomUp24) {
  Bytes file = EncodeBmp(Spec24(false));
  // Hand check of the writer: the first stored row is the bottom one (white first, BGR).
  ASSERT_EQ(file[54], 255);
  ASSERT_EQ(file[54 + 3 * 3 + 3 + 0], 0);  // 9 bytes of pixels, 3 of padding, then red's B
  auto r = DecodeImage(file, "up.bmp");
  ASSERT_TRUE(r.ok()) << r.error().message;
  Expect24(*r);
}

TEST(BmpTest, TopDown24) {
  auto r = DecodeImage(EncodeBmp(Spec24(true)), "down.bmp");
  ASSERT_TRUE(r.ok()) << r.error().message;
  Expect24(*r);
}

TEST(BmpTest, Plain32IgnoresAlpha) {
  BmpSpec s;
  s.width = 2;
  s.height = 1;
  s.bpp = 32;
  s.rows = {{30, 20, 10, 0, 3, 2, 1, 255}};  // BGRA
  auto r = DecodeImage(EncodeBmp(s), "a.bmp");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (Bytes{10, 20, 30, 1, 2, 3}));
}

TEST(BmpTest, Bitfields32) {
  // Masks put red in the low byte, green next, blue next: bytes are R, G, B, X.
  BmpSpec s;
  s.width = 1;
  s.height = 1;
  s.bpp = 32;
  s.compression = 3;
  s.masks = {0x000000ff, 0x0000ff00, 0x00ff0000};
  s.rows = {{11, 22, 33, 44}};
  auto r = DecodeImage(EncodeBmp(s), "bf.bmp");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (Bytes{11, 22, 33}));
}

TEST(BmpTest, Bitfields16Rgb565) {
  // 0xF800 red (5 bits), 0x07E0 green (6 bits), 0x001F blue (5 bits).
  // Pixel 0x8410: red 0b10000 = 16 -> 16*255/31 = 131.6 -> 132; green 0b100000 = 32
  // -> 32*255/63 = 129.5 -> 130 (rounded half up: (32*255+31)/63 = 130); blue 0b10000 -> 132.
  BmpSpec s;
  s.width = 2;
  s.height = 1;
  s.bpp = 16;
  s.compression = 3;
  s.masks = {0xf800, 0x07e0, 0x001f};
  s.rows = {{0x10, 0x84, 0xff, 0xff}};
  auto r = DecodeImage(EncodeBmp(s), "565.bmp");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (Bytes{132, 130, 132, 255, 255, 255}));
}

TEST(BmpTest, Default16Is555) {
  BmpSpec s;
  s.width = 1;
  s.height = 1;
  s.bpp = 16;
  s.rows = {{0x00, 0x7c}};  // 0x7C00: red all ones
  auto r = DecodeImage(EncodeBmp(s), "555.bmp");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (Bytes{255, 0, 0}));
}

TEST(BmpTest, Palette8) {
  BmpSpec s;
  s.width = 3;
  s.height = 2;
  s.bpp = 8;
  s.palette = {/*0*/ 0, 0, 0, /*1*/ 30, 20, 10, /*2*/ 255, 128, 0};  // BGR
  s.rows = {{2, 1, 0}, {1, 1, 2}};
  auto r = DecodeImage(EncodeBmp(s), "pal.bmp");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(Px(*r, 0, 0), (Bytes{0, 128, 255}));
  EXPECT_EQ(Px(*r, 1, 0), (Bytes{10, 20, 30}));
  EXPECT_EQ(Px(*r, 2, 0), (Bytes{0, 0, 0}));
  EXPECT_EQ(Px(*r, 2, 1), (Bytes{0, 128, 255}));
}

TEST(BmpTest, Palette8IndexBeyondPaletteIsBlack) {
  BmpSpec s;
  s.width = 2;
  s.height = 1;
  s.bpp = 8;
  s.palette = {1, 2, 3};
  s.rows = {{0, 200}};
  auto r = DecodeImage(EncodeBmp(s), "pal.bmp");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (Bytes{3, 2, 1, 0, 0, 0}));
}

TEST(BmpTest, Palette1And4Bit) {
  BmpSpec s;
  s.width = 10;
  s.height = 1;
  s.bpp = 1;
  s.palette = {0, 0, 0, 255, 255, 255};
  s.rows = {{0b10100000, 0b01000000}};  // pixels 0, 2 and 9 are white
  auto r = DecodeImage(EncodeBmp(s), "one.bmp");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(Px(*r, 0, 0), (Bytes{255, 255, 255}));
  EXPECT_EQ(Px(*r, 1, 0), (Bytes{0, 0, 0}));
  EXPECT_EQ(Px(*r, 2, 0), (Bytes{255, 255, 255}));
  EXPECT_EQ(Px(*r, 8, 0), (Bytes{0, 0, 0}));
  EXPECT_EQ(Px(*r, 9, 0), (Bytes{255, 255, 255}));

  s.width = 3;
  s.bpp = 4;
  s.palette = {0, 0, 0, 1, 1, 1, 2, 2, 2};
  s.rows = {{0x21, 0x00}};
  r = DecodeImage(EncodeBmp(s), "four.bmp");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (Bytes{2, 2, 2, 1, 1, 1, 0, 0, 0}));
}

TEST(BmpTest, V5HeaderWithBitfields) {
  // A 124-byte header: masks live inside it, at the same place as after a 40-byte header.
  Bytes f(14 + 124 + 4, 0);
  f[0] = 'B';
  f[1] = 'M';
  PutU32(f, 2, static_cast<uint32_t>(f.size()));
  PutU32(f, 10, 14 + 124);
  PutU32(f, 14, 124);
  PutU32(f, 18, 1);            // width
  PutU32(f, 22, 1);            // height
  f[26] = 1;                   // planes
  f[28] = 32;                  // bpp
  PutU32(f, 30, 3);            // BI_BITFIELDS
  PutU32(f, 54, 0xff000000);   // red in the top byte
  PutU32(f, 58, 0x00ff0000);   // green
  PutU32(f, 62, 0x0000ff00);   // blue
  PutU32(f, 138, 0x11223300);  // pixel
  auto r = DecodeImage(f, "v5.bmp");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->rgb, (Bytes{0x11, 0x22, 0x33}));
}

TEST(BmpTest, PixelOffsetPastTheEnd) {
  Bytes f = EncodeBmp(Spec24(false));
  PutU32(f, 10, static_cast<uint32_t>(f.size() + 10));
  ExpectError(DecodeImage(f, "off.bmp"), "off.bmp", "runs past the end of the file");
  PutU32(f, 10, 0xffffffffu);
  ExpectError(DecodeImage(f, "off.bmp"), "off.bmp", "runs past the end of the file");
}

TEST(BmpTest, SizePastTheEnd) {
  Bytes f = EncodeBmp(Spec24(false));
  PutU32(f, 22, 3);  // three rows claimed, two stored
  ExpectError(DecodeImage(f, "tall.bmp"), "tall.bmp", "runs past the end of the file");
  f = EncodeBmp(Spec24(false));
  PutU32(f, 18, 0x7fffffff);  // huge width
  ExpectError(DecodeImage(f, "wide.bmp"), "wide.bmp", "pixels");
  f = EncodeBmp(Spec24(false));
  f.pop_back();  // last row's padding missing
  ExpectError(DecodeImage(f, "short.bmp"), "short.bmp", "runs past the end of the file");
}

TEST(BmpTest, PalettePastTheEnd) {
  BmpSpec s;
  s.width = 1;
  s.height = 1;
  s.bpp = 8;
  s.palette = {1, 2, 3};
  s.rows = {{0}};
  Bytes f = EncodeBmp(s);
  PutU32(f, 46, 256);  // claims 256 colours
  ExpectError(DecodeImage(f, "pal.bmp"), "pal.bmp", "palette");
}

TEST(BmpTest, HeaderPastTheEnd) {
  Bytes f = EncodeBmp(Spec24(false));
  f.resize(30);
  ExpectError(DecodeImage(f, "h.bmp"), "h.bmp", "header");
  f = EncodeBmp(Spec24(false));
  PutU32(f, 14, 0x7fffffff);
  ExpectError(DecodeImage(f, "h.bmp"), "h.bmp", "header");
  ExpectError(DecodeImage(Bytes{'B', 'M', 0, 0}, "tiny.bmp"), "tiny.bmp", "too short");
}

TEST(BmpTest, RleIsRefusedClearly) {
  BmpSpec s = Spec24(false);
  s.bpp = 8;
  s.compression = 1;
  s.palette = {0, 0, 0};
  s.rows = {{}, {}};
  ExpectError(DecodeImage(EncodeBmp(s), "rle.bmp"), "rle.bmp", "RLE-compressed BMP");
}

TEST(BmpTest, OddDepthsAndMasksAreRefused) {
  Bytes f = EncodeBmp(Spec24(false));
  f[28] = 2;
  ExpectError(DecodeImage(f, "d.bmp"), "d.bmp", "2 bits per pixel");
  BmpSpec s;
  s.width = 1;
  s.height = 1;
  s.bpp = 32;
  s.compression = 3;
  s.masks = {0x0f0f, 0xff0000, 0xff};
  s.rows = {{0, 0, 0, 0}};
  ExpectError(DecodeImage(EncodeBmp(s), "m.bmp"), "m.bmp", "mask");
}

TEST(BmpTest, ZeroAndNegativeSizes) {
  Bytes f = EncodeBmp(Spec24(false));
  PutU32(f, 18, 0);
  ExpectError(DecodeImage(f, "z.bmp"), "z.bmp", "empty size");
  f = EncodeBmp(Spec24(false));
  PutU32(f, 22, 0x80000000u);  // INT32_MIN rows, top-down
  ExpectError(DecodeImage(f, "n.bmp"), "n.bmp", "pixels");
}

}  // namespace
}  // namespace coralpi
