// coralpi watch: runs the frame path on one or more sources and prints JSON lines: one per
// processed frame (camera, frame number, capture time, inference ms, detections), one per
// event (new / update / end of a tracked object), the statistics at the end (and every
// --stats-every seconds), then a summary with the totals, per-stage times and latency.
// Ends at the end of the sources, after --frames, or at Ctrl-C / SIGTERM.
#include <cstdio>

#include "command.h"
#include "flags.h"
#include "video/json_lines.h"
#include "video/video_setup.h"
#include "video_flags.h"

namespace coralpi::cli {
namespace {

struct WatchFlags {
  std::vector<std::string> sources;
  EngineFlags engine;
  BackendFlags backend;
  VideoFlags video;
  std::string labels;
  float threshold = 0.5f;
  int64_t frames = 0;
  double stats_every = 0;
  bool events_only = false;
};

int RunWatch(const WatchFlags& f) {
  StopSignals signals;  // before any thread starts, so all of them inherit the blocked mask
  auto kind = ParseBackendKind(f.backend.backend);
  if (!kind.ok()) return ReportError(kind.error());
  auto request = MakeDetectorRequest(f.video, f.engine, f.backend, *kind, f.labels);
  if (!request.ok()) return ReportError(request.error());
  auto detectors = CreateDetectors(*request);
  if (!detectors.ok()) return ReportError(detectors.error());
  auto source_options = MakeSourceOptions(f.video, /*realtime=*/true);
  if (!source_options.ok()) return ReportError(source_options.error());
  auto cameras = OpenCameras(f.sources, *source_options);
  if (!cameras.ok()) return ReportError(cameras.error());

  JsonLinesPublisher out(stdout, {.frames = !f.events_only, .events = true, .stats = true});
  PipelineOptions options;
  options.every_frame = f.video.every_frame;
  options.max_frames = f.frames;
  options.min_score = f.threshold;
  options.tracker.threshold = f.threshold;
  options.stats_period_s = f.stats_every;
  FramePipeline pipeline(std::move(*cameras), std::move(*detectors), {&out}, options);
  auto report = RunPipeline(pipeline, signals);
  if (!report.ok()) return ReportError(report.error());
  out.WriteLine(ToJson(*report));
  for (const std::string& e : report->errors) ReportError(Error{e});
  return report->errors.empty() ? kExitOk : kExitError;
}

}  // namespace

RunFn AddWatchCommand(CLI::App& sub) {
  auto f = std::make_shared<WatchFlags>();
  sub.add_option("source", f->sources,
                 "[NAME=]SOURCE: file:PATH[?loop=1], v4l2:/dev/videoN, rtsp://..., "
                 "libcamera:[NAME], exec:COMMAND, test:[PATTERN], gst:PIPELINE ! appsink")
      ->required();
  AddEngineFlags(sub, f->engine, /*model_required=*/false);
  AddBackendFlags(sub, f->backend);
  sub.add_option("-l,--labels", f->labels, "Label file");
  sub.add_option("--threshold", f->threshold,
                 "Lowest score reported, and the median score that makes a tracked object an event")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  sub.add_option("--frames", f->frames, "Stop after this many processed frames per camera")
      ->check(CLI::Range(int64_t{1}, int64_t{1} << 40));
  sub.add_option("--stats-every", f->stats_every, "Print statistics every this many seconds")
      ->check(CLI::Range(0.1, 86400.0));
  sub.add_flag("--events-only", f->events_only, "No line per frame: only events and statistics");
  AddVideoFlags(sub, f->video);
  return [f] { return RunWatch(*f); };
}

}  // namespace coralpi::cli
