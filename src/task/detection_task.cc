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
  HeadDecodeOptions opt;
  opt.threshold = threshold();
  opt.max_detections = options_.max_detections;
  opt.iou = head_.yolo() ? iou() : 0.0f;
  opt.agnostic = options_.agnostic;
  opt.label_offset = label_offset_;
  opt.input_width = session_->input_width();
  opt.input_height = session_->input_height();
  auto dets = DecodeDetectionHead(session_->backend(), head_, transform, session_->labels(), opt);
  if (!dets.ok()) return WithContext(session_->model_path(), dets.error());
  return dets;
}

namespace {

Result<std::vector<Detection>> DecodeYoloHead(const TensorView& output, const DetectionHead& head,
                                              const InputTransform& transform,
                                              const Labels* labels,
                                              const HeadDecodeOptions& options) {
  YoloOptions yolo;
  yolo.input_width = options.input_width;
  yolo.input_height = options.input_height;
  yolo.score_threshold = options.threshold;
  yolo.labels = labels;
  yolo.classes = head.classes;
  CORALPI_ASSIGN_OR_RETURN(yolo.units, GuessBoxUnits(output, head.layout()));
  NmsOptions nms;
  nms.iou_threshold = options.iou;
  nms.max_detections = options.max_detections;
  nms.agnostic = options.agnostic;
  CORALPI_ASSIGN_OR_RETURN(std::vector<Detection> found,
                           DecodeYolo(output, head.layout(), yolo, nms));
  std::vector<Detection> out;
  out.reserve(found.size());
  for (Detection& d : found) {
    d.box = InputToImageBox(d.box, transform);
    if (d.box.area() > 0.0f) out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

Result<std::vector<Detection>> DecodeDetectionHead(Backend& backend, const DetectionHead& head,
                                                   const InputTransform& transform,
                                                   const Labels* labels,
                                                   const HeadDecodeOptions& options) {
  if (head.yolo()) {
    return DecodeYoloHead(backend.output(head.output), head, transform, labels, options);
  }
  DetectionOptions opt;
  opt.threshold = options.threshold;
  opt.max_detections = options.max_detections;
  opt.label_offset = options.label_offset;
  return ReadDetections(backend, head.ssd, transform, labels, opt);
}

}  // namespace coralpi
