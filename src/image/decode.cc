// Format detection and dispatch to the per-format decoders; raw RGB decoding.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/file.h"
#include "image/formats.h"
#include "image/image.h"

namespace coralpi {
namespace image_internal {

Status CheckPixelCount(int64_t width, int64_t height, const std::string& name,
                       const DecodeOptions& opt) {
  if (width <= 0 || height <= 0) {
    return MakeError(name, "image has an empty size (" + std::to_string(width) + "x" +
                               std::to_string(height) + ")");
  }
  if (width > opt.max_pixels || height > opt.max_pixels || width * height > opt.max_pixels) {
    return MakeError(name, "image is " + std::to_string(width) + "x" + std::to_string(height) +
                               " pixels, more than the limit of " + std::to_string(opt.max_pixels));
  }
  return OkStatus();
}

namespace {

// The side s of a square raw image of `size` bytes (3*s*s == size), or 0.
int64_t SquareSide(size_t size) {
  if (size == 0 || size % 3 != 0) return 0;
  auto pixels = static_cast<int64_t>(size / 3);
  auto s = static_cast<int64_t>(std::llround(std::sqrt(static_cast<double>(pixels))));
  for (int64_t c = std::max<int64_t>(1, s - 1); c <= s + 1; ++c) {
    if (c * c == pixels) return c;
  }
  return 0;
}

}  // namespace

bool RawRgbSizeKnown(size_t size, const DecodeOptions& opt) {
  if (opt.raw_width > 0 && opt.raw_height > 0) {
    return static_cast<uint64_t>(opt.raw_width) * static_cast<uint64_t>(opt.raw_height) * 3 == size;
  }
  return SquareSide(size) > 0;
}

Result<Image> DecodeRawRgb(std::span<const uint8_t> bytes, const std::string& name,
                           const DecodeOptions& opt) {
  int64_t width = 0;
  int64_t height = 0;
  if (opt.raw_width > 0 || opt.raw_height > 0) {
    width = opt.raw_width;
    height = opt.raw_height;
    if (width <= 0 || height <= 0) {
      return MakeError(ErrorKind::kBadArgument, name,
                       "raw RGB needs both a width and a height, got " + std::to_string(width) +
                           "x" + std::to_string(height));
    }
    uint64_t need = static_cast<uint64_t>(width) * static_cast<uint64_t>(height) * 3;
    if (need != bytes.size()) {
      return MakeError(name, "raw RGB of " + std::to_string(width) + "x" + std::to_string(height) +
                                 " needs " + std::to_string(need) + " bytes, the file has " +
                                 std::to_string(bytes.size()));
    }
  } else {
    width = height = SquareSide(bytes.size());
    if (width == 0) {
      return MakeError(name, "raw RGB file of " + std::to_string(bytes.size()) +
                                 " bytes is not a square image (3*s*s bytes); its width and "
                                 "height are needed");
    }
  }
  CORALPI_RETURN_IF_ERROR(CheckPixelCount(width, height, name, opt));
  Image image;
  image.width = static_cast<int>(width);
  image.height = static_cast<int>(height);
  image.rgb.assign(bytes.begin(), bytes.end());
  return image;
}

}  // namespace image_internal

const char* ImageFormatName(ImageFormat format) {
  switch (format) {
    case ImageFormat::kJpeg:
      return "JPEG";
    case ImageFormat::kPng:
      return "PNG";
    case ImageFormat::kBmp:
      return "BMP";
    case ImageFormat::kRawRgb:
      return "raw RGB";
    case ImageFormat::kUnknown:
      break;
  }
  return "unknown";
}

ImageFormat DetectImageFormat(std::span<const uint8_t> bytes) {
  static constexpr uint8_t kPng[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (bytes.size() >= sizeof kPng && std::memcmp(bytes.data(), kPng, sizeof kPng) == 0) {
    return ImageFormat::kPng;
  }
  if (bytes.size() >= 3 && bytes[0] == 0xff && bytes[1] == 0xd8 && bytes[2] == 0xff) {
    return ImageFormat::kJpeg;
  }
  if (bytes.size() >= 2 && bytes[0] == 'B' && bytes[1] == 'M') return ImageFormat::kBmp;
  return ImageFormat::kUnknown;
}

ImageFormat ImageFormatFromName(const std::string& name) {
  size_t slash = name.find_last_of('/');
  size_t dot = name.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) {
    return ImageFormat::kUnknown;
  }
  std::string ext = name.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == "jpg" || ext == "jpeg" || ext == "jpe" || ext == "jfif") return ImageFormat::kJpeg;
  if (ext == "png") return ImageFormat::kPng;
  if (ext == "bmp" || ext == "dib") return ImageFormat::kBmp;
  if (ext == "rgb") return ImageFormat::kRawRgb;
  return ImageFormat::kUnknown;
}

namespace {

std::string FirstBytes(std::span<const uint8_t> bytes) {
  std::string out;
  char hex[4];
  for (size_t i = 0; i < bytes.size() && i < 4; ++i) {
    std::snprintf(hex, sizeof hex, i ? " %02x" : "%02x", bytes[i]);
    out += hex;
  }
  return out;
}

}  // namespace

namespace {

Result<Image> DecodeByContent(std::span<const uint8_t> bytes, const std::string& name,
                              const DecodeOptions& opt) {
  if (bytes.empty()) return MakeError(name, "file is empty");
  ImageFormat content = DetectImageFormat(bytes);
  ImageFormat named = ImageFormatFromName(name);
  // Raw RGB has no magic bytes: a `.rgb` file of the expected size is raw whatever its first
  // bytes happen to be; otherwise recognised content means the name is wrong.
  if (named == ImageFormat::kRawRgb &&
      (content == ImageFormat::kUnknown || image_internal::RawRgbSizeKnown(bytes.size(), opt))) {
    return image_internal::DecodeRawRgb(bytes, name, opt);
  }
  if (content == ImageFormat::kUnknown) {
    if (named != ImageFormat::kUnknown) {
      return MakeError(name, std::string("the name says ") + ImageFormatName(named) +
                                 " but the content is not a JPEG, PNG or BMP image (it starts " +
                                 FirstBytes(bytes) + ")");
    }
    return MakeError(name, "not a JPEG, PNG or BMP image (it starts " + FirstBytes(bytes) + ")");
  }
  if (named != ImageFormat::kUnknown && named != content) {
    return MakeError(name, std::string("content is a ") + ImageFormatName(content) +
                               " image but the name says " + ImageFormatName(named));
  }
  switch (content) {
    case ImageFormat::kJpeg:
      return image_internal::DecodeJpeg(bytes, name, opt);
    case ImageFormat::kPng:
      return image_internal::DecodePng(bytes, name, opt);
    case ImageFormat::kBmp:
      return image_internal::DecodeBmp(bytes, name, opt);
    default:
      break;
  }
  return MakeError(name, "unsupported image format");
}

}  // namespace

// Whatever the decoders reject, unless they named the kind, is an unusable image file.
Result<Image> DecodeImage(std::span<const uint8_t> bytes, const std::string& name,
                          const DecodeOptions& opt) {
  Result<Image> image = DecodeByContent(bytes, name, opt);
  if (!image.ok() && image.error().kind == ErrorKind::kInternal) {
    return WithKind(ErrorKind::kBadFile, image.error());
  }
  return image;
}

Result<Image> ReadImageFile(const std::string& path, const DecodeOptions& opt) {
  CORALPI_ASSIGN_OR_RETURN(std::vector<uint8_t> bytes, ReadFileBytes(path));
  return DecodeImage(bytes, path, opt);
}

}  // namespace coralpi
