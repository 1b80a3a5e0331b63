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
  kLetterbox,   // the whole image scaled to fit, aspect ratio kept, centred; the rest padded
};

// A rectangle of pixels.
struct Rect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  bool operator==(const Rect&) const = default;
};

// Which rectangle of an in_w x in_h image lands on which rectangle of the out_w x out_h
// target under `mode` (stretch: whole on whole; crop: centred part on whole; letterbox: whole
// on a centred part, at least 1 pixel wide and high).
struct Placement {
  Rect source;
  Rect target;
  bool operator==(const Placement&) const = default;
};
Placement PlaceImage(int in_w, int in_h, int out_w, int out_h, ResizeMode mode);

// Resizes `in` (at least 2x2) to out_w x out_h. Letterbox padding has every channel at `pad`
// (0: black; Ultralytics' models are trained on 114, mid-gray). Errors say what is wrong with the
// sizes; callers add the file name.
Result<Image> Resize(const Image& in, int out_w, int out_h, ResizeMode mode, uint8_t pad = 0);

}  // namespace coralpi
