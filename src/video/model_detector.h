// A detection model as the frame path's Detector, over the library's task layer: Prepare fits
// the frame to the model's input in the capture thread (stretched for post-process detectors,
// Ultralytics' letterbox for YOLO ones); Detect fills the input, invokes and decodes the head
// (task/detection_task.h) into boxes in frame pixels.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "backend/backend_factory.h"
#include "core/result.h"
#include "task/detection_task.h"
#include "task/task_session.h"
#include "video/detector.h"

namespace coralpi {

class ModelDetector : public Detector {
 public:
  // Loads `model_path` (and `labels_path` unless empty, else the model's own class names) and
  // creates the backend `request` names. Errors name the model: unreadable, not a detector, not
  // an image input, labels that do not name every class.
  static Result<std::unique_ptr<ModelDetector>> Create(const std::string& model_path,
                                                       const std::string& labels_path,
                                                       const BackendRequest& request);

  std::string description() const override { return description_; }
  Result<DetectorInput> Prepare(const Image& frame) const override;
  Result<std::vector<Detection>> Detect(const DetectorInput& input) override;

 private:
  ModelDetector() = default;

  std::string description_;
  std::unique_ptr<TaskSession> session_;
  std::optional<DetectionTask> task_;
};

}  // namespace coralpi
