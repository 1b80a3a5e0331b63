// A detection model as the frame path's detector; see model_detector.h.
#include "video/model_detector.h"

namespace coralpi {

Result<std::unique_ptr<ModelDetector>> ModelDetector::Create(const std::string& model_path,
                                                             const std::string& labels_path,
                                                             const BackendRequest& request) {
  std::unique_ptr<ModelDetector> d(new ModelDetector());
  SessionOptions options{model_path, labels_path, request};
  CORALPI_ASSIGN_OR_RETURN(d->session_, TaskSession::Open(options));
  CORALPI_ASSIGN_OR_RETURN(DetectionTask task, DetectionTask::Create(*d->session_, {}));
  // The frame path drops what is under its own min_score: keep everything a post-process
  // detector reports (at most its own few); a YOLO head keeps its family's threshold, since its
  // thousands of candidates under it are noise.
  if (!task.head().yolo()) task.set_threshold(0.0f);
  d->task_.emplace(std::move(task));
  Backend& b = d->session_->backend();
  d->description_ = b.name() + ": " + model_path + " (" + b.details() + "; " +
                    DetectionHeadName(d->task_->head().kind) + ")";
  return d;
}

Result<DetectorInput> ModelDetector::Prepare(const Image& frame) const {
  return ResizeForDetector(frame, session_->input_width(), session_->input_height(),
                           session_->preprocess());
}

Result<std::vector<Detection>> ModelDetector::Detect(const DetectorInput& input) {
  CORALPI_ASSIGN_OR_RETURN(DetectResult result, task_->RunFitted(input.image, input.transform));
  return std::move(result.detections);
}

}  // namespace coralpi
