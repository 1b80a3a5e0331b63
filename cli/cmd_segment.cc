// coralpi segment: the class of every pixel of each image, as per-class pixel counts (DeepLab),
// or a YOLO segmentation model's objects with one mask each, and optionally the picture with a
// translucent class overlay, its legend and, for objects, their boxes.
#include <cstdio>

#include "command.h"
#include "task/segment_task.h"
#include "vision/detection_json.h"
#include "vision/drawing.h"
#include "vision_command.h"

namespace coralpi::cli {
namespace {

struct SegmentFlags {
  VisionFlags vision;
  float opacity = 0.5f;
  std::optional<float> threshold;
  int max = 100;
};

double Percent(int64_t pixels, const Inference& r) {
  return 100.0 * static_cast<double>(pixels) /
         (static_cast<double>(r.image.width) * r.image.height);
}

// The classes with pixels, most first, leaving out the pixels of no class.
std::vector<ClassCount> Counts(const SegmentationMap& map) {
  std::vector<ClassCount> counts = CountClasses(map);
  std::erase_if(counts, [](const ClassCount& c) { return c.class_id == kNoClass; });
  return counts;
}

void PrintText(const std::string& path, const Inference& r, const std::vector<ClassCount>& counts,
               const SegmentResult& result, const VisionSession& s) {
  std::printf("%s (%dx%d): %zu class%s\n", path.c_str(), r.image.width, r.image.height,
              counts.size(), counts.size() == 1 ? "" : "es");
  for (const ClassCount& c : counts) {
    std::printf("  %-20s %5.1f%%  %9lld pixels  (id %d)\n", s.Label(c.class_id).c_str(),
                Percent(c.pixels, r), static_cast<long long>(c.pixels), c.class_id);
  }
  if (!result.instances.empty()) {
    std::printf("  %zu object%s\n", result.instances.size(),
                result.instances.size() == 1 ? "" : "s");
  }
  for (const Instance& i : result.instances) {
    const Detection& d = i.detection;
    std::printf("    %-26s %5.2f  x %.0f-%.0f, y %.0f-%.0f  %lld pixels\n", d.label.c_str(),
                d.score, d.box.xmin, d.box.xmax, d.box.ymin, d.box.ymax,
                static_cast<long long>(i.pixels));
  }
  std::printf("  %s\n", TimeText(r).c_str());
}

Result<Image> Draw(const SegmentFlags& f, const VisionSession& s, const SegmentTask& task,
                   const Inference& r, const SegmentResult& result,
                   const std::vector<ClassCount>& counts) {
  std::vector<LegendEntry> legend;
  for (const ClassCount& c : counts) {
    if (c.class_id == task.background()) continue;
    char pct[32];
    std::snprintf(pct, sizeof pct, " %.1f%%", Percent(c.pixels, r));
    legend.push_back({c.class_id, s.Label(c.class_id) + pct});
  }
  CORALPI_ASSIGN_OR_RETURN(
      Image out, DrawSegmentation(r.image, result.map, legend, task.background(), f.opacity));
  if (result.instances.empty()) return out;
  std::vector<Detection> dets;
  for (const Instance& i : result.instances) dets.push_back(i.detection);
  return DrawDetections(out, dets);
}

nlohmann::json ToJson(const std::string& path, const Inference& r,
                      const std::vector<ClassCount>& counts, const SegmentResult& result,
                      const VisionSession& s, bool objects) {
  nlohmann::json classes = nlohmann::json::array();
  for (const ClassCount& c : counts) {
    classes.push_back({{"class_id", c.class_id},
                       {"label", s.Label(c.class_id)},
                       {"pixels", c.pixels},
                       {"fraction", Percent(c.pixels, r) / 100.0}});
  }
  nlohmann::json j = ImageJson(path, r, "classes", std::move(classes));
  if (objects) {
    nlohmann::json objects = nlohmann::json::array();
    for (const Instance& i : result.instances) {
      nlohmann::json o(DetectionJson(i.detection));
      o["pixels"] = i.pixels;
      objects.push_back(std::move(o));
    }
    j["objects"] = std::move(objects);
  }
  return j;
}

Result<ImageFn> Prepare(const SegmentFlags& f, VisionSession& s) {
  SegmentOptions opt;
  opt.threshold = f.threshold;
  opt.max_instances = f.max;
  CORALPI_ASSIGN_OR_RETURN(SegmentTask task, SegmentTask::Create(*s.task, opt));
  if (!f.vision.json && task.kind() == SegmentHeadKind::kYoloInstances) {
    std::printf("head: YOLO instance segmentation, letterbox\n");
  }
  return ImageFn([&f, &s, task](DecodedImage decoded) mutable -> Result<nlohmann::json> {
    const std::string path = decoded.path;
    CORALPI_ASSIGN_OR_RETURN(auto ran, RunTask(task, std::move(decoded)));
    const Inference& r = ran.inference;
    const SegmentResult& result = ran.result;
    std::vector<ClassCount> counts = Counts(result.map);
    if (!f.vision.json) PrintText(path, r, counts, result, s);
    CORALPI_RETURN_IF_ERROR(
        WritePicture(f.vision, [&] { return Draw(f, s, task, r, result, counts); }));
    return ToJson(path, r, counts, result, s, task.kind() == SegmentHeadKind::kYoloInstances);
  });
}

}  // namespace

RunFn AddSegmentCommand(CLI::App& sub) {
  auto f = std::make_shared<SegmentFlags>();
  AddVisionFlags(sub, f->vision, /*labels=*/true, /*letterbox=*/true);
  sub.add_option("--opacity", f->opacity, "Opacity of the class overlay in the picture")
      ->check(CLI::Range(0.0f, 1.0f))
      ->capture_default_str();
  sub.add_option("--threshold", f->threshold,
                 "YOLO segmentation: lowest score of an object to report (default 0.25)")
      ->check(CLI::Range(0.0f, 1.0f));
  sub.add_option("--max", f->max, "YOLO segmentation: most objects to report per image")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  return VisionRun(f, Prepare);
}

}  // namespace coralpi::cli
