// Non-maximum suppression and IoU for detections, the one the vision layer uses (YOLO decoders,
// and any head whose outputs are raw candidates rather than TFLite_Detection_PostProcess).
// (The TFLite_Detection_PostProcess operator keeps its own NMS in src/engine/reference, since it
// must reproduce TensorFlow Lite's exact selection order and output slots.)
//
// Greedy NMS as Ultralytics and torchvision do it: candidates are sorted once by decreasing
// score (equal scores keep their input order), then each one is kept unless a box already kept
// overlaps it with IoU > iou_threshold. Per class (the default), a box is compared only with the
// kept boxes of its own class; class-agnostic, with every kept box. Selection stops at
// max_detections kept boxes. Cost: one sort, then at most one IoU per (candidate, kept box of its
// class): never all pairs of candidates.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "vision/detection.h"

namespace coralpi {

// Intersection over union of two boxes; 0 when either has no area (or the union is empty).
float IoU(const BoundingBox& a, const BoundingBox& b);

struct NmsOptions {
  float iou_threshold = 0.7f;  // suppress boxes overlapping a kept one by more than this
  int max_detections = 300;    // at most this many kept (<= 0: none)
  bool agnostic = false;       // true: classes suppress each other
};

// Indices into `candidates` of the boxes kept, best first.
std::vector<size_t> NonMaxSuppression(std::span<const Detection> candidates,
                                      const NmsOptions& options);

// The kept detections themselves, best first.
std::vector<Detection> SuppressOverlaps(std::span<const Detection> candidates,
                                        const NmsOptions& options);

}  // namespace coralpi
