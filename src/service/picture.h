// The pictures coralpi serve hands out: a frame with its detections' boxes drawn, scaled to a
// requested height, as JPEG (the live view, latest.jpg, the MJPEG streams and the events'
// snapshots).
//
// Boxes are drawn in the class colours of vision/drawing.h (ClassColor), so a class looks the
// same here as in `coralpi detect --out`, and encoded by image/encode.h. They are plain
// rectangles written into the frame's pixels, without label tags: this runs for every frame a
// client watches, and needs no Cairo surface round trip.
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
