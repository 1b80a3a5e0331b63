// YOLO instance segmentation heads (Ultralytics YOLOv8/YOLO11 -seg exports): detections out of
// [1, 4 + C + M, N] (a box, C class scores and M mask coefficients per anchor; M = 32 usually)
// plus one instance mask per kept detection from the prototypes [1, H/4, W/4, M].
//
// A detection's mask logit at a prototype cell is coeffs . protos[cell] (its probability the
// sigmoid of that, so "inside" is logit > 0, i.e. sigmoid > 0.5). The mask is drawn at the size
// asked for, covering the model's input: each mask pixel samples the logits bilinearly at its
// centre (half-pixel centres, edges clamped, as a bilinear resize does), and only pixels whose
// centre lies inside the detection's box can be set (the crop). Quantized prototypes and
// coefficients are read with their own scale and zero point.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "vision/detection.h"
#include "vision/nms.h"
#include "vision/yolo_decode.h"

namespace coralpi {

// A binary mask, row-major: pixel (x, y) is pixels[y * width + x], 1 inside, 0 outside.
struct InstanceMask {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;
  bool operator==(const InstanceMask&) const = default;
};

struct InstanceSegment {
  Detection detection;  // box in input pixels, labelled
  InstanceMask mask;    // mask_width x mask_height over the model's input
};

// Detections (best first, after NMS) with their masks. options.input_width and input_height
// are required (the masks cover the input). Errors name the shapes that do not fit together.
Result<std::vector<InstanceSegment>> DecodeYoloSegmentation(const TensorView& output,
                                                            const TensorView& protos,
                                                            const YoloOptions& options,
                                                            const NmsOptions& nms, int mask_width,
                                                            int mask_height);

}  // namespace coralpi
