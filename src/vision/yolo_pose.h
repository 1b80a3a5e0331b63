// YOLO pose heads (Ultralytics YOLOv8/YOLO11 pose exports): several people per image out of one
// output [1, 4 + 1 + 3K, N]: per anchor a box (cx, cy, w, h), one person score, then K keypoints
// as x, y, visibility. Keypoints are in the boxes' units (normalized or input pixels); the
// visibility is taken as stored, dequantized (Ultralytics' exported head applies the sigmoid).
// People are the anchors whose score reaches the threshold, after NMS; results are in pixels of
// the model's input, as the detection decoders' (yolo_decode.h).
#pragma once

#include <vector>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "vision/detection.h"
#include "vision/nms.h"
#include "vision/pose.h"
#include "vision/yolo_decode.h"

namespace coralpi {

struct PersonPose {
  Detection detection;              // class 0 ("person", or label 0), box and score
  std::vector<Keypoint> keypoints;  // K, in input pixels; named as KeypointNames when K is 17
};

// The people of a pose output with `keypoints` (K) keypoints each, best first.
// Errors: a shape other than [1, 5 + 3K, N], or what FindYoloCandidates refuses.
Result<std::vector<PersonPose>> DecodeYoloPose(const TensorView& output, int keypoints,
                                               const YoloOptions& options, const NmsOptions& nms);

}  // namespace coralpi
