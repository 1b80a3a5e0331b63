// coralpi detect: objects in each image (class, label, score, box in image pixels), from a
// detector with TensorFlow Lite's post-process operator (SSD, EfficientDet) or a raw YOLO head
// (Ultralytics' YOLOv5, YOLOv8, YOLO11 exports), and optionally the picture.
#include <cstdio>

#include "command.h"
#include "task/detection_task.h"
#include "vision/detection_json.h"
#include "vision/drawing.h"
#include "vision_command.h"

namespace coralpi::cli {
namespace {

struct DetectFlags {
  VisionFlags vision;
  std::optional<float> threshold;
  int max = 100;
  std::optional<float> iou;
  bool agnostic = false;
  std::string head = "auto";
};

void PrintText(const std::string& path, const Inference& r, const std::vector<Detection>& dets) {
  std::printf("%s (%dx%d): %zu object%s\n", path.c_str(), r.image.width, r.image.height,
              dets.size(), dets.size() == 1 ? "" : "s");
  for (const Detection& d : dets) {
    std::printf("  %-28s %5.2f  x %.0f-%.0f, y %.0f-%.0f  (id %d)\n", d.label.c_str(), d.score,
                d.box.xmin, d.box.xmax, d.box.ymin, d.box.ymax, d.class_id);
  }
  std::printf("  %s\n", TimeText(r).c_str());
}

void PrintHead(const DetectionTask& task, const VisionSession& s) {
  const DetectionHead& head = task.head();
  std::printf("head: %s (%s)", DetectionHeadName(head.kind), head.found_by.c_str());
  if (head.yolo()) {
    std::printf("; %d classes, score >= %.2f, IoU %.2f%s, letterbox", head.classes,
                task.threshold(), task.iou(),
                task.options().agnostic ? " across classes" : " per class");
  }
  if (!s.task->labels_source().empty()) std::printf("; labels from %s", s.task->labels_source().c_str());
  std::printf("\n");
}

Result<ImageFn> Prepare(const DetectFlags& f, VisionSession& s) {
  DetectOptions opt;
  opt.threshold = f.threshold;
  opt.max_detections = f.max;
  opt.iou = f.iou;
  opt.agnostic = f.agnostic;
  opt.head = f.head;
  CORALPI_ASSIGN_OR_RETURN(DetectionTask task, DetectionTask::Create(*s.task, opt));
  if (!f.vision.json) PrintHead(task, s);
  return ImageFn([&f, task = std::move(task)](DecodedImage decoded) mutable -> Result<nlohmann::json> {
    const std::string path = decoded.path;
    CORALPI_ASSIGN_OR_RETURN(auto ran, RunTask(task, std::move(decoded)));
    const Inference& r = ran.inference;
    const std::vector<Detection>& dets = ran.result.detections;
    if (!f.vision.json) PrintText(path, r, dets);
    CORALPI_RETURN_IF_ERROR(WritePicture(f.vision, [&] { return DrawDetections(r.image, dets); }));
    nlohmann::json list = nlohmann::json::array();
    for (const Detection& d : dets) list.push_back(nlohmann::json(DetectionJson(d)));
    return ImageJson(path, r, "detections", std::move(list));
  });
}

}  // namespace

RunFn AddDetectCommand(CLI::App& sub) {
  auto f = std::make_shared<DetectFlags>();
  AddVisionFlags(sub, f->vision, /*labels=*/true, /*letterbox=*/true);
  sub.add_option("--threshold", f->threshold,
                 "Lowest score of an object to report (default: 0.5; 0.25 for YOLO models)")
      ->check(CLI::Range(0.0f, 1.0f));
  sub.add_option("--max,--top", f->max, "Most objects to report per image")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  sub.add_option("--iou", f->iou,
                 "YOLO: overlap (IoU) above which a box is suppressed (default: 0.45 for YOLOv5, "
                 "0.7 for YOLOv8 and later)")
      ->check(CLI::Range(0.0f, 1.0f));
  sub.add_flag("--agnostic", f->agnostic, "YOLO: suppress overlapping boxes across classes");
  sub.add_option("--head", f->head,
                 "What kind of detector: auto (found from the outputs), ssd, yolov5, yolov8")
      ->check(CLI::IsMember({"auto", "ssd", "yolov5", "yolov8"}))
      ->capture_default_str();
  return VisionRun(f, Prepare);
}

}  // namespace coralpi::cli
