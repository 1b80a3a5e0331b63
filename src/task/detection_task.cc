// Object detection on a session; see detection_task.h.
#include "task/detection_task.h"

#include "core/timer.h"
#include "vision/nms.h"

namespace coralpi {

Result<DetectionTask> DetectionTask::Create(TaskSession& session, const DetectOptions& options) {
  auto head = FindDetectionHead(session.model(), session.metadata(), options.head);
  if (!head.ok()) return WithContext(session.model_path(), head.error());
  DetectionTask task(session, std::move(*head), options);
  const Labels* labels = session.labels();
  if (labels && !task.head_.yolo()) task.label_offset_ = DetectionLabelOffset(*labels);
  if (labels && task.head_.classes > 0) {
    CORALPI_RETURN_IF_ERROR(
        labels->CheckCovers(static_cast<size_t>(task.head_.classes + task.label_offset_)));
  }
  if (task.head_.yolo()) {
    PreprocessOptions pre = UltralyticsPreprocess();
    if (session.preprocess().resize == ResizeMode::kStretch) pre.resize = ResizeMode::kLetterbox;
    session.set_preprocess(pre);
  }
  return task;
}

float DetectionTask::iou() const {
  return options_.iou.value_or(DefaultYoloIou(head_.layout()));
}

float DetectionTask::threshold() const {
  return options_.threshold.value_or(head_.yolo() ? 0.25f : 0.5f);
}

Result<DetectResult> DetectionTask::Run(const Image& image, const std::string& image_name) {
  return Finish(session_->Run(image, image_name));
}

Result<DetectResult> DetectionTask::RunFitted(const Image& fitted,
                                              const InputTransform& transform) {
  return Finish(session_->RunFitted(fitted, transform));
}

Result<DetectResult> DetectionTask::Finish(Result<ImageRun> run) {
  if (!run.ok()) return run.error();
  DetectResult result;
  result.run = *run;
  Stopwatch watch;
  CORALPI_ASSIGN_OR_RETURN(result.detections, Decode(run->transform));
  result.decode_ms = watch.ElapsedMs();
  return result;
}

Result<std::vector<Detection>> DetectionTask::Decode(const InputTransform& transform) {
  if (head_.yolo()) return DecodeYoloHead(transform);
  DetectionOptions opt;
  opt.threshold = threshold();
  opt.max_detections = options_.max_detections;
  opt.label_offset = label_offset_;
  auto dets = ReadDetections(session_->backend(), head_.ssd, transform, session_->labels(), opt);
  if (!dets.ok()) return WithContext(session_->model_path(), dets.error());
  return dets;
}

Result<std::vector<Detection>> DetectionTask::DecodeYoloHead(const InputTransform& transform) {
  const TensorView output = session_->backend().output(head_.output);
  YoloOptions yolo;
  yolo.input_width = session_->input_width();
  yolo.input_height = session_->input_height();
  yolo.score_threshold = threshold();
  yolo.labels = session_->labels();
  yolo.classes = head_.classes;
  auto units = GuessBoxUnits(output, head_.layout());
  if (!units.ok()) return WithContext(session_->model_path(), units.error());
  yolo.units = *units;
  NmsOptions nms;
  nms.iou_threshold = iou();
  nms.max_detections = options_.max_detections;
  nms.agnostic = options_.agnostic;
  auto found = DecodeYolo(output, head_.layout(), yolo, nms);
  if (!found.ok()) return WithContext(session_->model_path(), found.error());
  std::vector<Detection> out;
  out.reserve(found->size());
  for (Detection& d : *found) {
    d.box = InputToImageBox(d.box, transform);
    if (d.box.area() > 0.0f) out.push_back(std::move(d));
  }
  return out;
}

}  // namespace coralpi
