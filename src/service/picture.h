// The pictures coralpi serve hands out: a frame with its detections' boxes drawn, scaled to a
// requested height, as JPEG (the live view, latest.jpg, the MJPEG streams and the events'
// snapshots).
//
// Drawing and encoding here are a stopgap until the vision layer's JPEG encoder
// (image/encode.h) and Cairo drawing (vision/drawing.h) are merged; then this file keeps only
// the composition (scale, draw, encode) and calls those.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"
#include "image/image.h"
#include "vision/detection.h"

namespace coralpi {

// `frame` scaled to `height` (0 or >= the frame's own: unscaled; the width keeps the aspect
// ratio), the boxes of `detections` (frame pixels) drawn in their class's colour, as a JPEG.
Result<std::vector<uint8_t>> DetectionsJpeg(const Image& frame,
                                            std::span<const Detection> detections, int height = 0,
                                            int quality = 80);

}  // namespace coralpi
