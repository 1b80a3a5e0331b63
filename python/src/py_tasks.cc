// The task helpers: an image through ClassifyTask, DetectionTask, SegmentTask or PoseTask, the
// results as plain tuples in the fields of the CLI's --json (coralpi/__init__.py names them).
// Each call creates its task (cheap: it checks the head and labels) after restoring the
// session's preprocessing, so calls of different tasks on one model do not see each other's.
#include <pybind11/stl.h>

#include <cstring>

#include "py_image.h"
#include "py_model.h"
#include "task/classify_task.h"
#include "task/detection_task.h"
#include "task/pose_task.h"
#include "task/segment_task.h"
#include "vision/preprocess.h"

namespace coralpi::python {

namespace {

py::tuple BoxTuple(const BoundingBox& b) {
  return py::make_tuple(b.xmin, b.ymin, b.xmax, b.ymax);
}

// (label, class_id, score, box)
py::tuple DetectionTuple(const Detection& d) {
  return py::make_tuple(d.label, d.class_id, d.score, BoxTuple(d.box));
}

py::list KeypointList(const std::vector<Keypoint>& keypoints) {
  py::list list;
  for (const Keypoint& k : keypoints) list.append(py::make_tuple(k.name, k.x, k.y, k.score));
  return list;
}

// Runs `fn` (a task's Run) with the GIL released and the model's lock held.
template <typename Fn>
auto RunReleased(std::mutex& mutex, Fn&& fn) {
  py::gil_scoped_release release;
  std::lock_guard lock(mutex);
  return fn();
}

}  // namespace

py::list PyModel::Classify(const py::object& image, int top_k, float threshold, bool rgb) {
  if (top_k < 1) throw py::value_error("top_k: " + std::to_string(top_k) + " is below 1");
  // A file is decoded as `coralpi classify` decodes it: a JPEG at the smallest DCT scale that
  // still covers the input.
  PyImage in = ToImage(image, rgb, DecodeOptionsFor(session_->backend().input(0)));
  ClassifyOptions options;
  options.top_k = top_k;
  options.threshold = threshold;
  auto result = RunReleased(mutex_, [&]() -> Result<ClassifyResult> {
    ResetPreprocess();
    CORALPI_ASSIGN_OR_RETURN(ClassifyTask task, ClassifyTask::Create(*session_, options));
    return task.Run(in.image, in.name);
  });
  const ClassifyResult r = ValueOrThrow(std::move(result));
  py::list list;
  const Labels* labels = session_->labels();
  for (const Class& c : r.classes) {
    py::object label = labels ? py::object(py::str(labels->Get(c.id))) : py::none();
    list.append(py::make_tuple(c.id, c.score, label));
  }
  return list;
}

py::list PyModel::Detect(const py::object& image, std::optional<float> threshold, int max,
                         std::optional<float> iou, bool rgb) {
  if (max < 1) throw py::value_error("max: " + std::to_string(max) + " is below 1");
  PyImage in = ToImage(image, rgb);
  DetectOptions options;
  options.threshold = threshold;
  options.max_detections = max;
  options.iou = iou;
  auto result = RunReleased(mutex_, [&]() -> Result<DetectResult> {
    ResetPreprocess();
    CORALPI_ASSIGN_OR_RETURN(DetectionTask task, DetectionTask::Create(*session_, options));
    return task.Run(in.image, in.name);
  });
  const DetectResult r = ValueOrThrow(std::move(result));
  py::list list;
  for (const Detection& d : r.detections) list.append(DetectionTuple(d));
  return list;
}

py::tuple PyModel::Segment(const py::object& image, bool rgb) {
  PyImage in = ToImage(image, rgb);
  auto result = RunReleased(mutex_, [&]() -> Result<SegmentResult> {
    ResetPreprocess();
    CORALPI_ASSIGN_OR_RETURN(SegmentTask task, SegmentTask::Create(*session_, SegmentOptions{}));
    return task.Run(in.image, in.name);
  });
  const SegmentResult r = ValueOrThrow(std::move(result));
  const SegmentationMap& map = r.map;
  py::array_t<int32_t> classes({map.height, map.width});
  std::memcpy(classes.mutable_data(), map.classes.data(), map.classes.size() * sizeof(int32_t));
  // The classes with pixels, most first, without the pixels of no class (as the CLI counts).
  const double total = static_cast<double>(map.width) * map.height;
  py::list counts;
  for (const ClassCount& c : CountClasses(map)) {
    if (c.class_id == kNoClass) continue;
    counts.append(py::make_tuple(c.class_id, session_->Label(c.class_id), c.pixels,
                                 static_cast<double>(c.pixels) / total));
  }
  py::list objects;
  for (const Instance& i : r.instances) {
    const Detection& d = i.detection;
    objects.append(py::make_tuple(d.label, d.class_id, d.score, BoxTuple(d.box), i.pixels));
  }
  return py::make_tuple(classes, counts, objects);
}

py::list PyModel::Pose(const py::object& image, bool rgb) {
  PyImage in = ToImage(image, rgb);
  auto result = RunReleased(mutex_, [&]() -> Result<PoseResult> {
    ResetPreprocess();
    CORALPI_ASSIGN_OR_RETURN(PoseTask task, PoseTask::Create(*session_, PoseOptions{}));
    return task.Run(in.image, in.name);
  });
  const PoseResult r = ValueOrThrow(std::move(result));
  py::list people;
  for (const PersonPose& p : r.people) {
    const Detection& d = p.detection;
    people.append(py::make_tuple(d.label, d.score, BoxTuple(d.box), KeypointList(p.keypoints)));
  }
  return people;
}

}  // namespace coralpi::python
