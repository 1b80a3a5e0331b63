// coralpi classify: top classes of each image (a folder stands for its images), with the time
// spent in each phase, and optionally the picture with its top labels.
#include <cstdio>
#include <optional>

#include "command.h"
#include "task/classify_task.h"
#include "vision/classification.h"
#include "vision/drawing.h"
#include "vision_command.h"

namespace coralpi::cli {
namespace {

struct ClassifyFlags {
  VisionFlags vision;
  int top_k = 5;
  float threshold = 0.0f;
  bool crop = false;
};

void PrintText(const std::string& path, const Inference& r, const std::vector<Class>& classes,
               const VisionSession& s) {
  std::printf("%s\n", path.c_str());
  int rank = 1;
  for (const Class& c : classes) {
    std::printf("  %d. %-30s %8.5f  (id %d)\n", rank++, s.Label(c.id).c_str(), c.score, c.id);
  }
  if (classes.empty()) std::printf("  (no class at or above the threshold)\n");
  std::printf("  %s\n", TimeText(r).c_str());
}

Result<Image> Draw(const Inference& r, const std::vector<Class>& classes, const VisionSession& s) {
  std::vector<std::string> lines;
  for (size_t i = 0; i < classes.size(); ++i) {
    char score[32];
    std::snprintf(score, sizeof score, " %.3f", classes[i].score);
    lines.push_back(std::to_string(i + 1) + ". " + s.Label(classes[i].id) + score);
  }
  if (lines.empty()) lines.push_back("no class at or above the threshold");
  return DrawTextBand(r.image, lines);
}

nlohmann::json ToJson(const std::string& path, const Inference& r,
                      const std::vector<Class>& classes, const VisionSession& s) {
  nlohmann::json list = nlohmann::json::array();
  for (const Class& c : classes) {
    nlohmann::json j = {{"id", c.id}, {"score", c.score}};
    if (s.labels()) j["label"] = s.labels()->Get(c.id);
    list.push_back(j);
  }
  return {{"image", path}, {"classes", list}, {"time_ms", TimeJson(r)}};
}

Result<ImageFn> Prepare(const ClassifyFlags& f, VisionSession& s) {
  ClassifyOptions opt;
  opt.top_k = f.top_k;
  opt.threshold = f.threshold;
  opt.crop = f.crop;
  CORALPI_ASSIGN_OR_RETURN(ClassifyTask task, ClassifyTask::Create(*s.task, opt));
  // A picture shows the image at its own size; otherwise a JPEG may be decoded smaller.
  s.full_size = !f.vision.out.empty();
  return ImageFn([&f, &s, task](DecodedImage decoded) mutable -> Result<nlohmann::json> {
    const std::string path = decoded.path;
    CORALPI_ASSIGN_OR_RETURN(auto ran, RunTask(task, std::move(decoded)));
    const Inference& r = ran.inference;
    const std::vector<Class>& classes = ran.result.classes;
    if (!f.vision.json) PrintText(path, r, classes, s);
    CORALPI_RETURN_IF_ERROR(WritePicture(f.vision, [&] { return Draw(r, classes, s); }));
    return ToJson(path, r, classes, s);
  });
}

}  // namespace

RunFn AddClassifyCommand(CLI::App& sub) {
  auto f = std::make_shared<ClassifyFlags>();
  AddVisionFlags(sub, f->vision, /*labels=*/true, /*letterbox=*/false);
  sub.add_option("-k,--top-k", f->top_k, "How many classes to print")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  sub.add_option("--threshold", f->threshold, "Lowest score to print")->capture_default_str();
  sub.add_flag("--crop", f->crop, "Centre-crop to the model's aspect ratio before resizing");
  return VisionRun(f, Prepare);
}

}  // namespace coralpi::cli
