// Test helpers: write PNG, JPEG and BMP files with known pixels, using the encoders of the
// same libraries (libspng, libjpeg) and a hand-written BMP writer, so decoding can be checked
// against values computed by hand.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace coralpi::testing {

// A fresh empty directory under /tmp, removed with its contents when the program exits.
std::string MakeTempDir();
void WriteBytes(const std::string& path, const std::vector<uint8_t>& bytes);

// PNG of the given colour type (spng_color_type values: 0 grey, 2 RGB, 3 palette, 4 grey+alpha,
// 6 RGBA) and bit depth. `samples` are packed as the PNG stores them (16-bit samples in host
// order); `palette` is RGB triples for colour type 3.
std::vector<uint8_t> EncodePng(int width, int height, int color_type, int bit_depth,
                               const std::vector<uint8_t>& samples,
                               const std::vector<uint8_t>& palette = {});

// JPEG at the given quality; `components` is 1 (grey), 3 (RGB) or 4 (Adobe CMYK).
std::vector<uint8_t> EncodeJpeg(int width, int height, int components,
                                const std::vector<uint8_t>& samples, int quality = 100,
                                bool progressive = false);

// BMP with a 40-byte BITMAPINFOHEADER. `rows` are the stored pixel rows, top row first,
// without padding (BGR for 24-bit, BGRA for 32-bit, indices for 8-bit); the writer pads them
// and stores them bottom-up unless `top_down`. `palette` is BGR triples (written as BGRX).
struct BmpSpec {
  int width = 0;
  int height = 0;
  int bpp = 24;
  bool top_down = false;
  uint32_t compression = 0;
  std::vector<uint32_t> masks;  // written after the header for compression 3
  std::vector<uint8_t> palette;
  std::vector<std::vector<uint8_t>> rows;
};
std::vector<uint8_t> EncodeBmp(const BmpSpec& spec);

// A little-endian 32-bit value stored at `offset`.
void PutU32(std::vector<uint8_t>& bytes, size_t offset, uint32_t value);

}  // namespace coralpi::testing
