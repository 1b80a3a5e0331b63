// The frame path's threads; see frame_pipeline.h.
#include "video/frame_pipeline.h"

#include <atomic>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "core/timer.h"
#include "video/frame_pipeline_queues.h"

namespace coralpi {
namespace {

double WallNow() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double MsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

// The publishing thread's state: per-camera reordering, the tracker, the snapshots of the
// events in progress.
class FramePipeline::Publishing {
 public:
  explicit Publishing(FramePipeline& p)
      : p_(p),
        tracker_(p.options_.tracker),
        next_(p.cameras_.size()),
        waiting_(p.cameras_.size()) {}

  // Publishes `d` and whatever it unblocks, in each camera's order (a stall at once).
  void Add(Detected d) {
    if (d.stall) {
      for (Publisher* pub : p_.publishers_) pub->OnStall(*d.stall);
    }
    size_t camera = d.camera;
    waiting_[camera].emplace(d.sequence, std::move(d));
    auto& waiting = waiting_[camera];
    while (!waiting.empty() && waiting.begin()->first == next_[camera]) {
      Publish(waiting.begin()->second);
      waiting.erase(waiting.begin());
      ++next_[camera];
    }
  }

  void Expire() { Send(tracker_.Expire(WallNow()), nullptr); }
  void EndAll() { Send(tracker_.EndAll(), nullptr); }

 private:
  void Publish(Detected& d) {
    if (d.failed) {
      p_.counters_->Dropped(d.camera, 1);
      return;
    }
    Stopwatch watch;
    ProcessedFrame frame;
    frame.camera = p_.cameras_[d.camera].name;
    frame.number = d.frame.number;
    frame.capture_time = d.frame.captured.wall_time;
    frame.inference_ms = d.frame.prepare_ms + d.detect_ms;
    frame.display = d.frame.captured.image;
    const auto& labels = p_.options_.labels;
    for (Detection& det : d.detections) {
      if (det.score < p_.options_.min_score) continue;
      if (!labels.empty() && !labels.count(det.label)) continue;
      frame.detections.push_back(std::move(det));
    }
    for (Publisher* pub : p_.publishers_) pub->OnFrame(frame);
    Send(tracker_.Update(frame.camera, frame.capture_time, frame.detections), frame.display.get());
    p_.counters_->Published(d.camera, frame.detections.size(), watch.ElapsedMs(),
                            MsSince(d.frame.captured.steady));
  }

  void Send(std::vector<Event> events, const Image* image) {
    for (Event& e : events) {
      const std::string& id = e.after.id;
      bool better = e.type == EventType::kNew || e.after.top_score > e.before.top_score;
      if (better && image && p_.options_.snapshot)
        snapshots_[id] = p_.options_.snapshot(*image, e.after);
      auto it = snapshots_.find(id);
      if (it != snapshots_.end()) e.snapshot_jpeg = it->second;
      if (e.type == EventType::kEnd && it != snapshots_.end()) snapshots_.erase(it);
      for (Publisher* pub : p_.publishers_) pub->OnEvent(e);
    }
  }

  FramePipeline& p_;
  Tracker tracker_;
  std::vector<int64_t> next_;
  std::vector<std::map<int64_t, Detected>> waiting_;
  std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>> snapshots_;
};

FramePipeline::FramePipeline(std::vector<CameraSource> cameras,
                             std::vector<std::unique_ptr<Detector>> detectors,
                             std::vector<Publisher*> publishers, PipelineOptions options)
    : cameras_(std::move(cameras)),
      publishers_(std::move(publishers)),
      options_(std::move(options)) {
  for (std::unique_ptr<Detector>& d : detectors) {
    if (d) workers_.push_back(std::make_shared<InferenceWorker>(workers_.size(), std::move(d)));
  }
  if (!workers_.empty()) preparer_ = workers_[0];
  std::vector<std::string> names;
  for (const CameraSource& c : cameras_) names.push_back(c.name);
  counters_ = std::make_unique<PipelineCounters>(names, options_.latency_samples);
  queues_ = std::make_unique<Queues>(cameras_.size(), options_, workers_.size());
}

std::string FramePipeline::DetectorName(size_t index) const {
  return options_.detector_kind + ":" + std::to_string(index);
}

FramePipeline::~FramePipeline() {
  Stop();
  Join();
}

Status FramePipeline::Start() {
  if (cameras_.empty()) return Error{"no camera to read"};
  if (workers_.empty()) return Error{"no detector to run"};
  std::set<std::string> names;
  for (const CameraSource& c : cameras_) {
    if (c.name.empty()) return Error{"a camera has no name"};
    if (!names.insert(c.name).second) return Error{"two cameras are named " + c.name};
    if (!c.source) return Error{"camera " + c.name + " has no source"};
  }
  std::lock_guard lock(mutex_);
  if (started_) return Error{"the pipeline was already started"};
  started_ = true;
  // Counting starts now, not at construction.
  std::vector<std::string> ordered;
  for (const CameraSource& c : cameras_) ordered.push_back(c.name);
  std::vector<std::string> detector_names;
  for (size_t d = 0; d < workers_.size(); ++d) detector_names.push_back(DetectorName(d));
  counters_ = std::make_unique<PipelineCounters>(ordered, options_.latency_samples,
                                                 std::move(detector_names));
  queues_->inference_running = workers_.size();
  threads_.emplace_back(&FramePipeline::PublishLoop, this);
  {
    std::lock_guard workers_lock(workers_mutex_);
    for (const auto& worker : workers_) StartWorker(worker);
  }
  if (options_.detect_timeout_s > 0) watchdog_ = std::thread(&FramePipeline::WatchdogLoop, this);
  for (size_t c = 0; c < cameras_.size(); ++c)
    threads_.emplace_back(&FramePipeline::CaptureLoop, this, c);
  return OkStatus();
}

void FramePipeline::Stop() {
  std::lock_guard lock(mutex_);
  queues_->stopping = true;
  if (queues_->sources_alive) {
    for (CameraSource& c : cameras_) c.source->Interrupt();
  }
  queues_->slots.Close();
}

bool FramePipeline::WaitFor(double seconds) {
  std::unique_lock lock(mutex_);
  return finished_cv_.wait_for(lock, std::chrono::duration<double>(seconds),
                               [&] { return finished_ || !started_; });
}

PipelineReport FramePipeline::Join() {
  {
    std::lock_guard lock(mutex_);
    if (joined_) return report_;
    joined_ = true;
  }
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  StopWatchdog();
  JoinWorkers();
  {
    std::lock_guard lock(mutex_);
    queues_->sources_alive = false;
    for (CameraSource& c : cameras_) c.source.reset();
  }
  for (size_t c = 0; c < cameras_.size(); ++c) counters_->Dropped(c, queues_->slots.dropped(c));
  report_ = counters_->Report();
  return report_;
}

void FramePipeline::CaptureLoop(size_t camera) {
  auto& slots = queues_->slots;
  FrameSource& source = *cameras_[camera].source;
  int64_t number = 0;
  while (!queues_->stopping && !slots.CameraDone(camera)) {
    auto next = source.Next();
    if (!next.ok()) {
      counters_->Failed(camera, "camera " + cameras_[camera].name + ": " + next.error().message);
      break;
    }
    if (!next->has_value()) break;
    Pending pending;
    pending.captured = std::move(**next);
    Stopwatch watch;
    auto input = preparer_->detector().Prepare(*pending.captured.image);
    if (!input.ok()) {
      counters_->Failed(camera, "camera " + cameras_[camera].name + ": " + input.error().message);
      break;
    }
    pending.prepare_ms = watch.ElapsedMs();
    pending.input = std::move(*input);
    pending.number = ++number;
    const double prepare_ms = pending.prepare_ms;
    auto put = slots.Put(camera, std::move(pending));
    if (put == LatestFrameSlots<Pending>::PutResult::kRejected) break;
    counters_->Captured(camera, prepare_ms);
    if (put == LatestFrameSlots<Pending>::PutResult::kReplaced) counters_->Skipped(camera);
  }
  slots.EndCamera(camera);
}

void FramePipeline::InferenceLoop(std::shared_ptr<InferenceWorker> worker) {
  Detector& detector = worker->detector();
  while (auto taken = queues_->slots.Take()) {
    Detected d;
    d.camera = taken->camera;
    d.sequence = taken->sequence;
    d.frame = std::move(taken->frame);
    Stopwatch watch;
    worker->Begin(d.camera, d.sequence, d.frame.number);
    auto detections = detector.Detect(d.frame.input);
    // Given up on by the watchdog: its frame and its place are taken care of, and the pipeline
    // may be gone.
    if (!worker->End()) return;
    d.detect_ms = watch.ElapsedMs();
    d.frame.input = DetectorInput{};  // the resized copy is not needed any more
    if (detections.ok()) {
      d.detections = std::move(*detections);
      counters_->Inferred(d.detect_ms, worker->index());
    } else {
      d.failed = true;
      counters_->Failed(PipelineCounters::kNoCamera,
                        "detector " + detector.description() + ", camera " +
                            cameras_[d.camera].name + " frame " + std::to_string(d.frame.number) +
                            ": " + detections.error().message);
      Stop();
    }
    if (!queues_->results.Push(std::move(d))) break;
  }
  if (--queues_->inference_running == 0) queues_->results.Close();
}

void FramePipeline::PublishLoop() {
  Publishing publishing(*this);
  auto last_stats = std::chrono::steady_clock::now();
  auto last_expire = last_stats;
  for (;;) {
    Detected d;
    auto status = queues_->results.Pop(d, std::chrono::milliseconds(200));
    if (status == BoundedQueue<Detected>::PopStatus::kClosed) break;
    if (status == BoundedQueue<Detected>::PopStatus::kItem) publishing.Add(std::move(d));
    auto now = std::chrono::steady_clock::now();
    if (now - last_expire >= std::chrono::seconds(1)) {
      publishing.Expire();
      last_expire = now;
    }
    if (options_.stats_period_s > 0 &&
        now - last_stats >= std::chrono::duration<double>(options_.stats_period_s)) {
      PipelineStats stats = WithHealth(counters_->PeriodStats());
      for (Publisher* pub : publishers_) pub->OnStats(stats);
      last_stats = now;
    }
  }
  publishing.EndAll();
  PipelineStats total = WithHealth(counters_->TotalStats());
  for (Publisher* pub : publishers_) pub->OnStats(total);
  std::lock_guard lock(mutex_);
  finished_ = true;
  finished_cv_.notify_all();
}

PipelineStats FramePipeline::WithHealth(PipelineStats stats) const {
  if (options_.health) stats.tpus = options_.health();
  return stats;
}

}  // namespace coralpi
