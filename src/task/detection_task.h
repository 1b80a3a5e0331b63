// Object detection on a TaskSession: the head found once (detection_head.h), each image run and
// decoded into detections in pixels of the image, best first. SSD models decode their
// post-process outputs; YOLO models get Ultralytics' preprocessing (letterbox onto gray 114,
// pixel / 255), their raw output decoded (vision/yolo_decode.h) and non-maximum suppression.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "task/detection_head.h"
#include "task/task_session.h"
#include "vision/detection.h"

namespace coralpi {

struct DetectOptions {
  // Lowest score kept; unset: the family's own default (0.5 for post-process detectors, 0.25
  // for YOLO, as Ultralytics' predict uses).
  std::optional<float> threshold;
  int max_detections = 100;
  std::optional<float> iou;  // YOLO NMS; unset: the family's own default (0.45 v5, 0.7 v8)
  bool agnostic = false;     // YOLO NMS across classes
  std::string head = "auto";  // see FindDetectionHead
};

struct DetectResult {
  ImageRun run;
  std::vector<Detection> detections;
  double decode_ms = 0;  // reading the outputs, decoding, NMS
};

// The detections a head's outputs hold after an invoke of `backend` (input_width x
// input_height pixels), mapped through `transform`, best first. `label_offset`: see
// DetectionLabelOffset (post-process heads). The task's decoding; bench times it on its own.
struct HeadDecodeOptions {
  float threshold = 0.5f;
  int max_detections = 100;
  float iou = 0.7f;  // YOLO
  bool agnostic = false;
  int label_offset = 0;
  int input_width = 0, input_height = 0;
};
Result<std::vector<Detection>> DecodeDetectionHead(Backend& backend, const DetectionHead& head,
                                                   const InputTransform& transform,
                                                   const Labels* labels,
                                                   const HeadDecodeOptions& options);

class DetectionTask {
 public:
  // Finds the head, checks that the labels name every class, and sets the session's
  // preprocessing for the head (keeping a letterbox the caller asked for). Errors name the model.
  static Result<DetectionTask> Create(TaskSession& session, const DetectOptions& options);

  const DetectionHead& head() const { return head_; }
  const DetectOptions& options() const { return options_; }
  // The IoU the NMS uses (YOLO), and the score threshold.
  float iou() const;
  float threshold() const;
  void set_threshold(std::optional<float> t) { options_.threshold = t; }

  // `image_name` names the image in errors about it.
  Result<DetectResult> Run(const Image& image, const std::string& image_name = "image");
  Result<DetectResult> RunFitted(const Image& fitted, const InputTransform& transform);
  // The detections in the outputs the last run left, mapped through `transform`.
  Result<std::vector<Detection>> Decode(const InputTransform& transform);

 private:
  DetectionTask(TaskSession& session, DetectionHead head, DetectOptions options)
      : session_(&session), head_(std::move(head)), options_(std::move(options)) {}
  Result<DetectResult> Finish(Result<ImageRun> run);

  TaskSession* session_;
  DetectionHead head_;
  DetectOptions options_;
  int label_offset_ = 0;
};

}  // namespace coralpi
