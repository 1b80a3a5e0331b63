// coralpi pose: people's keypoints in each image, in image pixels with their scores: MoveNet's
// 17 keypoints of one person, or a YOLO pose model's people (a box, a score and their keypoints
// each), and optionally the picture with one skeleton per person.
#include <cstdio>

#include "command.h"
#include "task/pose_task.h"
#include "vision/detection_json.h"
#include "vision/drawing.h"
#include "vision_command.h"

namespace coralpi::cli {
namespace {

struct PoseFlags {
  VisionFlags vision;
  float threshold = 0.3f;
  std::optional<float> person_threshold;
  int max = 100;
};

void PrintKeypoints(const std::vector<Keypoint>& kps, float threshold, const char* indent) {
  for (const Keypoint& k : kps) {
    std::printf("%s%-15s x %6.1f  y %6.1f  score %.2f%s\n", indent, k.name.c_str(), k.x, k.y,
                k.score, k.score < threshold ? "  (below the threshold)" : "");
  }
}

void PrintText(const std::string& path, const Inference& r, const PoseTask& task,
               const std::vector<PersonPose>& people, float threshold) {
  if (task.kind() == PoseHeadKind::kMoveNet && people.size() == 1) {
    const auto& kps = people[0].keypoints;
    std::printf("%s (%dx%d): %zu keypoints\n", path.c_str(), r.image.width, r.image.height,
                kps.size());
    PrintKeypoints(kps, threshold, "  ");
  } else {
    std::printf("%s (%dx%d): %zu %s\n", path.c_str(), r.image.width, r.image.height,
                people.size(), people.size() == 1 ? "person" : "people");
    for (const PersonPose& p : people) {
      const Detection& d = p.detection;
      std::printf("  %s %.2f  x %.0f-%.0f, y %.0f-%.0f\n", d.label.c_str(), d.score, d.box.xmin,
                  d.box.xmax, d.box.ymin, d.box.ymax);
      PrintKeypoints(p.keypoints, threshold, "    ");
    }
  }
  std::printf("  %s\n", TimeText(r).c_str());
}

nlohmann::json KeypointsJson(const std::vector<Keypoint>& kps) {
  nlohmann::json list = nlohmann::json::array();
  for (const Keypoint& k : kps) {
    list.push_back({{"name", k.name}, {"x", k.x}, {"y", k.y}, {"score", k.score}});
  }
  return list;
}

Result<Image> Draw(const Image& image, const std::vector<PersonPose>& people, float threshold,
                   bool boxes) {
  Image out = image;
  for (const PersonPose& p : people) {
    CORALPI_ASSIGN_OR_RETURN(out, DrawPose(out, p.keypoints, threshold));
  }
  if (!boxes) return out;
  std::vector<Detection> dets;
  for (const PersonPose& p : people) dets.push_back(p.detection);
  return DrawDetections(out, dets);
}

Result<ImageFn> Prepare(const PoseFlags& f, VisionSession& s) {
  PoseOptions opt;
  opt.threshold = f.person_threshold;
  opt.max_people = f.max;
  CORALPI_ASSIGN_OR_RETURN(PoseTask task, PoseTask::Create(*s.task, opt));
  if (!f.vision.json && task.kind() == PoseHeadKind::kYolo) {
    std::printf("head: YOLO pose, %d keypoints, letterbox\n", task.keypoints());
  }
  return ImageFn([&f, task](DecodedImage decoded) mutable -> Result<nlohmann::json> {
    const std::string path = decoded.path;
    CORALPI_ASSIGN_OR_RETURN(auto ran, RunTask(task, std::move(decoded)));
    const Inference& r = ran.inference;
    const std::vector<PersonPose>& people = ran.result.people;
    if (!f.vision.json) PrintText(path, r, task, people, f.threshold);
    const bool yolo = task.kind() == PoseHeadKind::kYolo;
    CORALPI_RETURN_IF_ERROR(
        WritePicture(f.vision, [&] { return Draw(r.image, people, f.threshold, yolo); }));
    nlohmann::json list = nlohmann::json::array();
    for (const PersonPose& p : people) {
      nlohmann::json person(DetectionJson(p.detection));
      person["keypoints"] = KeypointsJson(p.keypoints);
      list.push_back(std::move(person));
    }
    nlohmann::json j = ImageJson(path, r, "people", std::move(list));
    // The first (MoveNet: the only) person's keypoints, as before there were several people.
    j["keypoints"] = people.empty() ? nlohmann::json::array() : KeypointsJson(people[0].keypoints);
    return j;
  });
}

}  // namespace

RunFn AddPoseCommand(CLI::App& sub) {
  auto f = std::make_shared<PoseFlags>();
  AddVisionFlags(sub, f->vision, /*labels=*/false, /*letterbox=*/true);
  sub.add_option("--threshold", f->threshold, "Lowest keypoint score drawn in the picture")
      ->check(CLI::Range(0.0f, 1.0f))
      ->capture_default_str();
  sub.add_option("--person-threshold", f->person_threshold,
                 "YOLO pose: lowest score of a person to report (default 0.25)")
      ->check(CLI::Range(0.0f, 1.0f));
  sub.add_option("--max", f->max, "YOLO pose: most people to report per image")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  return VisionRun(f, Prepare);
}

}  // namespace coralpi::cli
