// The frame path's counters; see pipeline_report.h.
#include "video/pipeline_report.h"

#include <cmath>

namespace coralpi {
namespace {

int64_t Micros(double ms) { return std::llround(ms * 1000.0); }

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

}  // namespace

int64_t PipelineReport::total(int64_t CameraTotals::*field) const {
  int64_t sum = 0;
  for (const CameraTotals& c : cameras) sum += c.*field;
  return sum;
}

PipelineCounters::PipelineCounters(std::vector<std::string> cameras, size_t latency_samples,
                                   std::vector<std::string> detectors)
    : names_(std::move(cameras)),
      cameras_(new Camera[names_.size()]),
      detector_names_(std::move(detectors)),
      detectors_(new Detector[detector_names_.size()]),
      latency_capacity_(latency_samples < 1 ? 1 : latency_samples),
      camera_errors_(names_.size()) {
  start_ = last_ = Take();
}

void PipelineCounters::Captured(size_t camera, double prepare_ms) {
  ++cameras_[camera].captured;
  ++prepared_;
  prepare_us_ += Micros(prepare_ms);
}

void PipelineCounters::Skipped(size_t camera) { ++cameras_[camera].skipped; }

void PipelineCounters::Dropped(size_t camera, int64_t frames) {
  cameras_[camera].dropped += frames;
}

void PipelineCounters::Inferred(double detect_ms, size_t detector) {
  ++inferred_;
  detect_us_ += Micros(detect_ms);
  if (detector < detector_names_.size()) {
    ++detectors_[detector].inferred;
    detectors_[detector].detect_us += Micros(detect_ms);
  }
}

void PipelineCounters::Stalled(size_t detector) {
  if (detector < detector_names_.size()) ++detectors_[detector].stalls;
}

void PipelineCounters::Published(size_t camera, size_t detections, double publish_ms,
                                 double latency_ms) {
  ++cameras_[camera].processed;
  cameras_[camera].detections += static_cast<int64_t>(detections);
  ++published_;
  publish_us_ += Micros(publish_ms);
  std::lock_guard lock(mutex_);
  if (latency_ms_.size() < latency_capacity_) {
    latency_ms_.push_back(latency_ms);
  } else {
    latency_ms_[latency_next_] = latency_ms;
    latency_next_ = (latency_next_ + 1) % latency_capacity_;
  }
}

void PipelineCounters::Failed(size_t camera, const std::string& error) {
  std::lock_guard lock(mutex_);
  errors_.push_back(error);
  if (camera < camera_errors_.size() && camera_errors_[camera].empty())
    camera_errors_[camera] = error;
}

PipelineCounters::Snapshot PipelineCounters::Take() const {
  Snapshot s;
  s.time = std::chrono::steady_clock::now();
  s.cpu_s = ProcessCpuSeconds();
  s.inferred = inferred_;
  s.detect_us = detect_us_;
  for (size_t i = 0; i < names_.size(); ++i) {
    s.captured.push_back(cameras_[i].captured);
    s.skipped.push_back(cameras_[i].skipped);
    s.processed.push_back(cameras_[i].processed);
    s.detections.push_back(cameras_[i].detections);
  }
  for (size_t i = 0; i < detector_names_.size(); ++i) {
    s.detector_inferred.push_back(detectors_[i].inferred);
    s.detector_us.push_back(detectors_[i].detect_us);
  }
  return s;
}

PipelineStats PipelineCounters::Rates(const Snapshot& from, const Snapshot& to) const {
  PipelineStats stats;
  const double period = Seconds(to.time - from.time);
  const double per_s = period > 0 ? 1.0 / period : 0.0;
  stats.uptime_s = Seconds(to.time - start_.time);
  int64_t inferred = to.inferred - from.inferred;
  stats.inference_ms = inferred > 0 ? (to.detect_us - from.detect_us) / 1000.0 / inferred : 0.0;
  stats.cpu_percent = 100.0 * (to.cpu_s - from.cpu_s) * per_s;
  for (size_t i = 0; i < names_.size(); ++i) {
    CameraStats c;
    c.camera = names_[i];
    c.camera_fps = (to.captured[i] - from.captured[i]) * per_s;
    c.process_fps = (to.processed[i] - from.processed[i]) * per_s;
    c.skipped_fps = (to.skipped[i] - from.skipped[i]) * per_s;
    c.detection_fps = (to.detections[i] - from.detections[i]) * per_s;
    stats.cameras.push_back(c);
  }
  for (size_t i = 0; i < detector_names_.size(); ++i) {
    const int64_t n = to.detector_inferred[i] - from.detector_inferred[i];
    const double us = static_cast<double>(to.detector_us[i] - from.detector_us[i]);
    stats.detectors.push_back({detector_names_[i],
                               n > 0 ? us / 1000.0 / static_cast<double>(n) : 0.0,
                               detectors_[i].stalls.load()});
  }
  return stats;
}

PipelineStats PipelineCounters::PeriodStats() {
  Snapshot now = Take();
  PipelineStats stats = Rates(last_, now);
  last_ = std::move(now);
  return stats;
}

PipelineStats PipelineCounters::TotalStats() const { return Rates(start_, Take()); }

PipelineReport PipelineCounters::Report() const {
  PipelineReport r;
  r.elapsed_s = Seconds(std::chrono::steady_clock::now() - start_.time);
  r.cpu_percent = r.elapsed_s > 0 ? 100.0 * (ProcessCpuSeconds() - start_.cpu_s) / r.elapsed_s : 0;
  r.peak_resident_kib = PeakResidentKiB();
  r.prepare = {prepared_, prepare_us_ / 1000.0};
  r.inference = {inferred_, detect_us_ / 1000.0};
  r.publish = {published_, publish_us_ / 1000.0};
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < names_.size(); ++i) {
    const Camera& c = cameras_[i];
    r.cameras.push_back({names_[i], c.captured, c.skipped, c.processed, c.dropped, c.detections,
                         camera_errors_[i]});
  }
  r.latency_ms = Summarize(latency_ms_);
  r.errors = errors_;
  return r;
}

}  // namespace coralpi
