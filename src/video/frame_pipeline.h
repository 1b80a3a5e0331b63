// The frame path: cameras -> latest-frame slots -> detectors -> tracker -> publishers.
//
//   capture thread per camera   Next() from its FrameSource, the detector's Prepare (resize),
//                               then into the camera's latest-frame slot (a full slot's frame
//                               is replaced and counted as skipped; --every-frame waits).
//   inference thread per        takes frames from the slots in turn (several cameras share a
//   detector                    detector; several detectors, e.g. Edge TPUs, share the frames)
//                               and runs Detect.
//   publishing thread           puts each camera's results back in order, drops detections
//                               under min_score, runs the tracker, makes snapshots, and calls
//                               the publishers: OnFrame, then the frame's events; OnStats every
//                               stats period and once at the end (over the whole run).
//   watchdog (with a timeout)   gives up on an invoke still running after the timeout: the
//                               frame is dropped, OnStall published, and a new detector made
//                               by `reopen` takes the place of the stuck one, so the cameras go
//                               on (frame_pipeline_watchdog.cc; the stuck thread is left to
//                               return, or not, on its own).
//
// Between the stages there is never more than a slot per camera and a short queue, so memory
// and latency stay bounded whatever the speeds. The run ends when every source has ended (or
// given max_frames), or at Stop(); frames already taken are still published, and every event
// still open gets its `end`.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "video/detector.h"
#include "video/events.h"
#include "video/frame_source.h"
#include "video/inference_worker.h"
#include "video/pipeline_report.h"
#include "video/tracker.h"

namespace coralpi {

struct CameraSource {
  std::string name;
  std::unique_ptr<FrameSource> source;
};

// Makes the JPEG snapshot of an event: the frame with the object's box drawn. Called from the
// publishing thread for `new` events and updates that raise the top score.
using SnapshotFn = std::function<std::shared_ptr<const std::vector<uint8_t>>(
    const Image& frame, const TrackedObject& object)>;

struct PipelineOptions {
  bool every_frame = false;      // wait for the detector instead of skipping frames
  int64_t max_frames = 0;        // per camera, frames processed (0: until the source ends)
  float min_score = 0.5f;        // detections below are dropped before tracking and publishing
  std::set<std::string> labels;  // only these labels are kept (empty: all)
  TrackerOptions tracker;
  double stats_period_s = 0;  // OnStats every so often (0: only at the end)
  // Detectors are "<detector_kind>:<index>" in the statistics (DetectorStats::device).
  std::string detector_kind = "detector";
  // Read for every OnStats: the Edge TPUs' health (may be null: none).
  std::function<std::vector<TpuHealth>()> health;
  // > 0: the watchdog's timeout for one invoke, in seconds.
  double detect_timeout_s = 0;
  // Makes the detector that replaces detector `index` after a stall (null, or an error: the
  // run stops with the stall as its error). An error of kind kDevice is tried again (3 tries in
  // all, 0.25 s then 0.5 s apart); any other kind is not.
  using ReopenFn = std::function<Result<std::unique_ptr<Detector>>(size_t index)>;
  ReopenFn reopen;
  SnapshotFn snapshot;              // null: events carry no snapshot
  size_t latency_samples = 100000;  // the report's latency covers this many recent frames
};

class FramePipeline {
 public:
  FramePipeline(std::vector<CameraSource> cameras, std::vector<std::unique_ptr<Detector>> detectors,
                std::vector<Publisher*> publishers, PipelineOptions options);
  ~FramePipeline();  // Stop(), then waits for the threads

  // Checks the setup (at least one camera and detector, unique camera names) and starts the
  // threads.
  Status Start();
  // Ends the run early: sources are interrupted, frames waiting in slots dropped. Safe from any
  // thread, more than once.
  void Stop();
  // Waits up to `seconds` for the run to end; true once it has.
  bool WaitFor(double seconds);
  // Waits for the end and returns what happened (the errors are in it, too).
  PipelineReport Join();

 private:
  struct Pending;   // a frame between capture and inference
  struct Detected;  // a frame between inference and publishing
  struct Queues;
  class Publishing;

  void CaptureLoop(size_t camera);
  void InferenceLoop(std::shared_ptr<InferenceWorker> worker);
  void PublishLoop();
  PipelineStats WithHealth(PipelineStats stats) const;
  std::string DetectorName(size_t index) const;
  // frame_pipeline_watchdog.cc
  void StartWorker(const std::shared_ptr<InferenceWorker>& worker);  // under workers_mutex_
  void WatchdogLoop();
  // Both under `lock` (workers_mutex_'s), which Reopen lets go of while it waits to retry.
  void GiveUp(size_t index, const InferenceWorker::Busy& busy, std::unique_lock<std::mutex>& lock);
  // The detector in place of a stuck one, or null (the run then stops, unless it is stopping).
  std::shared_ptr<InferenceWorker> Reopen(size_t index, DetectorStall& stall,
                                          std::unique_lock<std::mutex>& lock);
  void StopWatchdog();
  void JoinWorkers();

  std::vector<CameraSource> cameras_;
  std::vector<std::shared_ptr<InferenceWorker>> workers_;  // guarded by workers_mutex_
  std::shared_ptr<InferenceWorker> preparer_;  // the first detector: Prepare, for every camera
  std::vector<Publisher*> publishers_;
  PipelineOptions options_;
  std::unique_ptr<PipelineCounters> counters_;
  std::unique_ptr<Queues> queues_;
  std::vector<std::thread> threads_;  // capture and publishing

  std::mutex workers_mutex_;
  std::condition_variable watchdog_cv_;
  bool watchdog_stop_ = false;  // under workers_mutex_
  std::thread watchdog_;

  std::mutex mutex_;
  std::condition_variable finished_cv_;
  bool finished_ = false;
  bool started_ = false;
  bool joined_ = false;
  PipelineReport report_;
};

}  // namespace coralpi
