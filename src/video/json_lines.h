// The video layer's values as JSON, and a Publisher that writes one JSON object per line
// (what `coralpi watch` prints; other publishers reuse the conversions).
//
//   {"type":"frame","camera":"cam0","frame":12,"time":1714000000.123,"inference_ms":41.2,
//    "detections":[{"label":"boxer","class_id":1,"score":0.29,"box":[388.1,169.0,495.2,245.3]}]}
//   {"type":"event","event":"new","snapshot":false,"before":{...},"after":{...}}
//   {"type":"stats","uptime_s":..,"inference_ms":..,"cpu_percent":..,"cameras":{"cam0":{...}}}
//   {"type":"summary",...}   (PipelineReport: totals, per-stage times, latency)
//
// Boxes are [xmin, ymin, xmax, ymax] in pixels of the frame; times are seconds since the Unix
// epoch; an object's end_time is null while it is in progress.
#pragma once

#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>

#include "video/events.h"
#include "video/pipeline_report.h"

namespace coralpi {

nlohmann::ordered_json ToJson(const Detection& d);
nlohmann::ordered_json ToJson(const TrackedObject& o);
nlohmann::ordered_json ToJson(const ProcessedFrame& f);
nlohmann::ordered_json ToJson(const Event& e);
nlohmann::ordered_json ToJson(const PipelineStats& s);
nlohmann::ordered_json ToJson(const PipelineReport& r);

struct JsonLinesOptions {
  bool frames = true;  // a line per processed frame
  bool events = true;
  bool stats = true;
};

// Writes each frame, event and statistics as a line to `out` (not owned), flushed at once so a
// reader of a pipe sees it immediately.
class JsonLinesPublisher : public Publisher {
 public:
  JsonLinesPublisher(std::FILE* out, JsonLinesOptions options) : out_(out), options_(options) {}
  void OnFrame(const ProcessedFrame& frame) override;
  void OnEvent(const Event& event) override;
  void OnStats(const PipelineStats& stats) override;
  // For the caller's own lines (the summary), in the same stream.
  void WriteLine(const nlohmann::ordered_json& j);

 private:
  std::FILE* out_;
  JsonLinesOptions options_;
  std::mutex mutex_;
};

}  // namespace coralpi
