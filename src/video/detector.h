// What the frame path needs from an object detector, in two steps so the work overlaps:
// Prepare runs in the camera's capture thread (resize the frame to the model's input), Detect
// in an inference thread (fill the input tensor, invoke, decode). Boxes come back in pixels of
// the frame that was prepared.
//
// Implementations: StandInDetector (below: fixed boxes after a fixed sleep, for tests and for
// measuring the frame path itself) and ModelDetector (model_detector.h: a model on a Backend).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "image/image.h"
#include "vision/detection.h"
#include "vision/preprocess.h"

namespace coralpi {

// A frame made ready for Detect: fitted to the detector's input, with the transform from the
// frame (vision/preprocess.h, the one image-to-input mapping).
struct DetectorInput {
  Image image;
  InputTransform transform;

  // A box in pixels of `image` -> frame pixels, clamped to the frame.
  BoundingBox ToFrame(const BoundingBox& b) const { return InputToImageBox(b, transform); }
};

class Detector {
 public:
  virtual ~Detector() = default;
  // One line for reports: "stand-in (3 ms)", "cpu: ssd_mobilenet... (2 threads)".
  virtual std::string description() const = 0;
  // Called from several capture threads at once: must not change the detector.
  virtual Result<DetectorInput> Prepare(const Image& frame) const = 0;
  // Called from one thread at a time. Detections with boxes in frame pixels, best first.
  virtual Result<std::vector<Detection>> Detect(const DetectorInput& input) = 0;
};

// Fits `frame` to width x height as `preprocess` says (default: stretched, bilinear) with the
// mapping back; the common Prepare.
Result<DetectorInput> ResizeForDetector(const Image& frame, int width, int height,
                                        const PreprocessOptions& preprocess = {});

struct StandInOptions {
  double sleep_ms = 3.0;  // the time Detect takes (an Edge TPU's invoke is about 3 ms)
  int input_width = 300;  // Prepare resizes to this, as a real SSD detector's does
  int input_height = 300;
  // Returned by every Detect, in normalized coordinates [0, 1] of the frame.
  std::vector<Detection> detections = DefaultStandInDetections();
  // For tests of the watchdog: the `hang_at`-th Detect (from 1, counted in `calls`, which
  // several stand-ins may share) sleeps `hang_s` seconds before it answers.
  int64_t hang_at = 0;
  double hang_s = 0.0;
  std::shared_ptr<std::atomic<int64_t>> calls;

  static std::vector<Detection> DefaultStandInDetections();
};

class StandInDetector : public Detector {
 public:
  explicit StandInDetector(StandInOptions options) : options_(std::move(options)) {}
  std::string description() const override;
  Result<DetectorInput> Prepare(const Image& frame) const override;
  Result<std::vector<Detection>> Detect(const DetectorInput& input) override;

 private:
  StandInOptions options_;
};

}  // namespace coralpi
