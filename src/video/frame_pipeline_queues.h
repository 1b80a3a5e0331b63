// The frame path's hand-overs, private to frame_pipeline.cc and frame_pipeline_watchdog.cc: a
// frame between capture and inference (Pending), between inference and publishing (Detected),
// and the slots and queue that carry them.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <vector>

#include "video/bounded_queue.h"
#include "video/frame_pipeline.h"
#include "video/latest_frame_slots.h"

namespace coralpi {

struct FramePipeline::Pending {
  int64_t number = 0;
  CapturedFrame captured;
  DetectorInput input;
  double prepare_ms = 0.0;
};

struct FramePipeline::Detected {
  size_t camera = 0;
  int64_t sequence = 0;
  Pending frame;
  std::vector<Detection> detections;
  double detect_ms = 0.0;
  bool failed = false;
  std::optional<DetectorStall> stall;  // the watchdog gave up on this frame's invoke
};

struct FramePipeline::Queues {
  Queues(size_t cameras, const PipelineOptions& o, size_t detectors)
      : slots(cameras, o.every_frame, o.max_frames), results(2 * detectors + 1) {}
  LatestFrameSlots<Pending> slots;
  BoundedQueue<Detected> results;
  std::atomic<size_t> inference_running{0};
  std::atomic<bool> stopping{false};
  bool sources_alive = true;  // under FramePipeline::mutex_
};

}  // namespace coralpi
