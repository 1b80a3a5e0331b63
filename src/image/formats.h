// Internal: one decoder per format, called by DecodeImage once the format is known.
// Each one validates everything it reads against `bytes` and names `name` in its errors.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "image/image.h"

namespace coralpi::image_internal {

Result<Image> DecodeJpeg(std::span<const uint8_t> bytes, const std::string& name,
                         const DecodeOptions& opt);
Result<Image> DecodePng(std::span<const uint8_t> bytes, const std::string& name,
                        const DecodeOptions& opt);
Result<Image> DecodeBmp(std::span<const uint8_t> bytes, const std::string& name,
                        const DecodeOptions& opt);
Result<Image> DecodeRawRgb(std::span<const uint8_t> bytes, const std::string& name,
                           const DecodeOptions& opt);

// Encoders for a checked image (width, height >= 1, rgb of width*height*3 bytes).
Result<std::vector<uint8_t>> EncodePng(const Image& image);
Result<std::vector<uint8_t>> EncodeJpeg(const Image& image, int quality);

// Whether a raw RGB file of `size` bytes has a known size under `opt` (see DecodeOptions).
bool RawRgbSizeKnown(size_t size, const DecodeOptions& opt);

// The common "WxH is too many pixels" check, done before allocating.
Status CheckPixelCount(int64_t width, int64_t height, const std::string& name,
                       const DecodeOptions& opt);

}  // namespace coralpi::image_internal
