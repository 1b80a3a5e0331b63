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
  double stats_period_s = 0;        // OnStats every so often (0: only at the end)
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
  void InferenceLoop(size_t detector);
  void PublishLoop();

  std::vector<CameraSource> cameras_;
  std::vector<std::unique_ptr<Detector>> detectors_;
  std::vector<Publisher*> publishers_;
  PipelineOptions options_;
  std::unique_ptr<PipelineCounters> counters_;
  std::unique_ptr<Queues> queues_;
  std::vector<std::thread> threads_;

  std::mutex mutex_;
  std::condition_variable finished_cv_;
  bool finished_ = false;
  bool started_ = false;
  bool joined_ = false;
  PipelineReport report_;
};

}  // namespace coralpi
