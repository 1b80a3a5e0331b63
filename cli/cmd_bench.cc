// coralpi bench: load and init time, then invoke latency statistics and peak memory, the way
// TensorFlow Lite's benchmark_model measures (warm-up runs first, then timed runs).
#include <nlohmann/json.hpp>

#include <cstdio>
#include <random>

#include "command.h"
#include "core/stats.h"
#include "core/timer.h"
#include "backend/backend.h"
#include "flags.h"
#include "model/mobilenet_v2.h"

namespace coralpi::cli {
namespace {

struct BenchFlags {
  EngineFlags engine;
  int warmup = 5;
  int runs = 50;
  double min_seconds = 0;
  bool json = false;
};

struct BenchResult {
  std::string model_name;
  double load_ms = 0, init_ms = 0;
  LatencyStats invoke;
  long peak_kib = 0;
  std::string backend, details;
};

// Deterministic pseudo-random input bytes (the latency does not depend on the values).
void FillInputs(Backend& e) {
  std::mt19937 rng(42);
  for (size_t i = 0; i < e.input_count(); ++i) {
    TensorView in = e.input(i);
    size_t bytes = static_cast<size_t>(in.num_elements()) * ElementSize(in.type);
    auto* p = static_cast<uint8_t*>(in.data);
    if (in.type == DataType::kFloat32) {
      std::uniform_real_distribution<float> d(-1.0f, 1.0f);
      for (int64_t k = 0; k < in.num_elements(); ++k) in.as<float>()[k] = d(rng);
    } else {
      for (size_t k = 0; k < bytes; ++k) p[k] = static_cast<uint8_t>(rng());
    }
  }
}

Result<BenchResult> Bench(const BenchFlags& f) {
  BenchResult r;
  Stopwatch watch;
  std::shared_ptr<const Model> model;
  if (f.engine.model.empty()) {
    r.model_name = "built-in MobileNet v2 1.0 224 uint8";
    CORALPI_ASSIGN_OR_RETURN(model, Model::FromBytes(BuildMobileNetV2Uint8(), r.model_name));
  } else {
    r.model_name = f.engine.model;
    CORALPI_ASSIGN_OR_RETURN(model, Model::Load(f.engine.model));
  }
  r.load_ms = watch.ElapsedMs();
  watch.Restart();
  CORALPI_ASSIGN_OR_RETURN(auto engine, CreateCpuBackend(model, {f.engine.threads, f.engine.reference}));
  r.init_ms = watch.ElapsedMs();
  r.backend = engine->name();
  r.details = engine->details();
  FillInputs(*engine);
  for (int i = 0; i < f.warmup; ++i) CORALPI_RETURN_IF_ERROR(engine->Invoke());
  std::vector<double> samples;
  Stopwatch total;
  while (static_cast<int>(samples.size()) < f.runs || total.ElapsedMs() < f.min_seconds * 1000.0) {
    watch.Restart();
    CORALPI_RETURN_IF_ERROR(engine->Invoke());
    samples.push_back(watch.ElapsedMs());
  }
  r.invoke = Summarize(samples);
  r.peak_kib = PeakResidentKiB();
  return r;
}

void PrintText(const BenchResult& r, const BenchFlags& f) {
  std::printf("model:    %s\n", r.model_name.c_str());
  std::printf("backend:  %s (%d threads; %s)\n", r.backend.c_str(), f.engine.threads, r.details.c_str());
  std::printf("load:     %.2f ms\ninit:     %.2f ms\n", r.load_ms, r.init_ms);
  const LatencyStats& s = r.invoke;
  std::printf("invoke:   %zu runs (after %d warm-up), ms:\n", s.count, f.warmup);
  std::printf("          min %.3f  median %.3f  mean %.3f  p90 %.3f  p99 %.3f  max %.3f  std %.3f\n",
              s.min, s.median, s.mean, s.p90, s.p99, s.max, s.stddev);
  std::printf("memory:   peak resident %.1f MiB\n", static_cast<double>(r.peak_kib) / 1024.0);
}

nlohmann::json ToJson(const BenchResult& r, const BenchFlags& f) {
  const LatencyStats& s = r.invoke;
  return {{"model", r.model_name},
          {"backend", r.backend},
          {"threads", f.engine.threads},
          {"placement", r.details},
          {"load_ms", r.load_ms},
          {"init_ms", r.init_ms},
          {"warmup_runs", f.warmup},
          {"invoke_ms",
           {{"runs", s.count}, {"min", s.min}, {"median", s.median}, {"mean", s.mean},
            {"p90", s.p90}, {"p99", s.p99}, {"max", s.max}, {"std", s.stddev}}},
          {"peak_resident_kib", r.peak_kib}};
}

}  // namespace

RunFn AddBenchCommand(CLI::App& sub) {
  auto f = std::make_shared<BenchFlags>();
  AddEngineFlags(sub, f->engine, /*model_required=*/false);
  sub.add_option("--warmup", f->warmup, "Untimed runs first")->check(CLI::Range(0, 100000))->capture_default_str();
  auto* runs = sub.add_option("--runs", f->runs, "Timed runs")->check(CLI::Range(1, 10000000))->capture_default_str();
  sub.add_option("--min-seconds", f->min_seconds, "Run at least this long (instead of --runs)")
      ->check(CLI::Range(0.0, 86400.0))
      ->excludes(runs);
  AddJsonFlag(sub, f->json);
  return [f] {
    BenchFlags flags = *f;
    if (flags.min_seconds > 0) flags.runs = 1;
    auto r = Bench(flags);
    if (!r.ok()) return ReportError(r.error());
    if (flags.json) std::printf("%s\n", ToJson(*r, flags).dump(2).c_str());
    else PrintText(*r, flags);
    return kExitOk;
  };
}

}  // namespace coralpi::cli
