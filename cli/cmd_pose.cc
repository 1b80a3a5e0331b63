// coralpi pose: the 17 keypoints of the person in each image (MoveNet single-pose), in image
// pixels with their scores, and optionally the picture with the skeleton.
#include <cstdio>

#include "command.h"
#include "vision/drawing.h"
#include "vision/pose.h"
#include "vision_command.h"

namespace coralpi::cli {
namespace {

struct PoseFlags {
  VisionFlags vision;
  float threshold = 0.3f;
};

void PrintText(const std::string& path, const Inference& r, const std::vector<Keypoint>& kps,
               float threshold) {
  std::printf("%s (%dx%d): %zu keypoints\n", path.c_str(), r.image.width, r.image.height,
              kps.size());
  for (const Keypoint& k : kps) {
    std::printf("  %-15s x %6.1f  y %6.1f  score %.2f%s\n", k.name.c_str(), k.x, k.y, k.score,
                k.score < threshold ? "  (below the threshold)" : "");
  }
  std::printf("  %s\n", TimeText(r).c_str());
}

Result<ImageFn> Prepare(const PoseFlags& f, VisionSession& s) {
  return ImageFn([&f, &s](DecodedImage decoded) -> Result<nlohmann::json> {
    const std::string path = decoded.path;
    CORALPI_ASSIGN_OR_RETURN(Inference r, RunImage(s, std::move(decoded)));
    auto kps = ReadPose(s.backend().output(0), r.transform);
    if (!kps.ok()) return WithContext(f.vision.engine.model, kps.error());
    if (!f.vision.json) PrintText(path, r, *kps, f.threshold);
    CORALPI_RETURN_IF_ERROR(
        WritePicture(f.vision, [&] { return DrawPose(r.image, *kps, f.threshold); }));
    nlohmann::json list = nlohmann::json::array();
    for (const Keypoint& k : *kps) {
      list.push_back({{"name", k.name}, {"x", k.x}, {"y", k.y}, {"score", k.score}});
    }
    return ImageJson(path, r, "keypoints", std::move(list));
  });
}

}  // namespace

RunFn AddPoseCommand(CLI::App& sub) {
  auto f = std::make_shared<PoseFlags>();
  AddVisionFlags(sub, f->vision, /*labels=*/false, /*letterbox=*/true);
  sub.add_option("--threshold", f->threshold, "Lowest keypoint score drawn in the picture")
      ->check(CLI::Range(0.0f, 1.0f))
      ->capture_default_str();
  return VisionRun(f, Prepare);
}

}  // namespace coralpi::cli
