// MoveNet keypoints; see pose.h.
#include "vision/pose.h"

#include <algorithm>
#include <cstdio>

#include "vision/classification.h"

namespace coralpi {

std::string ToString(const Keypoint& k) {
  char buf[160];
  std::snprintf(buf, sizeof buf, "Keypoint{%s, x %.2f, y %.2f, score %.4f}", k.name.c_str(), k.x,
                k.y, k.score);
  return buf;
}

const std::array<const char*, kPoseKeypoints>& KeypointNames() {
  static const std::array<const char*, kPoseKeypoints> names = {
      "nose",           "left_eye",   "right_eye",   "left_ear",   "right_ear",   "left_shoulder",
      "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip",
      "right_hip",      "left_knee",  "right_knee",  "left_ankle", "right_ankle"};
  return names;
}

std::span<const std::pair<int, int>> SkeletonEdges() {
  static const std::pair<int, int> edges[] = {{0, 1},   {0, 2},   {1, 3},   {2, 4},     // face
                                              {5, 7},   {7, 9},   {6, 8},   {8, 10},    // arms
                                              {5, 6},   {5, 11},  {6, 12},  {11, 12},   // torso
                                              {11, 13}, {13, 15}, {12, 14}, {14, 16}};  // legs
  return edges;
}

Result<std::vector<Keypoint>> DecodePose(std::span<const float> v, const InputTransform& t) {
  if (v.size() != 3 * kPoseKeypoints) {
    return Error{"pose: " + std::to_string(v.size()) + " values; 17 keypoints need 51"};
  }
  std::vector<Keypoint> out;
  for (int i = 0; i < kPoseKeypoints; ++i) {
    const float* k = &v[static_cast<size_t>(3 * i)];
    Keypoint p;
    p.name = KeypointNames()[static_cast<size_t>(i)];
    p.y = std::clamp(t.NormalizedToImageY(k[0]), 0.0f, static_cast<float>(t.image_height));
    p.x = std::clamp(t.NormalizedToImageX(k[1]), 0.0f, static_cast<float>(t.image_width));
    p.score = k[2];
    out.push_back(std::move(p));
  }
  return out;
}

Result<std::vector<Keypoint>> ReadPose(const TensorView& output, const InputTransform& t) {
  const Shape& s = output.shape;
  if (s.size() != 4 || s[0] != 1 || s[1] != 1 || s[2] != kPoseKeypoints || s[3] != 3) {
    return Error{"the pose output is " + std::string(DataTypeName(output.type)) + " " +
                 ShapeToString(s) + "; expected MoveNet's [1, 1, 17, 3] (y, x, score)"};
  }
  CORALPI_ASSIGN_OR_RETURN(std::vector<float> values, OutputScores(output));
  return DecodePose(values, t);
}

}  // namespace coralpi
