// The JSON form of a detection; see detection_json.h.
#include "vision/detection_json.h"

#include <cmath>

namespace coralpi {

double RoundTo(double v, int decimals) {
  const double per_unit = std::pow(10.0, decimals);
  return std::round(v * per_unit) / per_unit;
}

nlohmann::ordered_json BoxJson(const BoundingBox& b) {
  return {{"xmin", RoundTo(b.xmin, 2)},
          {"ymin", RoundTo(b.ymin, 2)},
          {"xmax", RoundTo(b.xmax, 2)},
          {"ymax", RoundTo(b.ymax, 2)}};
}

nlohmann::ordered_json DetectionJson(const Detection& d) {
  return {{"label", d.label},
          {"class_id", d.class_id},
          {"score", RoundTo(d.score, 4)},
          {"box", BoxJson(d.box)}};
}

}  // namespace coralpi
