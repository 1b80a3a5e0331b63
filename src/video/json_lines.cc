// JSON forms of the video values and the JSON-lines publisher; see json_lines.h.
#include "video/json_lines.h"

#include <cmath>

#include "vision/detection_json.h"

namespace coralpi {
namespace {

// Short numbers in the output: pixels and milliseconds to 2 decimals, scores to 4, times to 6.
// Dividing by a power of ten gives the double nearest the decimal, which prints short.
double Round(double v, double per_unit) { return std::round(v * per_unit) / per_unit; }
double Px(double v) { return Round(v, 100); }

nlohmann::ordered_json Box(const BoundingBox& b) {
  return nlohmann::ordered_json::array({Px(b.xmin), Px(b.ymin), Px(b.xmax), Px(b.ymax)});
}

nlohmann::ordered_json Latency(const LatencyStats& s) {
  return {{"count", s.count}, {"min", Px(s.min)}, {"median", Px(s.median)}, {"mean", Px(s.mean)},
          {"p90", Px(s.p90)}, {"p99", Px(s.p99)}, {"max", Px(s.max)}};
}

nlohmann::ordered_json Stage(const StageTotals& s, double elapsed_s) {
  return {{"frames", s.frames},
          {"mean_ms", Px(s.mean_ms())},
          {"fps", elapsed_s > 0 ? Px(static_cast<double>(s.frames) / elapsed_s) : 0.0}};
}

}  // namespace

nlohmann::ordered_json ToJson(const Detection& d) { return DetectionJson(d); }

nlohmann::ordered_json ToJson(const TrackedObject& o) {
  return {{"id", o.id},
          {"camera", o.camera},
          {"label", o.label},
          {"class_id", o.class_id},
          {"score", Round(o.score, 1e4)},
          {"top_score", Round(o.top_score, 1e4)},
          {"box", Box(o.box)},
          {"frame_time", Round(o.frame_time, 1e6)},
          {"start_time", Round(o.start_time, 1e6)},
          {"end_time", o.end_time > 0 ? nlohmann::ordered_json(Round(o.end_time, 1e6))
                                      : nlohmann::ordered_json()}};
}

nlohmann::ordered_json ToJson(const ProcessedFrame& f) {
  nlohmann::ordered_json detections = nlohmann::ordered_json::array();
  for (const Detection& d : f.detections) detections.push_back(ToJson(d));
  return {{"type", "frame"},
          {"camera", f.camera},
          {"frame", f.number},
          {"time", Round(f.capture_time, 1e6)},
          {"inference_ms", Px(f.inference_ms)},
          {"detections", detections}};
}

nlohmann::ordered_json ToJson(const Event& e) {
  return {{"type", "event"},
          {"event", EventTypeName(e.type)},
          {"snapshot", e.snapshot_jpeg != nullptr},
          {"before", ToJson(e.before)},
          {"after", ToJson(e.after)}};
}

nlohmann::ordered_json ToJson(const PipelineStats& s) {
  nlohmann::ordered_json cameras = nlohmann::ordered_json::object();
  for (const CameraStats& c : s.cameras) {
    cameras[c.camera] = {{"camera_fps", Px(c.camera_fps)},
                         {"process_fps", Px(c.process_fps)},
                         {"skipped_fps", Px(c.skipped_fps)},
                         {"detection_fps", Px(c.detection_fps)}};
  }
  return {{"type", "stats"},
          {"uptime_s", Px(s.uptime_s)},
          {"inference_ms", Px(s.inference_ms)},
          {"cpu_percent", Round(s.cpu_percent, 10)},
          {"cameras", cameras}};
}

nlohmann::ordered_json ToJson(const PipelineReport& r) {
  nlohmann::ordered_json cameras = nlohmann::ordered_json::object();
  for (const CameraTotals& c : r.cameras) {
    cameras[c.camera] = {{"captured", c.captured},
                         {"skipped", c.skipped},
                         {"processed", c.processed},
                         {"dropped", c.dropped},
                         {"detections", c.detections}};
    if (!c.error.empty()) cameras[c.camera]["error"] = c.error;
  }
  return {{"type", "summary"},
          {"elapsed_s", Px(r.elapsed_s)},
          {"cameras", cameras},
          {"stages",
           {{"prepare", Stage(r.prepare, r.elapsed_s)},
            {"inference", Stage(r.inference, r.elapsed_s)},
            {"publish", Stage(r.publish, r.elapsed_s)}}},
          {"latency_ms", Latency(r.latency_ms)},
          {"cpu_percent", Round(r.cpu_percent, 10)},
          {"peak_resident_mib", Round(r.peak_resident_kib / 1024.0, 10)},
          {"errors", r.errors}};
}

void JsonLinesPublisher::WriteLine(const nlohmann::ordered_json& j) {
  std::string line = j.dump() + "\n";
  std::lock_guard lock(mutex_);
  std::fputs(line.c_str(), out_);
  std::fflush(out_);
}

void JsonLinesPublisher::OnFrame(const ProcessedFrame& frame) {
  if (options_.frames) WriteLine(ToJson(frame));
}

void JsonLinesPublisher::OnEvent(const Event& event) {
  if (options_.events) WriteLine(ToJson(event));
}

void JsonLinesPublisher::OnStats(const PipelineStats& stats) {
  if (options_.stats) WriteLine(ToJson(stats));
}

}  // namespace coralpi
