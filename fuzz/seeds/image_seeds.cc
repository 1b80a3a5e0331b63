// Seeds for fuzz_image: tiny images in every format and variant the decoders handle (baseline,
// progressive, grey and CMYK JPEG; grey, RGB, palette, alpha and 16-bit PNG; 8/24/32-bit and
// bitfield BMP, bottom-up and top-down; raw RGB), encoded with the same helpers as the image
// tests. The first byte of a fuzz_image input picks the file name the rest is decoded under.
#include <algorithm>
#include <cstdint>
#include <string>

#include "image/test_images.h"
#include "seeds.h"

namespace coralpi::fuzz {
namespace {

using coralpi::testing::BmpSpec;

// Indices into fuzz_image.cc's kNames: "fuzz", "fuzz.jpg", "fuzz.png", "fuzz.bmp", "fuzz.rgb".
enum Selector : uint8_t { kNoExtension = 0, kJpg = 1, kPng = 2, kBmp = 3, kRgb = 4 };

Seed Prefixed(std::string name, Selector selector, const std::vector<uint8_t>& bytes) {
  // Sized up front: GCC 12 reports a false -Warray-bounds on vector::insert here.
  Seed s{std::move(name), std::vector<uint8_t>(bytes.size() + 1, selector)};
  std::copy(bytes.begin(), bytes.end(), s.bytes.begin() + 1);
  return s;
}

// A deterministic gradient of n bytes.
std::vector<uint8_t> Ramp(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 37 + 11);
  return v;
}

void AddJpegs(std::vector<Seed>& out) {
  out.push_back(Prefixed("rgb8x8.jpg", kJpg, coralpi::testing::EncodeJpeg(8, 8, 3, Ramp(192))));
  out.push_back(
      Prefixed("grey16x8.jpg", kJpg, coralpi::testing::EncodeJpeg(16, 8, 1, Ramp(128), 75)));
  out.push_back(Prefixed("cmyk8x8.jpg", kJpg, coralpi::testing::EncodeJpeg(8, 8, 4, Ramp(256))));
  out.push_back(Prefixed("progressive9x7.jpg", kJpg,
                         coralpi::testing::EncodeJpeg(9, 7, 3, Ramp(189), 90, true)));
  out.push_back(
      Prefixed("sniffed.jpg", kNoExtension, coralpi::testing::EncodeJpeg(4, 4, 3, Ramp(48))));
}

void AddPngs(std::vector<Seed>& out) {
  out.push_back(Prefixed("rgb4x4.png", kPng, coralpi::testing::EncodePng(4, 4, 2, 8, Ramp(48))));
  out.push_back(Prefixed("grey3x2.png", kPng, coralpi::testing::EncodePng(3, 2, 0, 8, Ramp(6))));
  out.push_back(
      Prefixed("grey16_2x2.png", kPng, coralpi::testing::EncodePng(2, 2, 0, 16, Ramp(8))));
  out.push_back(Prefixed("palette4x2.png", kPng,
                         coralpi::testing::EncodePng(4, 2, 3, 8, {0, 1, 2, 3, 3, 2, 1, 0},
                                                     {255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9})));
  out.push_back(
      Prefixed("grey_alpha2x2.png", kPng, coralpi::testing::EncodePng(2, 2, 4, 8, Ramp(8))));
  out.push_back(Prefixed("rgba3x3.png", kPng, coralpi::testing::EncodePng(3, 3, 6, 8, Ramp(36))));
  out.push_back(
      Prefixed("sniffed.png", kNoExtension, coralpi::testing::EncodePng(1, 1, 2, 8, Ramp(3))));
}

void AddBmps(std::vector<Seed>& out) {
  BmpSpec rgb{3, 2, 24, false, 0, {}, {}, {Ramp(9), Ramp(9)}};
  out.push_back(Prefixed("bgr3x2.bmp", kBmp, coralpi::testing::EncodeBmp(rgb)));
  BmpSpec bgra{2, 2, 32, true, 0, {}, {}, {Ramp(8), Ramp(8)}};
  out.push_back(Prefixed("bgra2x2_top_down.bmp", kBmp, coralpi::testing::EncodeBmp(bgra)));
  BmpSpec masks{2, 1, 32, false, 3, {0x00ff0000, 0x0000ff00, 0x000000ff}, {}, {Ramp(8)}};
  out.push_back(Prefixed("bitfields2x1.bmp", kBmp, coralpi::testing::EncodeBmp(masks)));
  BmpSpec palette{
      5, 2, 8, false, 0, {}, {0, 0, 255, 0, 255, 0}, {{0, 1, 1, 0, 1}, {1, 0, 0, 1, 0}}};
  out.push_back(Prefixed("palette5x2.bmp", kBmp, coralpi::testing::EncodeBmp(palette)));
  out.push_back(Prefixed("sniffed.bmp", kNoExtension, coralpi::testing::EncodeBmp(rgb)));
}

// Small files of testdata/images, under the name their extension asks for.
void AddTestdata(std::vector<Seed>& out, const std::string& testdata) {
  if (testdata.empty()) return;
  for (Seed& s : SmallFiles(testdata + "/images", 16 * 1024)) {
    auto ends = [&](const char* ext) {
      return s.name.size() > 4 && s.name.compare(s.name.size() - 4, 4, ext) == 0;
    };
    Selector sel = ends(".jpg") ? kJpg : ends(".png") ? kPng : ends(".bmp") ? kBmp : kRgb;
    out.push_back(Prefixed(s.name, sel, s.bytes));
  }
}

}  // namespace

std::vector<Seed> ImageSeeds(const std::string& testdata) {
  std::vector<Seed> out;
  AddJpegs(out);
  AddPngs(out);
  AddBmps(out);
  out.push_back(Prefixed("raw4x4.rgb", kRgb, Ramp(48)));
  AddTestdata(out, testdata);
  return out;
}

}  // namespace coralpi::fuzz
