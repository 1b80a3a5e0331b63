// A detection model on a Backend as the frame path's Detector: Prepare stretches the frame to
// the model's input size in the capture thread; Detect fills the input, invokes and decodes the
// post-process outputs (vision/detection_decoder.h) into boxes in frame pixels.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "backend/backend.h"
#include "backend/backend_factory.h"
#include "core/result.h"
#include "video/detector.h"
#include "vision/classification.h"
#include "vision/detection_decoder.h"

namespace coralpi {

class ModelDetector : public Detector {
 public:
  // Loads `model_path` (and `labels_path` unless empty) and creates the backend `request`
  // names. Errors name the model: unreadable, not a detector, not an image input.
  static Result<std::unique_ptr<ModelDetector>> Create(const std::string& model_path,
                                                       const std::string& labels_path,
                                                       const BackendRequest& request);

  std::string description() const override { return description_; }
  Result<DetectorInput> Prepare(const Image& frame) const override;
  Result<std::vector<Detection>> Detect(const DetectorInput& input) override;

 private:
  ModelDetector() = default;

  std::string model_path_;
  std::string description_;
  std::unique_ptr<Backend> backend_;
  std::optional<Labels> labels_;
  DetectionOutputs where_;
  DetectionOptions options_;
  int input_width_ = 0, input_height_ = 0;
};

}  // namespace coralpi
