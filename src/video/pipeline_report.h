// Counting what the frame path does: frames captured, skipped, processed and published per
// camera, busy time per stage, capture-to-publish latency. The stages' threads add to the
// counters as they go; the publishing thread turns them into PipelineStats for a period
// (events.h: what publishers receive), and at the end into a PipelineReport (what watch and
// bench print).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/stats.h"
#include "video/events.h"

namespace coralpi {

// A stage's work: frames through it and the time it spent on them.
struct StageTotals {
  int64_t frames = 0;
  double busy_ms = 0.0;
  double mean_ms() const { return frames > 0 ? busy_ms / static_cast<double>(frames) : 0.0; }
};

struct CameraTotals {
  std::string camera;
  int64_t captured = 0;   // frames out of the source
  int64_t skipped = 0;    // replaced in the latest-frame slot before a detector took them
  int64_t processed = 0;  // through the detector and published
  int64_t dropped = 0;    // waiting in the slot when the run was stopped, or failed to detect
  int64_t detections = 0;
  std::string error;  // why the camera stopped early, if it did
};

struct PipelineReport {
  double elapsed_s = 0.0;
  std::vector<CameraTotals> cameras;
  StageTotals prepare;      // capture threads: the detector's Prepare (resize to its input)
  StageTotals inference;    // inference threads: the detector's Detect
  StageTotals publish;      // publishing thread: tracker, snapshots, publishers
  LatencyStats latency_ms;  // capture (frame out of the source) to published, recent frames
  double cpu_percent = 0.0;
  long peak_resident_kib = 0;
  std::vector<std::string> errors;  // the first error of each failing part

  int64_t total(int64_t CameraTotals::*field) const;
};

class PipelineCounters {
 public:
  // `detectors`: their names in the statistics (DetectorStats::device), by index.
  PipelineCounters(std::vector<std::string> cameras, size_t latency_samples,
                   std::vector<std::string> detectors = {});

  void Captured(size_t camera, double prepare_ms);
  void Skipped(size_t camera);
  void Dropped(size_t camera, int64_t frames);
  void Inferred(double detect_ms, size_t detector = kNoDetector);
  void Stalled(size_t detector);  // the watchdog gave up on one of its invokes
  void Published(size_t camera, size_t detections, double publish_ms, double latency_ms);
  void Failed(size_t camera, const std::string& error);  // camera == npos: not a camera's
  static constexpr size_t kNoCamera = static_cast<size_t>(-1);
  static constexpr size_t kNoDetector = static_cast<size_t>(-1);

  // Rates since the previous call (the first: since construction).
  PipelineStats PeriodStats();
  // Rates over the whole run.
  PipelineStats TotalStats() const;
  PipelineReport Report() const;

 private:
  struct Camera {
    std::atomic<int64_t> captured{0}, skipped{0}, processed{0}, detections{0}, dropped{0};
  };
  struct Detector {
    std::atomic<int64_t> inferred{0}, detect_us{0}, stalls{0};
  };
  struct Snapshot {
    std::chrono::steady_clock::time_point time;
    double cpu_s = 0.0;
    int64_t inferred = 0;
    int64_t detect_us = 0;
    std::vector<int64_t> captured, skipped, processed, detections;
    std::vector<int64_t> detector_inferred, detector_us;
  };
  Snapshot Take() const;
  PipelineStats Rates(const Snapshot& from, const Snapshot& to) const;

  std::vector<std::string> names_;
  std::unique_ptr<Camera[]> cameras_;
  std::vector<std::string> detector_names_;
  std::unique_ptr<Detector[]> detectors_;
  std::atomic<int64_t> prepared_{0}, prepare_us_{0}, inferred_{0}, detect_us_{0};
  std::atomic<int64_t> published_{0}, publish_us_{0};
  Snapshot start_, last_;

  mutable std::mutex mutex_;        // guards what follows
  std::vector<double> latency_ms_;  // a ring of the most recent samples
  size_t latency_next_ = 0;
  size_t latency_capacity_;
  std::vector<std::string> errors_;
  std::vector<std::string> camera_errors_;
};

}  // namespace coralpi
