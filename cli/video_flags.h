// Flags shared by the commands that run the frame path (watch, bench --source): how sources
// are read and which detector runs.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "flags.h"
#include "video/frame_source.h"
#include "video/video_setup.h"

namespace coralpi::cli {

struct VideoFlags {
  bool every_frame = false;
  int fps = 0;
  std::string size;         // WxH, display size of the frames
  double stand_in_ms = -1;  // >= 0: the stand-in detector instead of a model
  int detectors = 1;
};

// --every-frame, --fps, --size, --stand-in-ms, --detectors.
void AddVideoFlags(CLI::App& app, VideoFlags& flags);

// Source options from the flags; `realtime` for files and test patterns (not with --every-frame).
Result<SourceOptions> MakeSourceOptions(const VideoFlags& flags, bool realtime);

// A model detector from --model (and its backend flags), or the stand-in with --stand-in-ms.
Result<DetectorRequest> MakeDetectorRequest(const VideoFlags& flags, const EngineFlags& engine,
                                            const BackendFlags& backend, BackendKind kind,
                                            const std::string& labels);

}  // namespace coralpi::cli
