// Decoding image files (JPEG, PNG, BMP, raw RGB) into one plain 8-bit RGB image type.
//
// Every decoder works on a byte span and a name used only in messages, so tests and fuzzers
// need no files. The format is chosen by the content's magic bytes; the file's extension is
// only checked against it (a PNG renamed `.jpg` is an error that says so), except for raw RGB,
// which has no magic bytes and is recognised by the `.rgb` extension. Errors read
// "name: what", never crash, and never read outside the given bytes.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"

namespace coralpi {

// Interleaved 8-bit RGB, row-major, always 3 channels: pixel (x, y) starts at 3 * (y * width + x).
struct Image {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgb;

  bool operator==(const Image&) const = default;
};

enum class ImageFormat { kUnknown, kJpeg, kPng, kBmp, kRawRgb };

// "JPEG", "PNG", "BMP", "raw RGB" or "unknown".
const char* ImageFormatName(ImageFormat format);

struct DecodeOptions {
  // Size of a raw `.rgb` file. When both are 0, a file of 3*s*s bytes is taken as s x s.
  int raw_width = 0;
  int raw_height = 0;
  // Images with more pixels are refused before any pixel memory is allocated.
  int64_t max_pixels = 100'000'000;
  // The smallest size the caller needs (0: full size). A JPEG is then decoded at 1/2, 1/4 or
  // 1/8 scale (libjpeg's DCT scaling, several times faster) when that still gives at least
  // min_width x min_height; other formats ignore it.
  int min_width = 0;
  int min_height = 0;
};

// The format named by the content's magic bytes (kRawRgb is never returned: raw has none).
ImageFormat DetectImageFormat(std::span<const uint8_t> bytes);
// The format named by the extension of `name` (case-insensitive), or kUnknown.
ImageFormat ImageFormatFromName(const std::string& name);

// Decodes `bytes`; `name` is the file name, used for the extension check and in messages.
// Grey becomes R=G=B; alpha is dropped (not composited: the colour channels are kept as stored).
Result<Image> DecodeImage(std::span<const uint8_t> bytes, const std::string& name,
                          const DecodeOptions& opt = {});

// Reads and decodes a file; errors name the path.
Result<Image> ReadImageFile(const std::string& path, const DecodeOptions& opt = {});

}  // namespace coralpi
