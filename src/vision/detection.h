// Object detection results: the value types shared by the detection decoder, the drawing code
// and the video pipeline (tracker, events, publishers). Boxes are in pixels of the original
// image (after undoing any resize or letterbox), x to the right, y down.
#pragma once

#include <cstdint>
#include <string>

namespace coralpi {

struct BoundingBox {
  float xmin = 0.0f;
  float ymin = 0.0f;
  float xmax = 0.0f;
  float ymax = 0.0f;

  float width() const { return xmax > xmin ? xmax - xmin : 0.0f; }
  float height() const { return ymax > ymin ? ymax - ymin : 0.0f; }
  float area() const { return width() * height(); }
  bool operator==(const BoundingBox&) const = default;
};

struct Detection {
  int32_t class_id = 0;
  std::string label;  // from the label file; "class <id>" when it has none
  float score = 0.0f;
  BoundingBox box;
  bool operator==(const Detection&) const = default;
};

}  // namespace coralpi
