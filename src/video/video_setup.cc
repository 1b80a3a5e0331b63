// Cameras, detectors and the run loop shared by the video commands; see video_setup.h.
#include "video/video_setup.h"

#include <algorithm>
#include <cctype>

#include "core/timer.h"
#include "video/model_detector.h"

namespace coralpi {

std::pair<std::string, std::string> SplitCameraName(const std::string& arg,
                                                    const std::string& default_name) {
  size_t eq = arg.find('=');
  if (eq == std::string::npos || eq == 0) return {default_name, arg};
  std::string name = arg.substr(0, eq);
  bool plain = std::all_of(name.begin(), name.end(),
                           [](unsigned char c) { return std::isalnum(c) || c == '-' || c == '_'; });
  if (!plain) return {default_name, arg};
  return {name, arg.substr(eq + 1)};
}

Result<std::vector<CameraSource>> OpenCameras(const std::vector<std::string>& args,
                                              const SourceOptions& options) {
  std::vector<CameraSource> cameras;
  for (size_t i = 0; i < args.size(); ++i) {
    auto [name, spec] = SplitCameraName(args[i], "cam" + std::to_string(i));
    CORALPI_ASSIGN_OR_RETURN(auto source, OpenSource(spec, options));
    cameras.push_back({name, std::move(source)});
  }
  return cameras;
}

Result<std::vector<std::unique_ptr<Detector>>> CreateDetectors(const DetectorRequest& request) {
  std::vector<std::unique_ptr<Detector>> detectors;
  if (request.count < 1) return Error{"at least one detector is needed"};
  auto calls =
      request.stand_in_calls ? request.stand_in_calls : std::make_shared<std::atomic<int64_t>>(0);
  for (int i = 0; i < request.count; ++i) {
    if (!request.model.empty()) {
      CORALPI_ASSIGN_OR_RETURN(
          auto detector, ModelDetector::Create(request.model, request.labels, request.backend));
      detectors.push_back(std::move(detector));
      continue;
    }
    StandInOptions options;
    options.sleep_ms = request.stand_in_ms;
    options.hang_at = request.stand_in_hang_at;
    options.hang_s = request.stand_in_hang_s;
    options.calls = calls;
    detectors.push_back(std::make_unique<StandInDetector>(options));
  }
  return detectors;
}

Result<PipelineReport> RunPipeline(FramePipeline& pipeline, StopSignals& signals,
                                   double max_seconds) {
  CORALPI_RETURN_IF_ERROR(pipeline.Start());
  Stopwatch watch;
  bool stopped = false;
  while (!pipeline.WaitFor(0.0)) {
    bool timed_out = max_seconds > 0 && watch.ElapsedMs() >= max_seconds * 1000.0;
    if (!stopped && (signals.Wait(0.05) != 0 || timed_out)) {
      pipeline.Stop();
      stopped = true;
    }
    if (stopped) pipeline.WaitFor(0.05);
  }
  return pipeline.Join();
}

}  // namespace coralpi
