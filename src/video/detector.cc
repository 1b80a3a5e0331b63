// The common Prepare and the stand-in detector; see detector.h.
#include "video/detector.h"

#include <chrono>
#include <cstdio>
#include <thread>

#include "image/resize.h"

namespace coralpi {

Result<DetectorInput> ResizeForDetector(const Image& frame, int width, int height,
                                        const PreprocessOptions& preprocess) {
  CORALPI_ASSIGN_OR_RETURN(FittedImage fitted, FitImage(frame, width, height, preprocess));
  return DetectorInput{std::move(fitted.image), fitted.transform};
}

std::vector<Detection> StandInOptions::DefaultStandInDetections() {
  return {{0, "object", 0.9f, {0.10f, 0.20f, 0.35f, 0.50f}},
          {0, "object", 0.8f, {0.60f, 0.40f, 0.90f, 0.80f}}};
}

std::string StandInDetector::description() const {
  char text[96];
  std::snprintf(text, sizeof text, "stand-in (%.2f ms per frame, %zu fixed boxes)",
                options_.sleep_ms, options_.detections.size());
  return text;
}

Result<DetectorInput> StandInDetector::Prepare(const Image& frame) const {
  return ResizeForDetector(frame, options_.input_width, options_.input_height);
}

Result<std::vector<Detection>> StandInDetector::Detect(const DetectorInput& input) {
  if (options_.hang_at > 0 && options_.calls && ++*options_.calls == options_.hang_at) {
    std::this_thread::sleep_for(std::chrono::duration<double>(options_.hang_s));
  }
  if (options_.sleep_ms > 0) {
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(options_.sleep_ms));
  }
  // Normalized -> detector-input pixels -> frame pixels.
  const float w = static_cast<float>(input.image.width), h = static_cast<float>(input.image.height);
  std::vector<Detection> out = options_.detections;
  for (Detection& d : out) {
    d.box = input.ToFrame({d.box.xmin * w, d.box.ymin * h, d.box.xmax * w, d.box.ymax * h});
  }
  return out;
}

}  // namespace coralpi
