// The one JSON form of a detection, for every output that has one (the CLI's --json, the video
// path's frames, the Python bindings): {"label", "class_id", "score", "box": {"xmin", "ymin",
// "xmax", "ymax"}}, boxes in image pixels to 2 decimals, scores to 4.
#pragma once

#include <nlohmann/json.hpp>

#include "vision/detection.h"

namespace coralpi {

nlohmann::ordered_json DetectionJson(const Detection& d);
nlohmann::ordered_json BoxJson(const BoundingBox& b);

// v rounded to `decimals` decimals (the double nearest the decimal, which prints short).
double RoundTo(double v, int decimals);

}  // namespace coralpi
