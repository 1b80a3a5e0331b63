// Where frames come from: a FrameSource hands out decoded RGB frames one at a time, at the
// display size the pipeline asked for. OpenSource builds one from a source specification
// (source_spec.h) over GStreamer; tests use their own FrameSource implementations.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "image/image.h"

namespace coralpi {

struct CapturedFrame {
  std::shared_ptr<const Image> image;  // RGB, display size
  double wall_time = 0.0;              // seconds since the Unix epoch, when it left the source
  std::chrono::steady_clock::time_point steady{};  // the same moment, for latencies
};

class FrameSource {
 public:
  virtual ~FrameSource() = default;
  virtual const std::string& description() const = 0;
  // Blocks until the next frame. nullopt at the end of the stream or after Interrupt; errors
  // (a stream that broke, a missing decoder) name the source.
  virtual Result<std::optional<CapturedFrame>> Next() = 0;
  // Makes a waiting or later Next return nullopt soon. Safe from any thread.
  virtual void Interrupt() = 0;
};

struct SourceOptions {
  // Frames come out at this size (0, 0: the source's own size).
  int width = 0;
  int height = 0;
  // Frames above this rate are dropped at the source (0: keep all).
  int max_fps = 0;
  // Files and test patterns play at their own frame rate; false reads them as fast as the
  // consumer takes frames (--every-frame, benchmarks). Live sources pace themselves anyway.
  bool realtime = true;
};

// Opens and starts `spec` (e.g. "file:clip.avi?loop=1"). Errors are "SPEC: what": unknown
// scheme, unreadable file, missing GStreamer element (with its Debian package), a pipeline
// GStreamer cannot parse, or a stream it cannot decode.
Result<std::unique_ptr<FrameSource>> OpenSource(const std::string& spec,
                                                const SourceOptions& options);

// Whether GStreamer has an element factory of this name (tests skip without one).
bool HasGstElement(const std::string& factory);

}  // namespace coralpi
