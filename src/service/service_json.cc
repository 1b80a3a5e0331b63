// Frigate-shaped JSON of events and statistics; see service_json.h. The object's own fields come
// from the video layer's ToJson (json_lines.h); Frigate's extra fields are added here.
#include "service/service_json.h"

#include <cmath>
#include <vector>

#include "video/json_lines.h"

namespace coralpi {
namespace {

double Round(double v, double per_unit) { return std::round(v * per_unit) / per_unit; }

}  // namespace

nlohmann::ordered_json EventObjectJson(const TrackedObject& object, bool has_snapshot) {
  nlohmann::ordered_json j = ToJson(object);
  const BoundingBox& b = object.box;
  j["area"] = static_cast<int64_t>(std::lround(b.area()));
  j["ratio"] = b.height() > 0 ? Round(b.width() / b.height(), 1e3) : 0.0;
  j["has_snapshot"] = has_snapshot;
  j["has_clip"] = false;
  j["false_positive"] = false;
  return j;
}

nlohmann::ordered_json EventMessageJson(const Event& event) {
  const bool snapshot = event.snapshot_jpeg != nullptr;
  return {{"type", EventTypeName(event.type)},
          {"before", EventObjectJson(event.before, snapshot)},
          {"after", EventObjectJson(event.after, snapshot)}};
}

nlohmann::ordered_json StatsJson(const PipelineStats& stats, const StatsContext& context) {
  nlohmann::ordered_json cameras = nlohmann::ordered_json::object();
  double detection_fps = 0.0;
  for (const CameraStats& c : stats.cameras) {
    cameras[c.camera] = {{"camera_fps", Round(c.camera_fps, 100)},
                         {"process_fps", Round(c.process_fps, 100)},
                         {"skipped_fps", Round(c.skipped_fps, 100)},
                         {"detection_fps", Round(c.detection_fps, 100)}};
    detection_fps += c.detection_fps;
  }
  nlohmann::ordered_json devices = nlohmann::ordered_json::object();
  for (const DetectorStats& d : stats.detectors) {
    devices[d.device] = {{"inference_speed", Round(d.inference_ms, 100)}, {"stalls", d.stalls}};
  }
  nlohmann::ordered_json detectors = nlohmann::ordered_json::object();
  detectors[context.detector] = {{"inference_speed", Round(stats.inference_ms, 100)},
                                 {"devices", devices}};
  nlohmann::ordered_json temperatures = nlohmann::ordered_json::object();
  for (const TpuHealth& t : stats.tpus) {
    if (t.temperature_c) temperatures[t.device] = Round(*t.temperature_c, 10);
  }
  return {{"cameras", cameras},
          {"detectors", detectors},
          {"tpus", TpusJson(stats.tpus)},
          {"detection_fps", Round(detection_fps, 100)},
          {"cpu_percent", Round(stats.cpu_percent, 10)},
          {"service",
           {{"uptime", Round(stats.uptime_s, 10)},
            {"version", context.version},
            {"temperatures", temperatures}}}};
}

nlohmann::ordered_json TpusJson(const std::vector<TpuHealth>& tpus) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const TpuHealth& t : tpus) {
    nlohmann::ordered_json j = {{"address", t.address}, {"status", t.status}};
    j["temperature"] = t.temperature_c ? nlohmann::ordered_json(Round(*t.temperature_c, 1000))
                                       : nlohmann::ordered_json();
    j["trip_points"] = t.trip_points_c;
    j["throttled"] = t.throttled ? nlohmann::ordered_json(*t.throttled) : nlohmann::ordered_json();
    j["reset_count"] =
        t.reset_count ? nlohmann::ordered_json(*t.reset_count) : nlohmann::ordered_json();
    out[t.device] = j;
  }
  return out;
}

nlohmann::ordered_json StallJson(const DetectorStall& stall, double timeout_s) {
  return {
      {"type", "detector_stalled"},
      {"device", stall.device},
      {"detector", stall.description},
      {"camera", stall.camera},
      {"frame", stall.frame},
      {"waited", Round(stall.waited_s, 1000)},
      {"timeout", timeout_s},
      {"reopened", stall.reopened},
      {"error", stall.reopened ? nlohmann::ordered_json() : nlohmann::ordered_json(stall.error)},
      {"time", Round(stall.time, 1000)}};
}

}  // namespace coralpi
