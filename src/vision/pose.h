// Single-person pose: the 17 COCO keypoints of MoveNet out of its output [1, 1, 17, 3] (per
// keypoint y, x, score; y and x normalized to the model's input), in pixels of the original
// image, and the skeleton that joins them.
#pragma once

#include <array>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "vision/preprocess.h"

namespace coralpi {

inline constexpr int kPoseKeypoints = 17;

struct Keypoint {
  std::string name;  // "nose", "left_eye", ... (KeypointNames)
  float x = 0.0f;    // pixels of the original image, clamped to it
  float y = 0.0f;
  float score = 0.0f;
  bool operator==(const Keypoint&) const = default;
};
std::string ToString(const Keypoint& k);

// The keypoints in MoveNet's (and COCO's) order: nose, left_eye, right_eye, left_ear,
// right_ear, left_shoulder, right_shoulder, left_elbow, right_elbow, left_wrist, right_wrist,
// left_hip, right_hip, left_knee, right_knee, left_ankle, right_ankle.
const std::array<const char*, kPoseKeypoints>& KeypointNames();

// The skeleton's bones as pairs of keypoint indices (face, arms, torso, legs).
std::span<const std::pair<int, int>> SkeletonEdges();

// 17 rows of (y, x, score), normalized to the model's input -> keypoints in image pixels.
// Errors: not 51 values.
Result<std::vector<Keypoint>> DecodePose(std::span<const float> yx_score,
                                         const InputTransform& transform);

// The same from a pose output ([1, 1, 17, 3], float32 or quantized). Errors name the shape.
Result<std::vector<Keypoint>> ReadPose(const TensorView& output, const InputTransform& transform);

}  // namespace coralpi
