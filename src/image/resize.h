// Bilinear resizing of an RGB Image to a model's input size.
//
// Convention: half-pixel centres, as TensorFlow's resize_bilinear with half_pixel_centers=true
// and OpenCV's INTER_LINEAR: output pixel x samples the source at (x + 0.5) * in / out - 0.5,
// clamped to the first and last source pixel. No antialiasing when shrinking (like both of
// those). Weights are fixed point with 8 fractional bits, so a result can differ from exact
// arithmetic by at most 1.
#pragma once

#include "image/image.h"

namespace coralpi {

enum class ResizeMode {
  kStretch,     // the whole image squashed or stretched to the target size
  kCenterCrop,  // the largest centred crop with the target's aspect ratio, then resized
};

// Resizes `in` (at least 2x2) to out_w x out_h. Errors say what is wrong with the sizes;
// callers add the file name.
Result<Image> Resize(const Image& in, int out_w, int out_h, ResizeMode mode);

}  // namespace coralpi
