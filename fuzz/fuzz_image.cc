// libFuzzer target for image decoding (JPEG, PNG, BMP, raw RGB) and resizing.
// The first byte picks the name the bytes are decoded under, so the extension checks and the
// raw RGB path are reached too; decoded images are then resized both ways.
#include <cstddef>
#include <cstdint>
#include <span>

#include "image/image.h"
#include "image/resize.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* kNames[] = {"fuzz", "fuzz.jpg", "fuzz.png", "fuzz.bmp", "fuzz.rgb"};
  const char* name = kNames[data[0] % 5];
  coralpi::DecodeOptions opt;
  opt.max_pixels = 4'000'000;  // keeps each run fast; the limit itself is tested elsewhere
  auto image = coralpi::DecodeImage(std::span<const uint8_t>(data + 1, size - 1), name, opt);
  if (!image.ok()) return 0;
  if (image->rgb.size() != static_cast<size_t>(image->width) * image->height * 3) __builtin_trap();
  if (image->width >= 2 && image->height >= 2) {
    (void)coralpi::Resize(*image, 7, 5, coralpi::ResizeMode::kCenterCrop);
    (void)coralpi::Resize(*image, 3, 9, coralpi::ResizeMode::kStretch);
  }
  return 0;
}
