// coralpi segment: the class of every pixel of each image, as per-class pixel counts, and
// optionally the picture with a translucent class overlay and its legend.
#include <strings.h>

#include <cstdio>

#include "command.h"
#include "vision/drawing.h"
#include "vision/segmentation.h"
#include "vision_command.h"

namespace coralpi::cli {
namespace {

struct SegmentFlags {
  VisionFlags vision;
  float opacity = 0.5f;
};

// The class left uncoloured: the one labelled "background", or class 0 without labels.
int32_t BackgroundClass(const VisionSession& s) {
  const Labels* labels = s.labels();
  if (!labels) return 0;
  for (int32_t id = 0; id < static_cast<int32_t>(labels->size()); ++id) {
    if (labels->Has(id) && ::strcasecmp(labels->Get(id).c_str(), "background") == 0) return id;
  }
  return -1;
}

double Percent(const ClassCount& c, const Inference& r) {
  return 100.0 * static_cast<double>(c.pixels) /
         (static_cast<double>(r.image.width) * r.image.height);
}

void PrintText(const std::string& path, const Inference& r, const std::vector<ClassCount>& counts,
               const VisionSession& s) {
  std::printf("%s (%dx%d): %zu class%s\n", path.c_str(), r.image.width, r.image.height,
              counts.size(), counts.size() == 1 ? "" : "es");
  for (const ClassCount& c : counts) {
    std::printf("  %-20s %5.1f%%  %9lld pixels  (id %d)\n", s.Label(c.class_id).c_str(),
                Percent(c, r), static_cast<long long>(c.pixels), c.class_id);
  }
  std::printf("  %s\n", TimeText(r).c_str());
}

Result<Image> Draw(const SegmentFlags& f, const VisionSession& s, const Inference& r,
                   const SegmentationMap& map, const std::vector<ClassCount>& counts) {
  const int32_t background = BackgroundClass(s);
  std::vector<LegendEntry> legend;
  for (const ClassCount& c : counts) {
    if (c.class_id == background) continue;
    char pct[32];
    std::snprintf(pct, sizeof pct, " %.1f%%", Percent(c, r));
    legend.push_back({c.class_id, s.Label(c.class_id) + pct});
  }
  return DrawSegmentation(r.image, map, legend, background, f.opacity);
}

Result<ImageFn> Prepare(const SegmentFlags& f, VisionSession& s) {
  if (s.labels()) {
    int classes = SegmentationClassCount(s.backend().output(0));
    if (classes > 0) CORALPI_RETURN_IF_ERROR(s.labels()->CheckCovers(static_cast<size_t>(classes)));
  }
  return ImageFn([&f, &s](DecodedImage decoded) -> Result<nlohmann::json> {
    const std::string path = decoded.path;
    CORALPI_ASSIGN_OR_RETURN(Inference r, RunImage(s, std::move(decoded)));
    auto model_map = ReadSegmentation(s.backend().output(0));
    if (!model_map.ok()) return WithContext(f.vision.engine.model, model_map.error());
    SegmentationMap map = MapToImage(*model_map, r.transform);
    std::vector<ClassCount> counts = CountClasses(map);
    if (!f.vision.json) PrintText(path, r, counts, s);
    CORALPI_RETURN_IF_ERROR(WritePicture(f.vision, [&] { return Draw(f, s, r, map, counts); }));
    nlohmann::json classes = nlohmann::json::array();
    for (const ClassCount& c : counts) {
      classes.push_back({{"class_id", c.class_id},
                         {"label", s.Label(c.class_id)},
                         {"pixels", c.pixels},
                         {"fraction", Percent(c, r) / 100.0}});
    }
    return ImageJson(path, r, "classes", std::move(classes));
  });
}

}  // namespace

RunFn AddSegmentCommand(CLI::App& sub) {
  auto f = std::make_shared<SegmentFlags>();
  AddVisionFlags(sub, f->vision, /*labels=*/true, /*letterbox=*/true);
  sub.add_option("--opacity", f->opacity, "Opacity of the class overlay in the picture")
      ->check(CLI::Range(0.0f, 1.0f))
      ->capture_default_str();
  return VisionRun(f, Prepare);
}

}  // namespace coralpi::cli
