// The JSON that coralpi serve publishes, in Frigate's shapes so that what reads Frigate's MQTT
// topics and API (Home Assistant's integration, Node-RED flows) reads coralpi's:
//
//   event object  {"id","camera","label","class_id","score","top_score","box":[x1,y1,x2,y2],
//                  "frame_time","start_time","end_time"(null while in progress),"area","ratio",
//                  "has_snapshot","has_clip":false,"false_positive":false}
//   event message {"type":"new|update|end","before":{object},"after":{object}}
//   stats         {"cameras":{"<name>":{"camera_fps","process_fps","skipped_fps",
//                  "detection_fps"}},"detectors":{"<backend>":{"inference_speed",
//                  "devices":{"<backend>:<i>":{"inference_speed","stalls"}}}},
//                  "tpus":{tpus},"detection_fps","cpu_percent",
//                  "service":{"uptime","version","temperatures":{"apex_0":47.3}}}
//   tpus          {"apex_0":{"address","status","temperature" (degrees C),"trip_points":[85.0,
//                  90.0,95.0],"throttled","reset_count"}} (null where sysfs did not say)
//   stall         {"type":"detector_stalled","device","detector","camera","frame","waited",
//                  "timeout" (s),"reopened","error" (null when reopened),"time"}
//
// Boxes are in pixels of the frames the camera delivers; times are seconds since the epoch.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "video/events.h"

namespace coralpi {

nlohmann::ordered_json EventObjectJson(const TrackedObject& object, bool has_snapshot);
nlohmann::ordered_json EventMessageJson(const Event& event);

struct StatsContext {
  std::string detector = "detector";  // the name stats list the detector under
  std::string version;
  double detector_timeout_s = 0;  // the watchdog's, for stall messages
};
nlohmann::ordered_json StatsJson(const PipelineStats& stats, const StatsContext& context);
nlohmann::ordered_json TpusJson(const std::vector<TpuHealth>& tpus);
nlohmann::ordered_json StallJson(const DetectorStall& stall, double timeout_s);

}  // namespace coralpi
