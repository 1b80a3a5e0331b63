// A detection model as the frame path's detector; see model_detector.h.
#include "video/model_detector.h"

#include "vision/preprocess.h"

namespace coralpi {

Result<std::unique_ptr<ModelDetector>> ModelDetector::Create(const std::string& model_path,
                                                             const std::string& labels_path,
                                                             const BackendRequest& request) {
  std::unique_ptr<ModelDetector> d(new ModelDetector());
  d->model_path_ = model_path;
  CORALPI_ASSIGN_OR_RETURN(ModelSource source, LoadModelSource(model_path));
  auto where = FindDetectionOutputs(DescribeOutputs(*source.model));
  if (!where.ok()) return WithContext(model_path, where.error());
  d->where_ = *where;
  CORALPI_ASSIGN_OR_RETURN(BackendChoice choice, CreateBackend(source, request));
  d->backend_ = std::move(choice.backend);
  if (d->backend_->input_count() != 1) {
    return MakeError(model_path, "a detector for video needs a model with one image input");
  }
  const TensorView input = d->backend_->input(0);
  Status image_input = CheckImageInput(input);
  if (!image_input.ok()) return WithContext(model_path, image_input.error());
  d->input_height_ = static_cast<int>(input.shape[1]);
  d->input_width_ = static_cast<int>(input.shape[2]);
  if (!labels_path.empty()) {
    CORALPI_ASSIGN_OR_RETURN(Labels labels, Labels::Load(labels_path));
    d->options_.label_offset = DetectionLabelOffset(labels);
    d->labels_ = std::move(labels);
  }
  // The frame path drops what is under its own min_score; keep everything the model reports.
  d->options_.threshold = 0.0f;
  d->description_ = d->backend_->name() + ": " + model_path + " (" + d->backend_->details() + ")";
  return d;
}

Result<DetectorInput> ModelDetector::Prepare(const Image& frame) const {
  return ResizeForDetector(frame, input_width_, input_height_);
}

Result<std::vector<Detection>> ModelDetector::Detect(const DetectorInput& input) {
  Status filled = FillImageInput(input.image, backend_->input(0));
  if (!filled.ok()) return WithContext(model_path_, filled.error());
  Status invoked = backend_->Invoke();
  if (!invoked.ok()) return WithContext(model_path_, invoked.error());
  // Boxes come back in pixels of the prepared image, then go to the frame's.
  const InputTransform transform = MakeInputTransform(
      input.image.width, input.image.height, input_width_, input_height_, ResizeMode::kStretch);
  auto detections =
      ReadDetections(*backend_, where_, transform, labels_ ? &*labels_ : nullptr, options_);
  if (!detections.ok()) return WithContext(model_path_, detections.error());
  for (Detection& d : *detections) d.box = input.ToFrame(d.box);
  return detections;
}

}  // namespace coralpi
