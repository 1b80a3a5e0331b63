// The frame path's inference threads and their watchdog; see frame_pipeline.h. An invoke that
// has not returned after the timeout (an Edge TPU that stopped answering) cannot be
// interrupted: its thread is detached and left with its worker, the frame it held is published
// as dropped with the stall, and a new detector from `reopen` gets a new thread in its place.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

#include "video/frame_pipeline.h"
#include "video/frame_pipeline_queues.h"

namespace coralpi {
namespace {

// How often a detector whose reopening fails with a device error is tried.
constexpr int kReopenAttempts = 3;

double WallSeconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

void FramePipeline::StartWorker(const std::shared_ptr<InferenceWorker>& worker) {
  worker->thread() = std::thread(&FramePipeline::InferenceLoop, this, worker);
}

void FramePipeline::WatchdogLoop() {
  const std::chrono::duration<double> timeout(options_.detect_timeout_s);
  const auto period =
      std::min<std::chrono::duration<double>>(timeout / 4, std::chrono::milliseconds(100));
  std::unique_lock lock(workers_mutex_);
  while (!watchdog_stop_) {
    watchdog_cv_.wait_for(lock, period, [&] { return watchdog_stop_; });
    for (size_t i = 0; i < workers_.size() && !watchdog_stop_; ++i) {
      if (auto busy = workers_[i]->GiveUpAfter(timeout)) GiveUp(i, *busy, lock);
    }
  }
}

void FramePipeline::GiveUp(size_t index, const InferenceWorker::Busy& busy,
                           std::unique_lock<std::mutex>& lock) {
  std::shared_ptr<InferenceWorker> stuck = workers_[index];
  if (stuck->thread().joinable()) stuck->thread().detach();  // it owns `stuck`, needs no more
  counters_->Stalled(index);
  DetectorStall stall;
  stall.device = DetectorName(index);
  stall.description = stuck->detector().description();
  stall.camera = cameras_[busy.camera].name;
  stall.frame = busy.frame;
  stall.waited_s = busy.waited_s;
  stall.time = WallSeconds();
  std::shared_ptr<InferenceWorker> fresh = Reopen(index, stall, lock);
  Detected dropped;
  dropped.camera = busy.camera;
  dropped.sequence = busy.sequence;
  dropped.failed = true;
  dropped.stall = std::move(stall);
  queues_->results.Push(std::move(dropped));
  if (fresh) {
    workers_[index] = fresh;
    StartWorker(fresh);
  } else if (--queues_->inference_running == 0) {
    queues_->results.Close();
  }
}

std::shared_ptr<InferenceWorker> FramePipeline::Reopen(size_t index, DetectorStall& stall,
                                                       std::unique_lock<std::mutex>& lock) {
  if (queues_->stopping) {
    stall.error = "the run is stopping";
    return nullptr;
  }
  if (options_.reopen) {
    // A device error (the TPU busy or still resetting) may pass: tried again after 0.25 s, then
    // 0.5 s. Any other kind (a bad model file, an unsupported operator, a bad option) would fail
    // the same way every time: reported once, at once. The wait lets go of the workers' lock
    // and ends early when the watchdog is told to stop.
    auto backoff = std::chrono::milliseconds(250);
    for (int attempt = 1;; ++attempt) {
      auto made = options_.reopen(index);
      if (made.ok()) {
        stall.reopened = true;
        return std::make_shared<InferenceWorker>(index, std::move(*made));
      }
      stall.error = made.error().message;
      if (made.error().kind != ErrorKind::kDevice || attempt == kReopenAttempts) break;
      if (watchdog_cv_.wait_for(lock, backoff, [&] { return watchdog_stop_; })) break;
      backoff *= 2;
      if (queues_->stopping) break;
    }
  } else {
    stall.error = "no way to reopen it";
  }
  char waited[32];
  std::snprintf(waited, sizeof waited, "%.1f", stall.waited_s);
  counters_->Failed(PipelineCounters::kNoCamera,
                    "detector " + stall.device + " (" + stall.description + "): camera " +
                        stall.camera + " frame " + std::to_string(stall.frame) +
                        ": no answer after " + waited + " s, and not reopened: " + stall.error);
  Stop();
  return nullptr;
}

void FramePipeline::StopWatchdog() {
  {
    std::lock_guard lock(workers_mutex_);
    watchdog_stop_ = true;
  }
  watchdog_cv_.notify_all();
  if (watchdog_.joinable()) watchdog_.join();
}

void FramePipeline::JoinWorkers() {
  std::lock_guard lock(workers_mutex_);
  for (const auto& worker : workers_) {
    if (worker->thread().joinable()) worker->thread().join();
  }
}

}  // namespace coralpi
