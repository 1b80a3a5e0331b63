// coralpi detect: objects in each image (class, label, score, box in image pixels), from a
// detector that ends in TensorFlow Lite's post-process operator, and optionally the picture.
#include <cstdio>

#include "command.h"
#include "vision/detection_decoder.h"
#include "vision/drawing.h"
#include "vision_command.h"

namespace coralpi::cli {
namespace {

struct DetectFlags {
  VisionFlags vision;
  float threshold = 0.5f;
  int max = 100;
};

nlohmann::json ToJson(const Detection& d) {
  return {
      {"class_id", d.class_id},
      {"label", d.label},
      {"score", d.score},
      {"box",
       {{"xmin", d.box.xmin}, {"ymin", d.box.ymin}, {"xmax", d.box.xmax}, {"ymax", d.box.ymax}}}};
}

void PrintText(const std::string& path, const Inference& r, const std::vector<Detection>& dets) {
  std::printf("%s (%dx%d): %zu object%s\n", path.c_str(), r.image.width, r.image.height,
              dets.size(), dets.size() == 1 ? "" : "s");
  for (const Detection& d : dets) {
    std::printf("  %-28s %5.2f  x %.0f-%.0f, y %.0f-%.0f  (id %d)\n", d.label.c_str(), d.score,
                d.box.xmin, d.box.xmax, d.box.ymin, d.box.ymax, d.class_id);
  }
  std::printf("  %s\n", TimeText(r).c_str());
}

// The label file must name every class the detector knows, when the model says how many.
Status CheckLabels(const VisionSession& s, int offset) {
  std::optional<int> classes = DetectorClassCount(*s.model.model);
  if (!s.labels || !classes) return OkStatus();
  return s.labels->CheckCovers(static_cast<size_t>(*classes + offset));
}

Result<ImageFn> Prepare(const DetectFlags& f, VisionSession& s) {
  auto where = FindDetectionOutputs(DescribeOutputs(*s.model.model));
  if (!where.ok()) return WithContext(f.vision.engine.model, where.error());
  DetectionOptions opt;
  opt.threshold = f.threshold;
  opt.max_detections = f.max;
  opt.label_offset = s.labels ? DetectionLabelOffset(*s.labels) : 0;
  CORALPI_RETURN_IF_ERROR(CheckLabels(s, opt.label_offset));
  return ImageFn([&f, &s, where = *where, opt](DecodedImage decoded) -> Result<nlohmann::json> {
    const std::string path = decoded.path;
    CORALPI_ASSIGN_OR_RETURN(Inference r, RunImage(s, std::move(decoded), FitMode(f.vision)));
    auto dets = ReadDetections(s.backend(), where, r.transform, s.labels_or_null(), opt);
    if (!dets.ok()) return WithContext(f.vision.engine.model, dets.error());
    if (!f.vision.json) PrintText(path, r, *dets);
    CORALPI_RETURN_IF_ERROR(WritePicture(f.vision, [&] { return DrawDetections(r.image, *dets); }));
    nlohmann::json list = nlohmann::json::array();
    for (const Detection& d : *dets) list.push_back(ToJson(d));
    return ImageJson(path, r, "detections", std::move(list));
  });
}

}  // namespace

RunFn AddDetectCommand(CLI::App& sub) {
  auto f = std::make_shared<DetectFlags>();
  AddVisionFlags(sub, f->vision, /*labels=*/true, /*letterbox=*/true);
  sub.add_option("--threshold", f->threshold, "Lowest score of an object to report")
      ->check(CLI::Range(0.0f, 1.0f))
      ->capture_default_str();
  sub.add_option("--max,--top", f->max, "Most objects to report per image")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  return VisionRun(f, Prepare);
}

}  // namespace coralpi::cli
