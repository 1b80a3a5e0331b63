#include "video_flags.h"

#include <cstdio>

namespace coralpi::cli {

void AddVideoFlags(CLI::App& app, VideoFlags& flags) {
  app.add_flag("--every-frame", flags.every_frame,
               "Process every frame: capture waits for the detector instead of skipping frames "
               "(files, tests)");
  app.add_option("--fps", flags.fps, "Process at most this many frames per second per camera")
      ->check(CLI::Range(1, 1000));
  app.add_option("--size", flags.size, "Frames at WIDTHxHEIGHT (default: the source's own size)");
  app.add_option("--stand-in-ms", flags.stand_in_ms,
                 "Instead of a model, a stand-in detector that takes this many ms per frame and "
                 "returns two fixed boxes (measures the frame path itself)")
      ->check(CLI::Range(0.0, 10000.0));
  app.add_option("--detectors", flags.detectors,
                 "Detectors to run side by side (several Edge TPUs); frames are spread over them")
      ->check(CLI::Range(1, 16))
      ->capture_default_str();
}

Result<SourceOptions> MakeSourceOptions(const VideoFlags& flags, bool realtime) {
  SourceOptions options;
  options.max_fps = flags.fps;
  options.realtime = realtime && !flags.every_frame;
  if (!flags.size.empty()) {
    char x = 0;
    if (std::sscanf(flags.size.c_str(), "%d%c%d", &options.width, &x, &options.height) != 3 ||
        x != 'x' || options.width < 2 || options.height < 2) {
      return MakeError("--size " + flags.size, "expected WIDTHxHEIGHT, e.g. 640x480");
    }
  }
  return options;
}

Result<DetectorRequest> MakeDetectorRequest(const VideoFlags& flags, const EngineFlags& engine,
                                            const BackendFlags& backend, BackendKind kind,
                                            const std::string& labels) {
  DetectorRequest request;
  request.count = flags.detectors;
  if (flags.stand_in_ms >= 0) {
    request.stand_in_ms = flags.stand_in_ms;
    return request;
  }
  if (engine.model.empty()) return Error{"give --model (a detection model) or --stand-in-ms"};
  request.model = engine.model;
  request.labels = labels;
  request.backend = MakeBackendRequest(kind, engine, backend);
  return request;
}

}  // namespace coralpi::cli
