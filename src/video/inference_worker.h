// One inference thread's detector and what it is doing now, for the frame path's watchdog
// (frame_pipeline_watchdog.cc). The thread and the watchdog share it: the thread marks each
// Detect's start and end, the watchdog gives up on a Detect that has run too long. A thread
// given up on owns its worker (and so its detector) until its Detect returns, if it ever does,
// and then touches nothing of the pipeline: the pipeline may be gone by then.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "video/detector.h"

namespace coralpi {

class InferenceWorker {
 public:
  InferenceWorker(size_t index, std::unique_ptr<Detector> detector)
      : index_(index), detector_(std::move(detector)) {}

  size_t index() const { return index_; }
  Detector& detector() { return *detector_; }
  std::thread& thread() { return thread_; }  // the pipeline's, under its workers' lock

  // What the watchdog learns of an invoke it gives up on.
  struct Busy {
    size_t camera = 0;
    int64_t sequence = 0;
    int64_t frame = 0;
    double waited_s = 0.0;
  };

  // Before Detect: the frame it works on.
  void Begin(size_t camera, int64_t sequence, int64_t frame) {
    std::lock_guard lock(mutex_);
    busy_ = true;
    started_ = std::chrono::steady_clock::now();
    what_ = {camera, sequence, frame, 0.0};
  }

  // After Detect: false when the watchdog gave up on it meanwhile.
  bool End() {
    std::lock_guard lock(mutex_);
    busy_ = false;
    return !abandoned_;
  }

  // The watchdog's check: when a Detect has run for `timeout` or longer, the worker is given up
  // on (End will say so) and what it was doing is returned.
  std::optional<Busy> GiveUpAfter(std::chrono::duration<double> timeout) {
    std::lock_guard lock(mutex_);
    if (!busy_ || abandoned_) return std::nullopt;
    const std::chrono::duration<double> ran = std::chrono::steady_clock::now() - started_;
    if (ran < timeout) return std::nullopt;
    abandoned_ = true;
    Busy b = what_;
    b.waited_s = ran.count();
    return b;
  }

 private:
  const size_t index_;
  std::unique_ptr<Detector> detector_;
  std::thread thread_;

  std::mutex mutex_;  // guards what follows
  bool busy_ = false;
  bool abandoned_ = false;
  std::chrono::steady_clock::time_point started_;
  Busy what_;
};

}  // namespace coralpi
