// Pose estimation on a TaskSession: MoveNet single-pose ([1, 1, 17, 3]: one person) or an
// Ultralytics YOLO pose head ([1, 4 + 1 + 3K, N]: several people, each a box, a score and K
// keypoints; K from the metadata's kpt_shape, else from the rows). People come back best first,
// keypoints and boxes in pixels of the image.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "task/task_session.h"
#include "vision/yolo_pose.h"

namespace coralpi {

enum class PoseHeadKind { kMoveNet, kYolo };

struct PoseOptions {
  std::optional<float> threshold;  // YOLO: lowest person score; unset: 0.25
  int max_people = 100;            // YOLO
  std::optional<float> iou;        // YOLO NMS; unset: 0.7
};

struct PoseResult {
  ImageRun run;
  // MoveNet: one person, its box the keypoints' bounds and its score their mean.
  std::vector<PersonPose> people;
  double decode_ms = 0;
};

class PoseTask {
 public:
  // Finds the head and sets the session's preprocessing (Ultralytics' for YOLO). Errors name the
  // model and list what was expected.
  static Result<PoseTask> Create(TaskSession& session, const PoseOptions& options);

  PoseHeadKind kind() const { return kind_; }
  int keypoints() const { return keypoints_; }
  // `image_name` names the image in errors about it.
  Result<PoseResult> Run(const Image& image, const std::string& image_name = "image");

 private:
  PoseTask(TaskSession& session, PoseOptions options) : session_(&session), options_(options) {}
  Result<std::vector<PersonPose>> Decode(const InputTransform& transform);
  Result<std::vector<PersonPose>> DecodeYolo(const InputTransform& transform);

  TaskSession* session_;
  PoseOptions options_;
  PoseHeadKind kind_ = PoseHeadKind::kMoveNet;
  int keypoints_ = 17;
};

}  // namespace coralpi
