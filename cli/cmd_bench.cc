// coralpi bench: load and init time, then invoke latency statistics and peak memory, the way
// TensorFlow Lite's benchmark_model measures (warm-up runs first, then timed runs). With
// --backend cpu,tflite,edgetpu it measures each available backend in turn on the same model
// and prints the same statistics side by side, naming the ones it skipped and why. With
// --profile it then runs the CPU engine once more with every node as its own timed step and
// prints the time per operator type, per runner (XNNPACK, reference kernels) and the slowest
// nodes.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "backend/backend_factory.h"
#include "backend/random_inputs.h"
#include "bench_source.h"
#include "command.h"
#include "core/stats.h"
#include "core/timer.h"
#include "engine/engine_profile.h"
#include "flags.h"
#include "model/mobilenet_v2.h"
#include "model/ultralytics_metadata.h"
#include "task/detection_task.h"

namespace coralpi::cli {
namespace {

struct BenchFlags {
  EngineFlags engine;
  BackendFlags backend;
  int warmup = 5;
  int runs = 50;
  double min_seconds = 0;
  bool json = false;
  bool profile = false;
  int top = 10;             // slowest nodes to list with --profile
  SourceBenchFlags source;  // --source: the whole frame path instead
};

struct BenchResult {
  std::string backend, reason, details;
  std::vector<std::string> notes;
  double init_ms = 0;
  LatencyStats invoke;
  // Detectors: decoding the outputs into detections (YOLO: with NMS), timed apart from invoke.
  std::string head;  // "" for other models
  LatencyStats results;
  long peak_kib = 0;
};

struct Skipped {
  std::string backend, reason;
};

struct BenchRun {
  std::string model_name;
  std::vector<std::string> notes;  // the backends' notes, each once
  double load_ms = 0;
  std::vector<BenchResult> results;
  std::vector<Skipped> skipped;
  std::optional<EngineProfile> profile;
};

// The time to decode a detector's outputs (what the last invoke left), as detect does with its
// default threshold, over `runs` runs; nothing for a model that is no detector.
Status BenchResults(const ModelSource& model, Backend& engine, int runs, BenchResult& r) {
  auto metadata = ReadUltralyticsMetadata(model.bytes());
  auto head = FindDetectionHead(*model.model, metadata.ok() ? *metadata : std::nullopt);
  if (!head.ok() || engine.input_count() != 1 || engine.input(0).shape.size() != 4) {
    return OkStatus();
  }
  HeadDecodeOptions opt;
  opt.threshold = head->yolo() ? 0.25f : 0.5f;
  opt.iou = head->yolo() ? DefaultYoloIou(head->layout()) : 0.0f;
  opt.input_height = static_cast<int>(engine.input(0).shape[1]);
  opt.input_width = static_cast<int>(engine.input(0).shape[2]);
  const InputTransform identity = MakeInputTransform(
      opt.input_width, opt.input_height, opt.input_width, opt.input_height, ResizeMode::kStretch);
  std::vector<double> samples;
  for (int i = 0; i < runs; ++i) {
    Stopwatch watch;
    CORALPI_RETURN_IF_ERROR(DecodeDetectionHead(engine, *head, identity, nullptr, opt));
    samples.push_back(watch.ElapsedMs());
  }
  r.head = DetectionHeadName(head->kind);
  r.results = Summarize(samples);
  return OkStatus();
}

Result<BenchResult> BenchOne(const ModelSource& model, BackendKind kind, const BenchFlags& f) {
  BenchResult r;
  Stopwatch watch;
  CORALPI_ASSIGN_OR_RETURN(BackendChoice choice,
                           CreateBackend(model, MakeBackendRequest(kind, f.engine, f.backend)));
  r.init_ms = watch.ElapsedMs();
  Backend& engine = *choice.backend;
  r.backend = engine.name();
  r.reason = choice.reason;
  r.details = engine.details();
  r.notes = std::move(choice.notes);
  FillRandomInputs(engine);
  for (int i = 0; i < f.warmup; ++i) CORALPI_RETURN_IF_ERROR(engine.Invoke());
  std::vector<double> samples;
  Stopwatch total;
  while (static_cast<int>(samples.size()) < f.runs || total.ElapsedMs() < f.min_seconds * 1000.0) {
    watch.Restart();
    CORALPI_RETURN_IF_ERROR(engine.Invoke());
    samples.push_back(watch.ElapsedMs());
  }
  r.invoke = Summarize(samples);
  CORALPI_RETURN_IF_ERROR(BenchResults(model, engine, f.runs, r));
  r.peak_kib = PeakResidentKiB();
  return r;
}

// The CPU engine with every node its own timed step, after the same warm-up, over the same runs.
Result<EngineProfile> ProfileCpuEngine(const ModelSource& model, const BenchFlags& f) {
  CpuEngineOptions options;
  options.threads = f.engine.threads;
  options.use_xnnpack = !f.engine.reference;
  options.profile = true;
  CORALPI_ASSIGN_OR_RETURN(std::unique_ptr<CpuEngine> engine,
                           CpuEngine::Create(model.model, options));
  std::mt19937 rng(42);
  for (size_t i = 0; i < engine->input_count(); ++i) FillRandomTensor(engine->input(i), rng);
  for (int i = 0; i < f.warmup; ++i) CORALPI_RETURN_IF_ERROR(engine->Invoke());
  engine->ResetStepTimings();
  Stopwatch total;
  for (int i = 0; i < f.runs || total.ElapsedMs() < f.min_seconds * 1000.0; ++i) {
    CORALPI_RETURN_IF_ERROR(engine->Invoke());
  }
  return SummarizeProfile(*engine);
}

Result<BenchRun> Bench(const BenchFlags& f, const std::vector<BackendKind>& kinds) {
  BenchRun run;
  Stopwatch watch;
  ModelSource model;
  if (f.engine.model.empty()) {
    run.model_name = "built-in MobileNet v2 1.0 224 uint8";
    CORALPI_ASSIGN_OR_RETURN(model, ModelSourceFromBytes(BuildMobileNetV2Uint8(), run.model_name));
  } else {
    run.model_name = f.engine.model;
    CORALPI_ASSIGN_OR_RETURN(model, LoadModelSource(f.engine.model));
  }
  run.load_ms = watch.ElapsedMs();
  for (BackendKind kind : kinds) {
    auto r = BenchOne(model, kind, f);
    if (r.ok()) {
      for (const std::string& n : r->notes) {
        if (std::find(run.notes.begin(), run.notes.end(), n) == run.notes.end())
          run.notes.push_back(n);
      }
      run.results.push_back(std::move(*r));
    } else if (kinds.size() == 1) {
      return r.error();
    } else {
      run.skipped.push_back({BackendKindName(kind), r.error().message});
    }
  }
  if (run.results.empty()) {
    std::string message = "no backend could run " + run.model_name + ":";
    for (const Skipped& s : run.skipped) message += "\n  " + s.backend + ": " + s.reason;
    return Error{message};
  }
  if (f.profile) {
    auto profile = ProfileCpuEngine(model, f);
    if (!profile.ok()) return WithContext("--profile", profile.error());
    run.profile = std::move(*profile);
  }
  return run;
}

void PrintProfile(const EngineProfile& p, const BenchFlags& f) {
  std::printf(
      "\nprofile:  CPU engine, %d thread(s), %lld runs, every node its own step (one XNNPACK\n"
      "          runtime per node: an approximation, without fusion across nodes and with one\n"
      "          thread-pool dispatch per node); %.3f ms per invoke in all\n",
      f.engine.threads, static_cast<long long>(p.invokes), p.total_ms);
  std::printf("\n  %-28s %6s %11s %7s\n", "runner", "nodes", "ms/invoke", "share");
  for (const RunnerTime& r : p.by_runner)
    std::printf("  %-28s %6d %11.3f %6.1f%%\n", r.runner.c_str(), r.nodes, r.ms, 100 * r.share);
  std::printf("\n  %-28s %6s %11s %7s\n", "operator type", "nodes", "ms/invoke", "share");
  for (const OpTypeTime& t : p.by_type)
    std::printf("  %-28s %6d %11.3f %6.1f%%\n", t.type.c_str(), t.nodes, t.ms, 100 * t.share);
  std::printf("\n  slowest nodes:\n  %5s  %-22s %-10s %-20s %9s %7s\n", "node", "type", "runner",
              "output", "ms", "share");
  const size_t n = std::min(p.nodes.size(), static_cast<size_t>(f.top));
  for (size_t i = 0; i < n; ++i) {
    const NodeTime& x = p.nodes[i];
    std::printf("  %5d  %-22s %-10s %-20s %9.3f %6.1f%%\n", x.index, x.type.c_str(),
                x.runner.c_str(), x.shape.c_str(), x.ms, 100 * x.share);
  }
}

nlohmann::json ProfileJson(const EngineProfile& p) {
  nlohmann::json j = {{"approximation", "every node its own step (one XNNPACK runtime per node)"},
                      {"runs", p.invokes},
                      {"total_ms", p.total_ms}};
  for (const RunnerTime& r : p.by_runner)
    j["by_runner"].push_back(
        {{"runner", r.runner}, {"nodes", r.nodes}, {"ms", r.ms}, {"share", r.share}});
  for (const OpTypeTime& t : p.by_type)
    j["by_type"].push_back(
        {{"type", t.type}, {"nodes", t.nodes}, {"ms", t.ms}, {"share", t.share}});
  for (const NodeTime& x : p.nodes) {
    j["nodes"].push_back({{"node", x.index},
                          {"type", x.type},
                          {"runner", x.runner},
                          {"output", x.shape},
                          {"ms", x.ms},
                          {"share", x.share}});
  }
  return j;
}

void PrintOne(const BenchRun& run, const BenchResult& r, const BenchFlags& f) {
  std::printf("model:    %s\n", run.model_name.c_str());
  std::printf("backend:  %s (%d threads; %s)\n", r.backend.c_str(), f.engine.threads, r.details.c_str());
  std::printf("load:     %.2f ms\ninit:     %.2f ms\n", run.load_ms, r.init_ms);
  const LatencyStats& s = r.invoke;
  std::printf("invoke:   %zu runs (after %d warm-up), ms:\n", s.count, f.warmup);
  std::printf("          min %.3f  median %.3f  mean %.3f  p90 %.3f  p99 %.3f  max %.3f  std %.3f\n",
              s.min, s.median, s.mean, s.p90, s.p99, s.max, s.stddev);
  if (!r.head.empty()) {
    const LatencyStats& d = r.results;
    std::printf("results:  %s decode%s of the outputs (random inputs), ms:\n", r.head.c_str(),
                r.head == "SSD post-process" ? "" : " + NMS");
    std::printf("          min %.3f  median %.3f  mean %.3f  p90 %.3f  max %.3f\n", d.min,
                d.median, d.mean, d.p90, d.max);
  }
  std::printf("memory:   peak resident %.1f MiB\n", static_cast<double>(r.peak_kib) / 1024.0);
}

// One column per backend, one row per statistic.
void PrintSideBySide(const BenchRun& run, const BenchFlags& f) {
  std::printf("model:    %s (load %.2f ms)\n", run.model_name.c_str(), run.load_ms);
  std::printf("invoke latency in ms after %d warm-up runs; %d CPU threads\n\n", f.warmup, f.engine.threads);
  std::printf("%-22s", "");
  for (const BenchResult& r : run.results) std::printf("%14s", r.backend.c_str());
  std::printf("\n");
  auto row = [&](const char* name, auto get, const char* format) {
    std::printf("%-22s", name);
    for (const BenchResult& r : run.results) std::printf(format, get(r));
    std::printf("\n");
  };
  row("init ms", [](const BenchResult& r) { return r.init_ms; }, "%14.2f");
  row("runs", [](const BenchResult& r) { return r.invoke.count; }, "%14zu");
  row("min", [](const BenchResult& r) { return r.invoke.min; }, "%14.3f");
  row("median", [](const BenchResult& r) { return r.invoke.median; }, "%14.3f");
  row("mean", [](const BenchResult& r) { return r.invoke.mean; }, "%14.3f");
  row("p90", [](const BenchResult& r) { return r.invoke.p90; }, "%14.3f");
  row("p99", [](const BenchResult& r) { return r.invoke.p99; }, "%14.3f");
  row("max", [](const BenchResult& r) { return r.invoke.max; }, "%14.3f");
  row("std", [](const BenchResult& r) { return r.invoke.stddev; }, "%14.3f");
  row("peak RSS so far MiB", [](const BenchResult& r) { return static_cast<double>(r.peak_kib) / 1024.0; },
      "%14.1f");
  std::printf("\n");
  for (const BenchResult& r : run.results) std::printf("%s: %s\n", r.backend.c_str(), r.details.c_str());
  for (const Skipped& s : run.skipped) std::printf("skipped %s: %s\n", s.backend.c_str(), s.reason.c_str());
}

nlohmann::json ToJson(const BenchRun& run, const BenchResult& r, const BenchFlags& f) {
  const LatencyStats& s = r.invoke;
  nlohmann::json j = {{"model", run.model_name},
          {"backend", r.backend},
          {"reason", r.reason},
          {"threads", f.engine.threads},
          {"placement", r.details},
          {"load_ms", run.load_ms},
          {"init_ms", r.init_ms},
          {"warmup_runs", f.warmup},
          {"invoke_ms",
           {{"runs", s.count}, {"min", s.min}, {"median", s.median}, {"mean", s.mean},
            {"p90", s.p90}, {"p99", s.p99}, {"max", s.max}, {"std", s.stddev}}},
          {"peak_resident_kib", r.peak_kib}};
  if (!r.head.empty()) {
    const LatencyStats& d = r.results;
    j["results_ms"] = {{"head", r.head},          {"runs", d.count}, {"min", d.min},
                       {"median", d.median},      {"mean", d.mean},  {"p90", d.p90},
                       {"max", d.max}};
  }
  return j;
}

int RunBench(BenchFlags flags) {
  if (!flags.source.sources.empty())
    return RunSourceBench(flags.source, flags.engine, flags.backend, flags.json);
  if (flags.min_seconds > 0) flags.runs = 1;
  auto kinds = ParseBackendList(flags.backend.backend);
  if (!kinds.ok()) return ReportError(kinds.error());
  auto run = Bench(flags, *kinds);
  if (!run.ok()) return ReportError(run.error());
  for (const std::string& note : run->notes)
    std::fprintf(stderr, "coralpi: note: %s\n", note.c_str());
  const bool one = kinds->size() == 1;
  if (flags.json) {
    if (one) {
      nlohmann::json j = ToJson(*run, run->results[0], flags);
      if (run->profile) j["profile"] = ProfileJson(*run->profile);
      std::printf("%s\n", j.dump(2).c_str());
    } else {
      nlohmann::json all = nlohmann::json::array();
      for (const BenchResult& r : run->results) all.push_back(ToJson(*run, r, flags));
      for (const Skipped& s : run->skipped) all.push_back({{"backend", s.backend}, {"skipped", s.reason}});
      if (run->profile)
        all.push_back({{"backend", "cpu"}, {"profile", ProfileJson(*run->profile)}});
      std::printf("%s\n", all.dump(2).c_str());
    }
    return kExitOk;
  }
  if (one) {
    PrintOne(*run, run->results[0], flags);
  } else {
    PrintSideBySide(*run, flags);
  }
  if (run->profile) PrintProfile(*run->profile, flags);
  return kExitOk;
}

}  // namespace

RunFn AddBenchCommand(CLI::App& sub) {
  auto f = std::make_shared<BenchFlags>();
  AddEngineFlags(sub, f->engine, /*model_required=*/false);
  AddBackendFlags(sub, f->backend, /*list=*/true);
  sub.add_option("--warmup", f->warmup, "Untimed runs first")->check(CLI::Range(0, 100000))->capture_default_str();
  auto* runs = sub.add_option("--runs", f->runs, "Timed runs")->check(CLI::Range(1, 10000000))->capture_default_str();
  sub.add_option("--min-seconds", f->min_seconds, "Run at least this long (instead of --runs)")
      ->check(CLI::Range(0.0, 86400.0))
      ->excludes(runs);
  AddJsonFlag(sub, f->json);
  sub.add_flag("--profile", f->profile,
               "Then time every operator of the CPU engine (each node its own step; an "
               "approximation): time and share per operator type and runner, slowest nodes");
  sub.add_option("--top", f->top, "Slowest nodes to list with --profile")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  AddSourceBenchFlags(sub, f->source);
  return [f] { return RunBench(*f); };
}

}  // namespace coralpi::cli
