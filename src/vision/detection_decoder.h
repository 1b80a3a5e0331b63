// Object detection: Detections (detection.h) out of a detector's outputs.
//
// Two layers, as libcoral's detection adapter: DecodeDetections is pure arithmetic over the
// four arrays that TensorFlow Lite's TFLite_Detection_PostProcess operator writes (boxes
// [1, N, 4] as ymin, xmin, ymax, xmax normalized to the model's input; class ids [1, N]; scores
// [1, N]; the number of valid rows [1]); the thin layer finds those four among a model's
// outputs and reads them from a backend's tensors.
//
// Models put the four outputs in different orders. FindDetectionOutputs identifies them, in
// this order of trust:
//   1. by the output slot of the TFLite_Detection_PostProcess operator that produces them
//      (0 boxes, 1 classes, 2 scores, 3 count), whatever their order in the model's outputs;
//   2. by name (TF1 exports: "detection_boxes", "detection_classes", "detection_scores",
//      "num_detections");
//   3. by shape in the two known orders: TF1 SSD (boxes, classes, scores, count) and TF2
//      detection API / EfficientDet-Lite (scores, boxes, count, classes).
// Anything else is an error that lists the model's outputs.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "core/result.h"
#include "model/model.h"
#include "vision/classification.h"
#include "vision/detection.h"
#include "vision/preprocess.h"

namespace coralpi {

std::string ToString(const BoundingBox& b);
std::string ToString(const Detection& d);

// The four post-process arrays; N = scores.size().
struct DetectionArrays {
  std::span<const float> boxes;    // N x 4: ymin, xmin, ymax, xmax, normalized to the input
  std::span<const float> classes;  // N class ids, as the operator writes them (floats)
  std::span<const float> scores;   // N
  float count = 0;                 // valid rows; clamped to [0, N]
};

struct DetectionOptions {
  float threshold = 0.5f;  // lowest score kept
  int max_detections = 100;
  // Label of class id c: labels line c + label_offset (see DetectionLabelOffset).
  int label_offset = 0;
};

// Detections with score >= threshold, best first (equal scores keep their row order), at most
// max_detections. Boxes go through `transform` into pixels of the original image and are
// clamped to it; a box left with no area (it lay in the letterbox padding) is dropped. Labels
// come from `labels` (nullptr: none); a class without a label is "class <id>".
// Errors: array sizes that do not agree.
Result<std::vector<Detection>> DecodeDetections(const DetectionArrays& arrays,
                                                const InputTransform& transform,
                                                const Labels* labels,
                                                const DetectionOptions& options);

// TensorFlow's object-detection label maps start with a "???" line for the background class,
// which the post-process class ids skip: then class c is line c + 1. Returns 1 for such a
// file, else 0.
int DetectionLabelOffset(const Labels& labels);

// What the thin layer knows about one model output.
struct OutputDesc {
  std::string name;
  DataType type = DataType::kFloat32;
  Shape shape;
  std::string
      producer;  // the operator that writes it ("" for none), e.g. "TFLite_Detection_PostProcess"
  int producer_slot = -1;  // which of the producer's outputs it is
};
// The model's outputs, in order.
std::vector<OutputDesc> DescribeOutputs(const Model& model);

// Positions of the four arrays in the model's outputs, and how they were found.
struct DetectionOutputs {
  size_t boxes = 0, classes = 0, scores = 0, count = 0;
  std::string found_by;  // "post-process operator", "names", "TF1 SSD order", "TF2 order"
  bool operator==(const DetectionOutputs&) const = default;
};
Result<DetectionOutputs> FindDetectionOutputs(std::span<const OutputDesc> outputs);

// The number of object classes a detector knows (without background), from the class
// predictions its TFLite_Detection_PostProcess operator reads; unset when not known.
std::optional<int> DetectorClassCount(const Model& model);

// Reads the four outputs from `backend` (dequantizing quantized ones) and decodes them.
// Errors name the output and what is wrong with its shape or type.
Result<std::vector<Detection>> ReadDetections(Backend& backend, const DetectionOutputs& where,
                                              const InputTransform& transform, const Labels* labels,
                                              const DetectionOptions& options);

}  // namespace coralpi
