// Pictures of results, for people: boxes with label and score, a translucent class overlay with
// a legend, the pose skeleton, a classifier's top labels. Each function returns a new image
// and leaves the input alone.
//
// Layout: boxes, the overlay and the skeleton are drawn on the image itself; the legend and
// the classifier's labels go into a white band added below the image, so that they hide
// nothing and the image's own pixels change only where a result is. Sizes (lines, font)
// follow the image's size: see PictureScale.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "image/image.h"
#include "vision/canvas.h"
#include "vision/detection.h"
#include "vision/pose.h"
#include "vision/segmentation.h"

namespace coralpi {

// A colour per class id: 20 distinct, saturated colours, repeating.
Color ClassColor(int32_t class_id);

// Line width and font size (pixels) for an image: they grow with its smaller side.
struct PictureScale {
  double line_width = 2;
  double font_size = 12;
};
PictureScale ScaleFor(int width, int height);

// A box per detection in its class's colour, with "label score" on a tag just above it (inside
// its top edge when there is no room above). The best detection is drawn last, on top.
Result<Image> DrawDetections(const Image& image, std::span<const Detection> detections);

struct LegendEntry {
  int32_t class_id = 0;
  std::string text;  // e.g. "bird 21.4%"
};
// `map` (the image's size) blended over the image at `opacity` in each class's colour, except
// `background` (-1: none), and a legend of `legend` below: a swatch and its text per entry.
Result<Image> DrawSegmentation(const Image& image, const SegmentationMap& map,
                               std::span<const LegendEntry> legend, int32_t background,
                               float opacity = 0.5f);

// The skeleton's bones whose two ends score at least `threshold`, and those keypoints as dots.
// Left side, right side and the middle have their own colours.
Result<Image> DrawPose(const Image& image, std::span<const Keypoint> keypoints, float threshold);

// One line of text per entry (e.g. "1. macaw 0.982") in a band below the image.
Result<Image> DrawTextBand(const Image& image, std::span<const std::string> lines);

}  // namespace coralpi
