// Pose estimation on a session; see pose_task.h.
#include "task/pose_task.h"

#include <algorithm>

#include "core/timer.h"
#include "task/detection_head.h"
#include "vision/pose.h"

namespace coralpi {
namespace {

bool IsMoveNet(const Shape& s) {
  return s.size() == 4 && s[0] == 1 && s[1] == 1 && s[2] == kPoseKeypoints && s[3] == 3;
}

// K of a YOLO pose output [1, 5 + 3K, N], from the metadata when it says, else the rows.
Result<int> YoloKeypoints(const Shape& s, const std::optional<UltralyticsMetadata>& metadata) {
  const int rows = static_cast<int>(s[1]);
  if (metadata && metadata->kpt_shape) {
    const auto& k = *metadata->kpt_shape;
    if (k.dims != 3) {
      return Error{"the model's metadata gives keypoints of " + std::to_string(k.dims) +
                   " values; coralpi reads YOLO pose keypoints as x, y, visibility (3)"};
    }
    if (rows != 5 + 3 * k.count) {
      return Error{"the model's metadata gives " + std::to_string(k.count) +
                   " keypoints, but the output " + ShapeToString(s) + " has " +
                   std::to_string(rows) + " rows (want 5 + 3 x keypoints)"};
    }
    return k.count;
  }
  if (rows < 8 || (rows - 5) % 3 != 0) {
    return Error{"output " + ShapeToString(s) +
                 " is not a YOLO pose head [1, 5 + 3 x keypoints, anchors]"};
  }
  return (rows - 5) / 3;
}

// The box around the keypoints and their mean score: MoveNet's one person as a detection.
Detection PersonOf(const std::vector<Keypoint>& kps) {
  Detection d;
  d.label = "person";
  if (kps.empty()) return d;
  d.box = {kps[0].x, kps[0].y, kps[0].x, kps[0].y};
  float sum = 0.0f;
  for (const Keypoint& k : kps) {
    d.box = {std::min(d.box.xmin, k.x), std::min(d.box.ymin, k.y), std::max(d.box.xmax, k.x),
             std::max(d.box.ymax, k.y)};
    sum += k.score;
  }
  d.score = sum / static_cast<float>(kps.size());
  return d;
}

}  // namespace

Result<PoseTask> PoseTask::Create(TaskSession& session, const PoseOptions& options) {
  PoseTask task(session, options);
  const Shape& shape = session.backend().output(0).shape;
  if (IsMoveNet(shape)) return task;
  if (session.backend().output_count() != 1 || !YoloLayoutOfShape(shape) ||
      *YoloLayoutOfShape(shape) != YoloLayout::kV8) {
    return MakeError(session.model_path(),
                     "not a pose model: expected MoveNet's output [1, 1, 17, 3] or one YOLO pose "
                     "output [1, 5 + 3 x keypoints, anchors], but output 0 is " +
                         ShapeToString(shape));
  }
  auto k = YoloKeypoints(shape, session.metadata());
  if (!k.ok()) return WithContext(session.model_path(), k.error());
  task.kind_ = PoseHeadKind::kYolo;
  task.keypoints_ = *k;
  PreprocessOptions pre = UltralyticsPreprocess();
  session.set_preprocess(pre);
  return task;
}

Result<PoseResult> PoseTask::Run(const Image& image, const std::string& image_name) {
  PoseResult result;
  CORALPI_ASSIGN_OR_RETURN(result.run, session_->Run(image, image_name));
  Stopwatch watch;
  CORALPI_ASSIGN_OR_RETURN(result.people, Decode(result.run.transform));
  result.decode_ms = watch.ElapsedMs();
  return result;
}

Result<std::vector<PersonPose>> PoseTask::Decode(const InputTransform& transform) {
  if (kind_ == PoseHeadKind::kYolo) return DecodeYolo(transform);
  auto kps = ReadPose(session_->backend().output(0), transform);
  if (!kps.ok()) return WithContext(session_->model_path(), kps.error());
  PersonPose person;
  person.detection = PersonOf(*kps);
  person.keypoints = std::move(*kps);
  return std::vector<PersonPose>{std::move(person)};
}

Result<std::vector<PersonPose>> PoseTask::DecodeYolo(const InputTransform& transform) {
  const TensorView output = session_->backend().output(0);
  YoloOptions yolo;
  yolo.input_width = session_->input_width();
  yolo.input_height = session_->input_height();
  yolo.score_threshold = options_.threshold.value_or(0.25f);
  yolo.labels = session_->labels();
  auto units = GuessBoxUnits(output, YoloLayout::kV8);
  if (!units.ok()) return WithContext(session_->model_path(), units.error());
  yolo.units = *units;
  NmsOptions nms;
  nms.iou_threshold = options_.iou.value_or(DefaultYoloIou(YoloLayout::kV8));
  nms.max_detections = options_.max_people;
  auto people = DecodeYoloPose(output, keypoints_, yolo, nms);
  if (!people.ok()) return WithContext(session_->model_path(), people.error());
  auto clamp = [](float v, int hi) { return std::clamp(v, 0.0f, static_cast<float>(hi)); };
  for (PersonPose& p : *people) {
    p.detection.box = InputToImageBox(p.detection.box, transform);
    for (Keypoint& k : p.keypoints) {
      k.x = clamp(transform.ImageX(k.x), transform.image_width);
      k.y = clamp(transform.ImageY(k.y), transform.image_height);
    }
  }
  return people;
}

}  // namespace coralpi
