// The SSD post-process (the custom operator TFLite_Detection_PostProcess) as plain functions over
// plain arrays: box decoding against anchors, intersection over union, greedy non-maximum
// suppression, and the two multi-class variants (fast and regular). The operator in
// ops/detection_postprocess.cc only dequantizes its inputs, calls these and copies the result
// into its four outputs, so the maths is testable without a model.
//
// Rules, as TensorFlow Lite's kernel (tensorflow/lite/kernels/detection_postprocess.cc, 2025)
// defines them; outputs equal to TensorFlow Lite's C library (2.19/2.21 master, one thread) on 400
// random generated models with uint8 and float inputs, many equal scores among them:
// * Decoding. An encoding (y, x, h, w) against its anchor (ya, xa, ha, wa) with the scales
//   (sy, sx, sh, sw), in double, each result rounded to float:
//       yc = y / sy * ha + ya;   xc = x / sx * wa + xa
//       hh = 0.5 * exp(h / sh) * ha;   hw = 0.5 * exp(w / sw) * wa
//   then, in float, ymin = yc - hh, xmin = xc - hw, ymax = yc + hh, xmax = xc + hw.
// * IoU. 0 when either box has area <= 0; else intersection / (area_a + area_b - intersection),
//   in float, the intersection's sides clamped at 0.
// * Greedy NMS over one score per box. Candidates are the boxes with score >= score_threshold;
//   they are sorted by decreasing score with a stable sort (ties: lower box index first). Walking
//   that order, each still-active candidate is selected and deactivates every later candidate
//   whose IoU with it is > iou_threshold, until max_detections are selected.
// * Fast NMS (use_regular_nms false). Each box's classes are ranked by decreasing score (the first
//   maximum when one class is kept; otherwise std::partial_sort over class indices, as TFLite
//   does) and its best score enters one greedy NMS with max_detections. Each selected box fills
//   max_classes_per_detection consecutive output slots with its top min(max_classes_per_detection,
//   num_classes) classes (the threshold applies to the best class only). count = selected boxes.
// * Regular NMS (use_regular_nms true). Greedy NMS per class, class by class, keeping
//   min(detections_per_class, max_detections) per class; the selections of all classes ordered by
//   decreasing score, ties in the order they were selected (lower class first, then the NMS
//   order), cut to max_detections. count = the number kept. (TFLite merges after each class with
//   std::inplace_merge when it runs on one thread; with several it merges per-thread lists, and
//   the order of equal scores may differ.)
// * Classes are reported without the background: class c is column c + offset of a score row,
//   offset = classes_with_background - num_classes (0 or 1).
// * Errors (TFLite's own checks): a decoded box with ymin > ymax or xmin > xmax, an IoU threshold
//   outside (0, 1], a negative max_detections, max_classes_per_detection or detections_per_class
//   below 1, a background offset other than 0 or 1.
// * Output slots not filled (fast NMS, or fewer detections than slots) are zero; TFLite leaves
//   the slots of fast NMS as they were.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/result.h"

namespace coralpi::reference {

// A box by centre and size, or the four scales that divide an encoding.
struct CenterSizeBox {
  float y = 0, x = 0, h = 0, w = 0;
};

// A box by its corners, in the anchors' (normalized) coordinates.
struct CornerBox {
  float ymin = 0, xmin = 0, ymax = 0, xmax = 0;
  bool operator==(const CornerBox&) const = default;
};

// The operator's custom options, with TensorFlow Lite's defaults for the optional ones.
struct DetectionOptions {
  int32_t max_detections = 0;
  int32_t max_classes_per_detection = 1;
  int32_t detections_per_class = 100;
  bool use_regular_nms = false;
  float score_threshold = 0.0f;
  float iou_threshold = 0.0f;
  int32_t num_classes = 0;
  CenterSizeBox scale;  // y_scale, x_scale, h_scale, w_scale

  // Slots in each output: max_detections * max_classes_per_detection.
  int64_t slots() const { return static_cast<int64_t>(max_detections) * max_classes_per_detection; }
};

CornerBox DecodeBox(const CenterSizeBox& encoding, const CenterSizeBox& anchor,
                    const CenterSizeBox& scale);
float IntersectionOverUnion(const CornerBox& a, const CornerBox& b);

// Box indices kept by greedy NMS, best first (see above). `boxes` and `scores` have one entry
// per box.
std::vector<int32_t> NonMaxSuppression(std::span<const CornerBox> boxes,
                                       std::span<const float> scores, float score_threshold,
                                       float iou_threshold, int32_t max_detections);

// The four outputs, each with options.slots() entries (count is one number).
struct Detections {
  std::vector<CornerBox> boxes;
  std::vector<float> classes;
  std::vector<float> scores;
  int32_t count = 0;
};

// Fast or regular NMS over decoded boxes. `scores` is row-major [boxes.size(),
// classes_with_background].
Result<Detections> SelectDetections(std::span<const CornerBox> boxes, std::span<const float> scores,
                                    int32_t classes_with_background,
                                    const DetectionOptions& options);

}  // namespace coralpi::reference
