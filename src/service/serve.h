// coralpi serve as a library call: a ServiceConfig becomes detectors, cameras, the HTTP and
// MQTT publishers and a FramePipeline, which then runs until SIGINT/SIGTERM (or the sources
// end). The command (cli/cmd_serve.cc) only reads the flags and the file.
#pragma once

#include <functional>
#include <string>

#include "core/result.h"
#include "core/stop_signals.h"
#include "service/config.h"
#include "video/frame_pipeline.h"

namespace coralpi {

struct ServeOptions {
  std::string version;                          // for stats, /api/version, discovery
  std::function<void(const std::string&)> log;  // one line per notable thing (may be null)
  double max_seconds = 0;                       // > 0: stop after this long
  std::string root = "/";  // the Edge TPUs' health is read from sysfs under it ("": not read)
};

// What the pipeline does with detections, from the configuration's objects: the labels kept,
// the lowest min_score (the per-label ones are applied by the detector wrapper MinScoreFilter),
// the tracker's thresholds, snapshots with the object's box.
PipelineOptions MakePipelineOptions(const ServiceConfig& config);

// A publisher that logs each detector stall as one line ("watchdog: ...").
std::unique_ptr<Publisher> StallLogger(std::function<void(const std::string&)> log);

// Drops detections under their label's min_score (objects.filters), after a detector.
std::unique_ptr<Detector> MinScoreFilter(std::unique_ptr<Detector> detector,
                                         const ObjectsConfig& objects);

// Runs the service; errors name the configuration key they come from.
Result<PipelineReport> RunService(const ServiceConfig& config, StopSignals& signals,
                                  const ServeOptions& options);

}  // namespace coralpi
