// People and their keypoints from a YOLO pose output; see yolo_pose.h.
#include "vision/yolo_pose.h"

#include <string>

namespace coralpi {
namespace {

std::string KeypointName(int k, int count) {
  if (count == kPoseKeypoints) return KeypointNames()[static_cast<size_t>(k)];
  return "keypoint " + std::to_string(k);
}

std::vector<Keypoint> ReadKeypoints(const TensorView& out, int anchor, int count,
                                    const YoloOptions& opt) {
  const bool normalized = opt.units == BoxUnits::kNormalized;
  const float sx = normalized ? static_cast<float>(opt.input_width) : 1.0f;
  const float sy = normalized ? static_cast<float>(opt.input_height) : 1.0f;
  std::vector<Keypoint> kps;
  for (int k = 0; k < count; ++k) {
    const int row = 5 + 3 * k;
    kps.push_back(Keypoint{KeypointName(k, count),
                           YoloValue(out, YoloLayout::kV8, row, anchor) * sx,
                           YoloValue(out, YoloLayout::kV8, row + 1, anchor) * sy,
                           YoloValue(out, YoloLayout::kV8, row + 2, anchor)});
  }
  return kps;
}

}  // namespace

Result<std::vector<PersonPose>> DecodeYoloPose(const TensorView& output, int keypoints,
                                               const YoloOptions& options, const NmsOptions& nms) {
  const int want = 5 + 3 * keypoints;
  if (keypoints < 1 || output.shape.size() != 3 || output.shape[1] != want) {
    return Error{"YOLO pose output: shape " + ShapeToString(output.shape) +
                 ": expected [1, 5 + 3 x " + std::to_string(keypoints) + " = " +
                 std::to_string(want) + ", N]"};
  }
  CORALPI_ASSIGN_OR_RETURN(YoloCandidates c,
                           FindYoloCandidates(output, YoloLayout::kV8, 1, options));
  std::vector<PersonPose> people;
  for (size_t i : NonMaxSuppression(c.detections, nms)) {
    PersonPose p{c.detections[i], ReadKeypoints(output, c.anchors[i], keypoints, options)};
    people.push_back(std::move(p));
  }
  for (PersonPose& p : people)
    p.detection.label = options.labels ? options.labels->Get(0) : "person";
  return people;
}

}  // namespace coralpi
