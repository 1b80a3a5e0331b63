// Small generated models shaped like real detection, segmentation and pose models, built from
// operators the CPU engine runs today, so the commands are tested end to end without real
// models. Their outputs are known by construction.
#pragma once

#include <cstdint>
#include <vector>

namespace coralpi::testing {

// float [1, 16, 16, 3] -> four FULLY_CONNECTED with zero weights whose biases are the outputs:
// three detections (ymin, xmin, ymax, xmax normalized; class; score), count 3:
//   (0.1, 0.1, 0.5, 0.4) class 0 score 0.9; (0.5, 0.5, 0.9, 0.9) class 2 score 0.6;
//   (0.2, 0.6, 0.3, 0.8) class 1 score 0.2.
// `tf2_order`: outputs scores, boxes, count, classes named StatefulPartitionedCall:1, :3, :0,
// :2 (TF2 / EfficientDet-Lite); else boxes, classes, scores, count named detection_boxes, ...
std::vector<uint8_t> BuildFakeDetector(bool tf2_order);

// float [1, 8, 8, 3] -> CONV_2D 1x1 -> float [1, 8, 8, 2] scores: class 0 scores the red
// channel, class 1 the green one.
std::vector<uint8_t> BuildFakeSegmenter();

// float [1, 16, 16, 3] -> FULLY_CONNECTED (zero weights) -> float [1, 1, 17, 3]: keypoint i at
// y = 0.1 + 0.04 i, x = 0.2 + 0.03 i, score 0.9 for even i and 0.1 for odd i.
std::vector<uint8_t> BuildFakePoseModel();

}  // namespace coralpi::testing
