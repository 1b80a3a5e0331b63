// Video sources as the user names them on the command line or in a config file, and the
// GStreamer elements each one becomes.
//
//   file:PATH[?loop=1]                      a video file (any container GStreamer can demux)
//   v4l2:/dev/videoN[?size=WxH&fps=N&format=raw|mjpeg]
//   rtsp://...                              passed whole to rtspsrc (its own query is kept)
//   libcamera:[NAME][?size=WxH&fps=N]       libcamerasrc, looked up at run time
//   exec:COMMAND[?raw=WxH&format=i420&fps=N] raw frames (with raw=) or MJPEG/any container the
//                                           decoder recognises, on the command's stdout
//   test:[PATTERN][?size=WxH&fps=N&live=1&frames=N]  videotestsrc (smpte, ball, snow, ...)
//   gst:PIPELINE ! appsink                  any pipeline; its final appsink is replaced by
//                                           coralpi's converter and appsink
//
// Parsing is pure (no GStreamer): the result names the elements and their properties, and
// user-given strings (paths, URIs, device names) are kept apart from the pipeline text so no
// quoting is ever needed. Errors read "SPEC: what".
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.h"

namespace coralpi {

enum class SourceKind { kFile, kV4l2, kRtsp, kLibcamera, kExec, kTest, kGst };

const char* SourceKindName(SourceKind kind);  // "file", "v4l2", ...

struct SourceSpec {
  std::string text;  // as given, for messages
  SourceKind kind = SourceKind::kTest;
  std::string location;  // path, device, URI, camera name, command, pattern or pipeline
  std::map<std::string, std::string> options;  // the ?key=value part, checked per kind

  // Typed views of the options (0 or false when absent).
  int width = 0, height = 0;  // size=WxH (raw=WxH for exec)
  int fps = 0;
  bool loop = false;
  bool live = false;
  int frames = 0;  // test: stop after this many frames
};

Result<SourceSpec> ParseSourceSpec(const std::string& text);

// Whether the source paces itself (cameras, streams, commands) rather than being read as fast
// as the consumer wants (files, test patterns).
bool IsLiveSource(const SourceSpec& spec);

// One element of the source part of a pipeline: a GStreamer factory name, a name coralpi
// refers to it by (may be empty) and properties set as strings after parsing (paths, URIs:
// never pasted into pipeline text).
struct SourceElement {
  std::string factory;
  std::string name;
  std::map<std::string, std::string> properties;
};

// How a source becomes GStreamer elements: `description` is pipeline text ending in a decoded
// video stream (to be followed by " ! " and coralpi's tail); `elements` are the factories it
// uses (checked before parsing, to name missing plugins) with the properties to set by name.
struct SourcePipeline {
  std::string description;
  std::vector<SourceElement> elements;
};

// `exec_fd` is the read end of the command's stdout pipe (exec: only).
Result<SourcePipeline> BuildSourcePipeline(const SourceSpec& spec, int exec_fd = -1);

// The Debian package that ships a GStreamer element, for error messages ("" if unknown).
const char* PackageForElement(const std::string& factory);

}  // namespace coralpi
