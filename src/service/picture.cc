// Frames with boxes as JPEG; see picture.h.
#include "service/picture.h"

#include <algorithm>
#include <cmath>

#include "image/encode.h"
#include "image/resize.h"
#include "vision/drawing.h"

namespace coralpi {
namespace {

void FillRect(Image& im, int x0, int y0, int x1, int y1, Color c) {
  x0 = std::clamp(x0, 0, im.width), x1 = std::clamp(x1, 0, im.width);
  y0 = std::clamp(y0, 0, im.height), y1 = std::clamp(y1, 0, im.height);
  for (int y = y0; y < y1; ++y) {
    uint8_t* p = im.rgb.data() + 3 * (static_cast<size_t>(y) * im.width + x0);
    for (int x = x0; x < x1; ++x, p += 3) p[0] = c.r, p[1] = c.g, p[2] = c.b;
  }
}

// The outline of `b` (already in `im`'s pixels), `line` pixels wide, inside the box.
void DrawBox(Image& im, const BoundingBox& b, int line, Color c) {
  int x0 = static_cast<int>(std::lround(b.xmin)), y0 = static_cast<int>(std::lround(b.ymin));
  int x1 = static_cast<int>(std::lround(b.xmax)), y1 = static_cast<int>(std::lround(b.ymax));
  if (x1 <= x0 || y1 <= y0) return;
  FillRect(im, x0, y0, x1, y0 + line, c);
  FillRect(im, x0, y1 - line, x1, y1, c);
  FillRect(im, x0, y0, x0 + line, y1, c);
  FillRect(im, x1 - line, y0, x1, y1, c);
}

}  // namespace

Result<std::vector<uint8_t>> DetectionsJpeg(const Image& frame,
                                            std::span<const Detection> detections, int height,
                                            int quality) {
  if (frame.width < 2 || frame.height < 2) return Error{"no picture to encode"};
  Image scaled;
  const Image* picture = &frame;
  float scale = 1.0f;
  if (height > 0 && height < frame.height) {
    scale = static_cast<float>(height) / static_cast<float>(frame.height);
    int width = std::max(2, static_cast<int>(std::lround(frame.width * scale)));
    CORALPI_ASSIGN_OR_RETURN(scaled,
                             Resize(frame, width, std::max(2, height), ResizeMode::kStretch));
    picture = &scaled;
  }
  if (!detections.empty()) {
    if (picture == &frame) scaled = frame;
    int line = std::max(2, std::min(scaled.width, scaled.height) / 160);
    for (const Detection& d : detections) {
      BoundingBox b{d.box.xmin * scale, d.box.ymin * scale, d.box.xmax * scale, d.box.ymax * scale};
      DrawBox(scaled, b, line, ClassColor(d.class_id));
    }
    picture = &scaled;
  }
  return EncodeAsJpeg(*picture, quality);
}

}  // namespace coralpi
