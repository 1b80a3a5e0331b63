// coralpi compare: runs the same input through two or more backends and reports, per output,
// the largest difference from the first backend (in quantized steps for integer outputs) and
// whether the top-k classes agree. The input is an image when one is given, else the same
// pseudo-random bytes for every backend. Each backend runs the model it can: for a model compiled
// for the Edge TPU, cpu and tflite run its CPU twin beside it (x_edgetpu.tflite -> x.tflite);
// for a plain model, edgetpu and tflite-edgetpu run its compiled twin (x.tflite ->
// x_edgetpu.tflite), so `--backends edgetpu,tflite,cpu` compares the TPU with the CPU.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "backend/backend_factory.h"
#include "backend/edgetpu_backend.h"
#include "backend/random_inputs.h"
#include "command.h"
#include "flags.h"
#include "image/image.h"
#include "vision/classification.h"
#include "vision/output_compare.h"
#include "vision/preprocess.h"

namespace coralpi::cli {
namespace {

struct CompareFlags {
  EngineFlags engine;
  BackendFlags backend;
  std::string image;
  int top_k = 5;
  bool json = false;
};

Status FillSame(std::vector<std::unique_ptr<Backend>>& backends, const CompareFlags& f) {
  CORALPI_RETURN_IF_ERROR(CheckSameInputs(backends));
  Backend& first = *backends[0];
  if (!f.image.empty()) {
    if (first.input_count() != 1) return Error{"an image can only feed a model with one input"};
    DecodeOptions decode;
    TensorView in0 = first.input(0);
    decode.raw_width = in0.shape.size() == 4 ? in0.shape[2] : 0;
    decode.raw_height = in0.shape.size() == 4 ? in0.shape[1] : 0;
    CORALPI_ASSIGN_OR_RETURN(Image image, ReadImageFile(f.image, decode));
    for (auto& b : backends) {
      Status checked = CheckImageInput(b->input(0));
      if (!checked.ok()) return WithContext(f.engine.model, checked.error());
      Status filled = FillImageInput(image, b->input(0));
      if (!filled.ok()) return WithContext(f.image, filled.error());
    }
    return OkStatus();
  }
  for (auto& b : backends) FillRandomInputs(*b);
  return OkStatus();
}

std::string Ids(const std::vector<Class>& classes) {
  std::string s;
  for (const Class& c : classes) s += (s.empty() ? "" : ", ") + std::to_string(c.id);
  return s;
}

// The model `kind` runs: the given one, or its twin beside it when the kind cannot run the
// given one and the twin exists.
std::string TwinFor(BackendKind kind, const std::string& path, bool compiled) {
  if (kind == BackendKind::kAuto || RunsEdgeTpuModels(kind) == compiled) return path;
  std::string twin = compiled ? PlainModelBeside(path) : EdgeTpuModelBeside(path);
  return twin.empty() ? path : twin;
}

int Run(const CompareFlags& f) {
  auto kinds = ParseBackendList(f.backend.backend);
  if (!kinds.ok()) return ReportError(kinds.error());
  if (kinds->size() < 2)
    return ReportError(
        MakeError("--backends " + f.backend.backend, "name at least two backends to compare"));
  auto model = LoadModelSource(f.engine.model);
  if (!model.ok()) return ReportError(model.error());
  const bool compiled = CountEdgeTpuCustomOps(*model->model) > 0;
  std::vector<std::unique_ptr<Backend>> backends;
  std::vector<std::string> models;  // what each backend runs
  std::vector<std::string> notes;   // the backends' notes, each once
  for (BackendKind kind : *kinds) {
    std::string path = TwinFor(kind, f.engine.model, compiled);
    auto source = path == f.engine.model ? model : LoadModelSource(path);
    if (!source.ok()) return ReportError(source.error());
    auto choice = CreateBackend(*source, MakeBackendRequest(kind, f.engine, f.backend));
    if (!choice.ok())
      return ReportError(
          WithContext(std::string("backend ") + BackendKindName(kind), choice.error()));
    for (const std::string& n : choice->notes) {
      if (std::find(notes.begin(), notes.end(), n) == notes.end()) notes.push_back(n);
    }
    backends.push_back(std::move(choice->backend));
    models.push_back(path);
  }
  for (const std::string& note : notes) std::fprintf(stderr, "coralpi: note: %s\n", note.c_str());
  Status filled = FillSame(backends, f);
  if (!filled.ok()) return ReportError(WithContext("compare", filled.error()));
  for (auto& b : backends) {
    Status s = b->Invoke();
    if (!s.ok()) return ReportError(s.error());
  }
  auto result = CompareOutputs(backends, f.top_k, *model->model);
  if (!result.ok()) return ReportError(WithContext("compare", result.error()));
  const std::string input = f.image.empty() ? "pseudo-random bytes (seed 42)" : f.image;
  if (f.json) {
    nlohmann::json j = {
        {"model", f.engine.model}, {"input", input}, {"reference", backends[0]->name()}};
    for (size_t b = 0; b < backends.size(); ++b) {
      j["backends"].push_back({{"name", backends[b]->name()},
                               {"details", backends[b]->details()},
                               {"model", models[b]}});
    }
    for (const OutputComparison& c : *result) {
      nlohmann::json o = {{"index", c.index},
                          {"name", c.name},
                          {"tensor", c.description},
                          {"unit", c.integer ? "steps" : "real"}};
      if (!c.reference_classes.empty()) o["reference_top_k"] = Ids(c.reference_classes);
      for (const OutputDifference& d : c.diffs) {
        nlohmann::json dj = {{"backend", d.backend},
                             {"max_abs_difference", d.max_abs},
                             {"at", d.where},
                             {"differing_elements", d.differing},
                             {"same_quantization", d.same_quantization}};
        if (!d.top_k.empty()) {
          dj["top_k"] = d.top_k;
          dj["top_k_ids"] = Ids(d.classes);
        }
        o["differences"].push_back(dj);
      }
      j["outputs"].push_back(o);
    }
    std::printf("%s\n", j.dump(2).c_str());
    return kExitOk;
  }
  std::printf("model:  %s\ninput:  %s\n", f.engine.model.c_str(), input.c_str());
  for (size_t b = 0; b < backends.size(); ++b) {
    std::printf("%-8s %s\n", (backends[b]->name() + ":").c_str(), backends[b]->details().c_str());
    if (models[b] != f.engine.model) std::printf("         model %s\n", models[b].c_str());
  }
  for (const OutputComparison& c : *result) {
    std::printf("\noutput %zu, %s:\n", c.index, c.description.c_str());
    if (!c.reference_classes.empty()) {
      std::printf("  %s top-%d: %s\n", backends[0]->name().c_str(), f.top_k,
                  Ids(c.reference_classes).c_str());
    }
    for (const OutputDifference& d : c.diffs) {
      std::printf("  %s vs %s: max |difference| %g %s", d.backend.c_str(),
                  backends[0]->name().c_str(), d.max_abs, c.integer ? "steps" : "");
      if (d.max_abs > 0)
        std::printf(" (element %lld: %g vs %g)", static_cast<long long>(d.where), d.ours,
                    d.reference);
      std::printf(", %lld element%s differ\n", static_cast<long long>(d.differing),
                  d.differing == 1 ? "" : "s");
      if (!d.same_quantization)
        std::printf("    note: the two backends report different quantization for this output\n");
      if (!d.top_k.empty()) {
        std::printf(
            "    top-%d %s%s\n", f.top_k, d.top_k.c_str(),
            d.top_k == "agree" ? "" : (" (" + d.backend + ": " + Ids(d.classes) + ")").c_str());
      }
    }
  }
  return kExitOk;
}

}  // namespace

RunFn AddCompareCommand(CLI::App& sub) {
  auto f = std::make_shared<CompareFlags>();
  AddEngineFlags(sub, f->engine, /*model_required=*/true);
  AddBackendFlags(sub, f->backend, /*list=*/true, "cpu,tflite");
  sub.add_option("-k,--top-k", f->top_k, "Compare the top K classes of classification outputs")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  AddJsonFlag(sub, f->json);
  sub.add_option("image", f->image,
                 "Image to feed (JPEG, PNG, BMP, raw .rgb); default: random bytes");
  return [f] { return Run(*f); };
}

}  // namespace coralpi::cli
