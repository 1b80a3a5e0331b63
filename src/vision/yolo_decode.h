// YOLO detection heads (Ultralytics exports): candidates out of the raw output tensor, then NMS.
//
// Two layouts (Ultralytics' documented output shapes):
//   kV5  [1, N, 5 + C]  YOLOv5: per anchor cx, cy, w, h, objectness, C class scores;
//                       score = objectness x class score.
//   kV8  [1, 4 + C, N]  YOLOv8, YOLO11, YOLOv5u: one row per attribute over the N anchors:
//                       cx, cy, w, h, C class scores; score = class score.
// Pose and segmentation heads extend kV8 with rows after the classes (yolo_pose.h,
// yolo_segment.h). Each anchor gives at most one candidate, its best class (ties: the lower id),
// as Ultralytics' predict does.
//
// Boxes are centre and size, normalized to the input (0..1) or in input pixels (BoxUnits;
// GuessBoxUnits tells from the values). Results are in pixels of the model's input; mapping them
// to the original image (letterbox) is the caller's next step.
//
// Quantized outputs (uint8, int8; one scale and zero point per tensor) are read as stored: the
// score threshold becomes the smallest stored value whose real value reaches it, so the
// N x C class scores are compared as bytes and only candidates are dequantized.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "vision/classification.h"
#include "vision/detection.h"
#include "vision/nms.h"

namespace coralpi {

enum class YoloLayout { kV5, kV8 };
enum class BoxUnits { kNormalized, kInputPixels };

// The IoU thresholds the families' own tools use: 0.45 for YOLOv5, 0.7 for YOLOv8 and later.
float DefaultYoloIou(YoloLayout layout);

struct YoloOptions {
  int input_width = 0;  // the model's input in pixels: normalized boxes are scaled by it
  int input_height = 0;
  BoxUnits units = BoxUnits::kNormalized;
  float score_threshold = 0.25f;   // lowest score kept
  int classes = 0;  // C for DecodeYolo; 0: every attribute after the box (and objectness)
  const Labels* labels = nullptr;  // names of class ids; null: "class <id>"
};

// Candidates above the threshold in anchor order: box in input pixels, no label yet.
struct YoloCandidates {
  std::vector<Detection> detections;
  std::vector<int32_t> anchors;  // the anchor (column of kV8, row of kV5) of each
};

// The candidates of `output`. `classes` is C; 0 means every attribute after the box (and
// objectness). Attributes after the classes are ignored. Errors name the shape or type.
Result<YoloCandidates> FindYoloCandidates(const TensorView& output, YoloLayout layout, int classes,
                                          const YoloOptions& options);

// Candidates, NMS, labels: the detections kept, best first.
Result<std::vector<Detection>> DecodeYolo(const TensorView& output, YoloLayout layout,
                                          const YoloOptions& options, const NmsOptions& nms);

// kNormalized when no box coordinate (dequantized) exceeds 2, else kInputPixels: normalized
// centres and sizes stay near 0..1, pixel ones reach the input's size.
Result<BoxUnits> GuessBoxUnits(const TensorView& output, YoloLayout layout);

// Attribute `attr` of anchor `anchor`, dequantized; for outputs FindYoloCandidates accepted.
float YoloValue(const TensorView& output, YoloLayout layout, int attr, int anchor);

// A centre-size box in `units` -> corners in input pixels.
BoundingBox YoloBox(float cx, float cy, float w, float h, const YoloOptions& options);

// The label of a class id: from options.labels, or "class <id>".
std::string YoloLabel(int32_t class_id, const YoloOptions& options);

}  // namespace coralpi
