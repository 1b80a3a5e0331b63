// coralpi bench --source: the whole frame path on live or recorded video, reported as frames
// per second per camera and per stage, skipped frames, and capture-to-publish latency.
#pragma once

#include <string>
#include <vector>

#include "flags.h"
#include "video_flags.h"

namespace coralpi::cli {

struct SourceBenchFlags {
  std::vector<std::string> sources;
  double seconds = 10;
  VideoFlags video;
};

int RunSourceBench(const SourceBenchFlags& f, const EngineFlags& engine,
                   const BackendFlags& backend, bool json);

// --source, --seconds and the video flags, on the bench command.
void AddSourceBenchFlags(CLI::App& app, SourceBenchFlags& flags);

}  // namespace coralpi::cli
