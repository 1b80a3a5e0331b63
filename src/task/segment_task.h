// Segmentation on a TaskSession: semantic (DeepLab: one class per pixel from [1, H, W, C]
// scores or [1, H, W] ids) or Ultralytics YOLO instance segmentation (a raw output
// [1, 4 + C + M, N] and mask prototypes [1, H/4, W/4, M]: objects with one mask each). Both give
// a class per pixel of the image and the pixels per class; instances also give their objects
// (boxes in image pixels) with the pixels each mask covers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "task/task_session.h"
#include "vision/detection.h"
#include "vision/segmentation.h"

namespace coralpi {

enum class SegmentHeadKind { kSemantic, kYoloInstances };

struct SegmentOptions {
  std::optional<float> threshold;  // YOLO: lowest object score; unset: 0.25
  int max_instances = 100;         // YOLO
  std::optional<float> iou;        // YOLO NMS; unset: 0.7
  bool agnostic = false;           // YOLO NMS across classes
};

// Pixels of the map with no class (YOLO instances: outside every mask).
inline constexpr int32_t kNoClass = -1;

struct Instance {
  Detection detection;  // box in image pixels, labelled
  int64_t pixels = 0;   // pixels of the image its mask covers (where no better object does)
};

struct SegmentResult {
  ImageRun run;
  SegmentationMap map;  // image size; kNoClass where no instance lies
  std::vector<Instance> instances;  // YOLO, best first
  double decode_ms = 0;
};

class SegmentTask {
 public:
  // Finds the head, checks the labels cover the classes, sets the session's preprocessing
  // (Ultralytics' for YOLO). Errors name the model and list what was expected.
  static Result<SegmentTask> Create(TaskSession& session, const SegmentOptions& options);

  SegmentHeadKind kind() const { return kind_; }
  // The class left uncoloured in pictures: kNoClass for instances, else the label "background"
  // or class 0 without labels (-1: none).
  int32_t background() const { return background_; }
  // `image_name` names the image in errors about it.
  Result<SegmentResult> Run(const Image& image, const std::string& image_name = "image");

 private:
  SegmentTask(TaskSession& session, SegmentOptions options) : session_(&session), options_(options) {}
  Status FindYoloHead();
  Status Decode(SegmentResult& result);
  Status DecodeInstances(SegmentResult& result);

  TaskSession* session_;
  SegmentOptions options_;
  SegmentHeadKind kind_ = SegmentHeadKind::kSemantic;
  int32_t background_ = 0;
  size_t output_ = 0, protos_ = 0;  // YOLO
  int classes_ = 0;                 // YOLO: C
};

}  // namespace coralpi
