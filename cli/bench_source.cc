// coralpi bench --source; see bench_source.h. Files and test patterns are read as fast as the
// path takes them (add ?live=1 to a test pattern for a paced 30 frames/s camera).
#include "bench_source.h"

#include <cstdio>

#include "command.h"
#include "video/json_lines.h"

namespace coralpi::cli {
namespace {

void PrintReport(const PipelineReport& r, const std::vector<std::string>& sources,
                 const std::string& detector, const SourceBenchFlags& f) {
  for (size_t i = 0; i < sources.size(); ++i)
    std::printf("source:    %s = %s\n", r.cameras[i].camera.c_str(), sources[i].c_str());
  std::printf("detector:  %s, %d side by side\n", detector.c_str(), f.video.detectors);
  std::printf("mode:      %s; ran %.2f s\n",
              f.video.every_frame ? "every frame" : "latest frame (a busy detector skips frames)",
              r.elapsed_s);
  const double s = r.elapsed_s > 0 ? r.elapsed_s : 1;
  std::printf("\n%-10s %12s %12s %12s %10s %10s %10s\n", "camera", "captured/s", "processed/s",
              "skipped/s", "captured", "processed", "skipped");
  for (const CameraTotals& c : r.cameras) {
    std::printf("%-10s %12.1f %12.1f %12.1f %10lld %10lld %10lld\n", c.camera.c_str(),
                c.captured / s, c.processed / s, c.skipped / s, static_cast<long long>(c.captured),
                static_cast<long long>(c.processed), static_cast<long long>(c.skipped));
  }
  std::printf("\n%-10s %12s %12s\n", "stage", "frames/s", "ms/frame");
  auto stage = [&](const char* name, const StageTotals& t, const char* what) {
    std::printf("%-10s %12.1f %12.3f   %s\n", name, t.frames / s, t.mean_ms(), what);
  };
  stage("prepare", r.prepare, "capture threads: resize to the detector's input");
  stage("inference", r.inference, "inference threads: the detector");
  stage("publish", r.publish, "publishing thread: tracker and publishers");
  const LatencyStats& l = r.latency_ms;
  std::printf(
      "\nlatency:   capture to published, ms (%zu frames): median %.2f  p90 %.2f  p99 %.2f  max "
      "%.2f\n",
      l.count, l.median, l.p90, l.p99, l.max);
  std::printf("cpu:       %.0f%% of one core; peak resident %.1f MiB\n", r.cpu_percent,
              r.peak_resident_kib / 1024.0);
}

// Counts nothing itself: the pipeline's counters are the report.
class NoPublisher : public Publisher {};

}  // namespace

int RunSourceBench(const SourceBenchFlags& f, const EngineFlags& engine,
                   const BackendFlags& backend, bool json) {
  StopSignals signals;
  auto kinds = ParseBackendList(backend.backend);
  if (!kinds.ok()) return ReportError(kinds.error());
  if (kinds->size() != 1)
    return ReportError(Error{"--source runs one backend; name one with --backend"});
  auto request = MakeDetectorRequest(f.video, engine, backend, kinds->front(), "");
  if (!request.ok()) return ReportError(request.error());
  auto detectors = CreateDetectors(*request);
  if (!detectors.ok()) return ReportError(detectors.error());
  const std::string detector = (*detectors)[0]->description();
  auto source_options = MakeSourceOptions(f.video, /*realtime=*/false);
  if (!source_options.ok()) return ReportError(source_options.error());
  auto cameras = OpenCameras(f.sources, *source_options);
  if (!cameras.ok()) return ReportError(cameras.error());
  NoPublisher none;
  PipelineOptions options;
  options.every_frame = f.video.every_frame;
  FramePipeline pipeline(std::move(*cameras), std::move(*detectors), {&none}, options);
  auto report = RunPipeline(pipeline, signals, f.seconds);
  if (!report.ok()) return ReportError(report.error());
  if (json) {
    auto j = ToJson(*report);
    j["detector"] = detector;
    j["sources"] = f.sources;
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    PrintReport(*report, f.sources, detector, f);
  }
  for (const std::string& e : report->errors) ReportError(Error{e});
  return report->errors.empty() ? kExitOk : kExitError;
}

}  // namespace coralpi::cli
