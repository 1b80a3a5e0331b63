// Which kind of detector a model is, and where its results are: the head.
//
//   kSsd     four outputs of TensorFlow Lite's post-process operator (vision/detection_decoder.h)
//   kYoloV5  one raw output [1, N, 5 + C] (YOLOv5: box, objectness, C class scores)
//   kYoloV8  one raw output [1, 4 + C + E, N] (YOLOv8, YOLO11, YOLOv5u; E extra rows: mask
//            coefficients of -seg models, keypoints of -pose models)
//
// Found in this order: the post-process outputs; else one 3-D output, whose orientation gives
// the layout (N, the anchors, outnumbers the attributes). C comes from Ultralytics' metadata
// when the model carries it (its names must fit the output's rows exactly for a detect model),
// else from the shape. `want` forces a kind ("ssd", "yolov5", "yolov8"; "auto" finds it).
#pragma once

#include <optional>
#include <span>
#include <string>

#include "core/result.h"
#include "model/model.h"
#include "model/ultralytics_metadata.h"
#include "vision/detection_decoder.h"
#include "vision/yolo_decode.h"

namespace coralpi {

enum class DetectionHeadKind { kSsd, kYoloV5, kYoloV8 };

// "SSD post-process", "YOLOv5", "YOLOv8"
const char* DetectionHeadName(DetectionHeadKind kind);

struct DetectionHead {
  DetectionHeadKind kind = DetectionHeadKind::kSsd;
  DetectionOutputs ssd;  // kSsd: the four outputs
  size_t output = 0;     // YOLO: the raw output
  int classes = 0;       // YOLO: C; kSsd: the post-process operator's, 0 when unknown
  std::string found_by;  // how it was recognised, for reports

  bool yolo() const { return kind != DetectionHeadKind::kSsd; }
  YoloLayout layout() const {
    return kind == DetectionHeadKind::kYoloV5 ? YoloLayout::kV5 : YoloLayout::kV8;
  }
};

// "auto", "ssd", "yolov5", "yolov8"
inline constexpr const char* kDetectionHeadChoices[] = {"auto", "ssd", "yolov5", "yolov8"};

// Errors list the model's outputs and what was expected; metadata naming a number of classes
// the output cannot hold is an error too.
Result<DetectionHead> FindDetectionHead(const Model& model,
                                        const std::optional<UltralyticsMetadata>& metadata,
                                        const std::string& want = "auto");

// The YOLO layout of an output shape: kV8 when [1, A, N] has N > A, kV5 when N < A; unset for
// anything else.
std::optional<YoloLayout> YoloLayoutOfShape(const Shape& shape);

}  // namespace coralpi
