// Writing images: PNG (libspng) and JPEG (libjpeg-turbo), the libraries that also read them.
//
// Files are written atomically (a temporary file in the same directory, then a rename), so a
// reader never sees a half-written picture and a failed write leaves nothing behind. Errors
// read "path: what".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "image/image.h"

namespace coralpi {

// 8-bit RGB PNG, zlib's default compression.
Result<std::vector<uint8_t>> EncodeAsPng(const Image& image);
// Baseline JPEG, 4:2:0, at `quality` (1..100).
Result<std::vector<uint8_t>> EncodeAsJpeg(const Image& image, int quality = 90);

// The format a picture is written in, from the extension of `path` (.png, .jpg, .jpeg, any
// case). Errors say which extensions are known; commands check this before any work.
Result<ImageFormat> OutputImageFormat(const std::string& path);

// Encodes by the extension of `path` and writes it atomically.
Status WriteImageFile(const std::string& path, const Image& image, int jpeg_quality = 90);

}  // namespace coralpi
