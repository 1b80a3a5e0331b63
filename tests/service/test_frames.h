// Frames for the HTTP side's tests: one colour all over and one detection box, as the pipeline
// hands them to publishers.
#pragma once

#include <array>
#include <cstdint>
#include <memory>

#include "image/image.h"
#include "video/events.h"

namespace coralpi::testing {

inline const BoundingBox kTestBox = {40, 60, 200, 180};

inline ProcessedFrame TestFrame(int64_t number, int width = 320, int height = 240,
                                std::array<uint8_t, 3> colour = {128, 128, 128}) {
  auto image = std::make_shared<Image>();
  image->width = width;
  image->height = height;
  image->rgb.resize(static_cast<size_t>(width) * height * 3);
  for (size_t i = 0; i < image->rgb.size(); ++i) image->rgb[i] = colour[i % 3];
  ProcessedFrame f;
  f.camera = "door";
  f.number = number;
  f.capture_time = 1700000000.0 + number;
  f.display = image;
  f.detections = {{0, "object", 0.9f, kTestBox}};
  return f;
}

}  // namespace coralpi::testing
