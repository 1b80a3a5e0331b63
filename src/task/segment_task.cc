// Segmentation on a session; see segment_task.h.
#include "task/segment_task.h"

#include <strings.h>

#include "core/timer.h"
#include "task/detection_head.h"
#include "vision/nms.h"
#include "vision/yolo_segment.h"

namespace coralpi {
namespace {

int32_t BackgroundClass(const Labels* labels) {
  if (!labels) return 0;
  for (int32_t id = 0; id < static_cast<int32_t>(labels->size()); ++id) {
    if (labels->Has(id) && ::strcasecmp(labels->Get(id).c_str(), "background") == 0) return id;
  }
  return -1;
}

bool IsRaw(const Shape& s) { return s.size() == 3 && s[0] == 1 && s[2] > s[1]; }
bool IsProtos(const Shape& s) { return s.size() == 4 && s[0] == 1; }

}  // namespace

Result<SegmentTask> SegmentTask::Create(TaskSession& session, const SegmentOptions& options) {
  SegmentTask task(session, options);
  Backend& b = session.backend();
  if (b.output_count() == 2) {
    CORALPI_RETURN_IF_ERROR(task.FindYoloHead());
  }
  const Labels* labels = session.labels();
  if (task.kind_ == SegmentHeadKind::kYoloInstances) {
    task.background_ = kNoClass;
    if (labels) CORALPI_RETURN_IF_ERROR(labels->CheckCovers(static_cast<size_t>(task.classes_)));
    session.set_preprocess(UltralyticsPreprocess());
    return task;
  }
  task.background_ = BackgroundClass(labels);
  int classes = SegmentationClassCount(b.output(0));
  if (labels && classes > 0) CORALPI_RETURN_IF_ERROR(labels->CheckCovers(static_cast<size_t>(classes)));
  return task;
}

Status SegmentTask::FindYoloHead() {
  Backend& b = session_->backend();
  const Shape& s0 = b.output(0).shape;
  const Shape& s1 = b.output(1).shape;
  if (IsRaw(s0) && IsProtos(s1)) {
    output_ = 0, protos_ = 1;
  } else if (IsRaw(s1) && IsProtos(s0)) {
    output_ = 1, protos_ = 0;
  } else {
    return MakeError(session_->model_path(),
                     "not a segmentation model: two outputs should be a YOLO head [1, 4 + classes "
                     "+ masks, anchors] and prototypes [1, H, W, masks], but they are " +
                         ShapeToString(s0) + " and " + ShapeToString(s1));
  }
  const int rows = static_cast<int>(b.output(output_).shape[1]);
  const int masks = static_cast<int>(b.output(protos_).shape[3]);
  classes_ = rows - 4 - masks;
  const auto& metadata = session_->metadata();
  if (metadata && !metadata->names.empty() &&
      static_cast<int>(metadata->names.size()) != classes_) {
    return MakeError(session_->model_path(),
                     "the model's metadata names " + std::to_string(metadata->names.size()) +
                         " classes but its output " + ShapeToString(b.output(output_).shape) +
                         " with " + std::to_string(masks) + " mask coefficients holds " +
                         std::to_string(classes_));
  }
  if (classes_ < 1) {
    return MakeError(session_->model_path(), "output " + ShapeToString(b.output(output_).shape) +
                                                 " leaves no room for classes beside " +
                                                 std::to_string(masks) + " mask coefficients");
  }
  kind_ = SegmentHeadKind::kYoloInstances;
  return OkStatus();
}

Result<SegmentResult> SegmentTask::Run(const Image& image, const std::string& image_name) {
  SegmentResult result;
  CORALPI_ASSIGN_OR_RETURN(result.run, session_->Run(image, image_name));
  Stopwatch watch;
  CORALPI_RETURN_IF_ERROR(Decode(result));
  result.decode_ms = watch.ElapsedMs();
  return result;
}

Status SegmentTask::Decode(SegmentResult& result) {
  if (kind_ == SegmentHeadKind::kYoloInstances) return DecodeInstances(result);
  auto map = ReadSegmentation(session_->backend().output(0));
  if (!map.ok()) return WithContext(session_->model_path(), map.error());
  result.map = MapToImage(*map, result.run.transform);
  return OkStatus();
}

Status SegmentTask::DecodeInstances(SegmentResult& result) {
  Backend& b = session_->backend();
  YoloOptions yolo;
  yolo.input_width = session_->input_width();
  yolo.input_height = session_->input_height();
  yolo.score_threshold = options_.threshold.value_or(0.25f);
  yolo.labels = session_->labels();
  yolo.classes = classes_;
  auto units = GuessBoxUnits(b.output(output_), YoloLayout::kV8);
  if (!units.ok()) return WithContext(session_->model_path(), units.error());
  yolo.units = *units;
  NmsOptions nms;
  nms.iou_threshold = options_.iou.value_or(DefaultYoloIou(YoloLayout::kV8));
  nms.max_detections = options_.max_instances;
  nms.agnostic = options_.agnostic;
  auto segments = DecodeYoloSegmentation(b.output(output_), b.output(protos_), yolo, nms,
                                         yolo.input_width, yolo.input_height);
  if (!segments.ok()) return WithContext(session_->model_path(), segments.error());
  // Which instance owns each input pixel (the best one), then that map on the image.
  SegmentationMap owner{yolo.input_width, yolo.input_height,
                        std::vector<int32_t>(static_cast<size_t>(yolo.input_width) *
                                                 static_cast<size_t>(yolo.input_height),
                                             kNoClass)};
  for (size_t i = segments->size(); i-- > 0;) {
    const InstanceMask& mask = (*segments)[i].mask;
    for (size_t p = 0; p < mask.pixels.size() && p < owner.classes.size(); ++p) {
      if (mask.pixels[p]) owner.classes[p] = static_cast<int32_t>(i);
    }
  }
  SegmentationMap image_owner = MapToImage(owner, result.run.transform);
  for (InstanceSegment& s : *segments) {
    s.detection.box = InputToImageBox(s.detection.box, result.run.transform);
    result.instances.push_back({std::move(s.detection), 0});
  }
  result.map = image_owner;
  for (int32_t& v : result.map.classes) {
    if (v == kNoClass) continue;
    Instance& inst = result.instances[static_cast<size_t>(v)];
    ++inst.pixels;
    v = inst.detection.class_id;
  }
  return OkStatus();
}

}  // namespace coralpi
