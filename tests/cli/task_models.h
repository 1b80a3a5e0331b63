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

// Raw YOLO heads (Ultralytics' layouts) from float [1, 16, 16, 3], whatever the image. Boxes are
// centre and size normalized to the input.
// YOLOv8 detect [1, 6, 8]: 2 classes, 8 anchors; anchor 0: box (0.5, 0.5, 0.5, 0.25) class 0
// score 0.9; anchor 1: the box moved to x 0.52 (IoU 0.92 with anchor 0's), class 0 score 0.8;
// anchor 2: box (0.25, 0.5, 0.2, 0.2) class 1 score 0.7; the rest score 0. `names`: an
// Ultralytics metadata.json zip appended naming the classes "cat" and "dog".
std::vector<uint8_t> BuildFakeYoloV8(bool names);
// YOLOv5 [1, 8, 7] (8 anchors, 2 classes): the same three boxes, objectness 1 and the scores
// above as class scores.
std::vector<uint8_t> BuildFakeYoloV5();
// YOLO pose [1, 56, 64] with metadata (task pose, kpt_shape [17, 3]): anchor 0 a person at box
// (0.5, 0.5, 0.5, 0.25) score 0.9, keypoint k at x 0.3 + 0.02 k, y 0.45, visibility 0.9.
std::vector<uint8_t> BuildFakeYoloPose();
// YOLO segmentation [1, 7, 8] (1 class, 2 mask coefficients) and prototypes [1, 4, 4, 2]:
// anchor 0 an object at box (0.5, 0.5, 0.5, 0.25) score 0.9, coefficients (1, 0); prototype 0
// is 1 everywhere (the mask fills the box), prototype 1 is -1.
std::vector<uint8_t> BuildFakeYoloSegmenter();

}  // namespace coralpi::testing
