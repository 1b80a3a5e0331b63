// What watch, serve and bench --source do alike before and around a FramePipeline: name and
// open the cameras, create the detectors, run until the sources end or SIGINT/SIGTERM.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "backend/backend_factory.h"
#include "core/result.h"
#include "core/stop_signals.h"
#include "video/detector.h"
#include "video/frame_pipeline.h"

namespace coralpi {

// "door=rtsp://..." -> {"door", "rtsp://..."}; a spec without a "NAME=" prefix (NAME made of
// letters, digits, '-' and '_') gets `default_name`.
std::pair<std::string, std::string> SplitCameraName(const std::string& arg,
                                                    const std::string& default_name);

// Opens every source ("[NAME=]SPEC"; unnamed ones are cam0, cam1, ... by position).
Result<std::vector<CameraSource>> OpenCameras(const std::vector<std::string>& args,
                                              const SourceOptions& options);

struct DetectorRequest {
  std::string model;   // empty: the stand-in detector
  std::string labels;  // label file (optional)
  BackendRequest backend;
  double stand_in_ms = 3.0;
  int count = 1;  // detectors to create (several Edge TPUs, or several stand-ins)
  // Stand-in only, for tests of the watchdog: the stand_in_hang_at-th invoke over every
  // stand-in sharing `stand_in_calls` (made here when null) sleeps stand_in_hang_s seconds.
  int64_t stand_in_hang_at = 0;
  double stand_in_hang_s = 0.0;
  std::shared_ptr<std::atomic<int64_t>> stand_in_calls;
};

Result<std::vector<std::unique_ptr<Detector>>> CreateDetectors(const DetectorRequest& request);

// Starts `pipeline` and waits for its end; SIGINT or SIGTERM (taken through `signals`) stop it
// cleanly, as does `max_seconds` when > 0. Returns the pipeline's report.
Result<PipelineReport> RunPipeline(FramePipeline& pipeline, StopSignals& signals,
                                   double max_seconds = 0);

}  // namespace coralpi
