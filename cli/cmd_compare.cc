// coralpi compare: runs the same input through two or more backends and reports, per output,
// the largest difference from the first backend (in quantized steps for integer outputs) and
// whether the top-k classes agree. The input is an image when one is given, else the same
// pseudo-random bytes for every backend. Each backend runs the model it can: for a model compiled
// for the Edge TPU, cpu and tflite run its CPU twin beside it (x_edgetpu.tflite -> x.tflite);
// for a plain model, edgetpu and tflite-edgetpu run its compiled twin (x.tflite ->
// x_edgetpu.tflite), so `--backends edgetpu,tflite,cpu` compares the TPU with the CPU.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>

#include "backend/backend_factory.h"
#include "backend/edgetpu_backend.h"
#include "command.h"
#include "flags.h"
#include "image/image.h"
#include "vision/classification.h"
#include "vision/detection_decoder.h"
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

struct Difference {
  std::string backend;
  double max_abs = 0;  // steps for integer outputs, real units for float ones
  int64_t where = -1;  // element of the largest difference
  double ours = 0, reference = 0;
  int64_t differing = 0;  // elements that differ at all
  bool same_quantization = true;
  std::string top_k;  // "agree", "same classes, different order", "differ", "" when n/a
  std::vector<Class> classes;
};

struct OutputComparison {
  size_t index = 0;
  std::string description;  // "uint8 [1, 1001]"
  std::string name;         // the tensor's name in the model
  bool integer = false;
  std::vector<Class> reference_classes;
  std::vector<Difference> diffs;
};

bool IsInteger(DataType t) {
  return t == DataType::kUInt8 || t == DataType::kInt8 || t == DataType::kInt16 ||
         t == DataType::kInt32 || t == DataType::kInt64 || t == DataType::kBool;
}

// Element `i` as a number: the raw integer for integer types, the value for float ones.
double Element(const TensorView& v, int64_t i) {
  switch (v.type) {
    case DataType::kUInt8:
    case DataType::kBool:
      return v.as<uint8_t>()[i];
    case DataType::kInt8:
      return v.as<int8_t>()[i];
    case DataType::kInt16:
      return v.as<int16_t>()[i];
    case DataType::kInt32:
      return v.as<int32_t>()[i];
    case DataType::kInt64:
      return static_cast<double>(v.as<int64_t>()[i]);
    case DataType::kFloat32:
      return v.as<float>()[i];
    case DataType::kFloat64:
      return v.as<double>()[i];
    default:
      return 0;
  }
}

bool Supported(DataType t) {
  return IsInteger(t) || t == DataType::kFloat32 || t == DataType::kFloat64;
}

bool SameQuantization(const TensorView& a, const TensorView& b) {
  bool ea = !a.quant || a.quant->empty(), eb = !b.quant || b.quant->empty();
  if (ea || eb) return ea == eb;
  return a.quant->scale == b.quant->scale && a.quant->zero_point == b.quant->zero_point;
}

// Classification-like outputs ([N] or [1, N], N > 1) get a top-k comparison.
bool LooksLikeScores(const TensorView& v) {
  int64_t n = v.num_elements();
  bool shape_ok = v.shape.size() == 1 || (v.shape.size() == 2 && v.shape[0] == 1);
  return shape_ok && n > 1 &&
         (v.type == DataType::kUInt8 || v.type == DataType::kInt8 || v.type == DataType::kFloat32);
}

std::vector<Class> Top(const TensorView& v, int k) {
  auto scores = OutputScores(v);
  if (!scores.ok()) return {};
  return TopK(*scores, k, -INFINITY);
}

std::string AgreeText(const std::vector<Class>& a, const std::vector<Class>& b) {
  bool same_order = a.size() == b.size();
  for (size_t i = 0; same_order && i < a.size(); ++i) same_order = a[i].id == b[i].id;
  if (same_order) return "agree";
  std::vector<int> ia, ib;
  for (const Class& c : a) ia.push_back(c.id);
  for (const Class& c : b) ib.push_back(c.id);
  std::sort(ia.begin(), ia.end());
  std::sort(ib.begin(), ib.end());
  return ia == ib ? "same classes, different order" : "differ";
}

Status FillSame(std::vector<std::unique_ptr<Backend>>& backends, const CompareFlags& f) {
  Backend& first = *backends[0];
  for (size_t b = 1; b < backends.size(); ++b) {
    if (backends[b]->input_count() != first.input_count()) {
      return Error{"the backends see different numbers of inputs"};
    }
  }
  for (size_t i = 0; i < first.input_count(); ++i) {
    TensorView in0 = first.input(i);
    for (size_t b = 1; b < backends.size(); ++b) {
      TensorView in = backends[b]->input(i);
      if (in.type != in0.type || in.shape != in0.shape) {
        return Error{"input " + std::to_string(i) + ": " + first.name() + " sees " +
                     DataTypeName(in0.type) + " " + ShapeToString(in0.shape) + ", " +
                     backends[b]->name() + " sees " + DataTypeName(in.type) + " " +
                     ShapeToString(in.shape)};
      }
    }
  }
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
  std::mt19937 rng(42);
  for (size_t i = 0; i < first.input_count(); ++i) {
    TensorView in0 = first.input(i);
    size_t bytes = static_cast<size_t>(in0.num_elements()) * ElementSize(in0.type);
    if (in0.type == DataType::kFloat32) {
      std::uniform_real_distribution<float> d(-1.0f, 1.0f);
      for (int64_t k = 0; k < in0.num_elements(); ++k) in0.as<float>()[k] = d(rng);
    } else {
      for (size_t k = 0; k < bytes; ++k)
        static_cast<uint8_t*>(in0.data)[k] = static_cast<uint8_t>(rng());
    }
    for (size_t b = 1; b < backends.size(); ++b)
      std::memcpy(backends[b]->input(i).data, in0.data, bytes);
  }
  return OkStatus();
}

// Outputs of a detector's post-processing (boxes, class ids, scores, count) are not class
// scores, whatever their shape: no top-k for them.
std::vector<bool> IsDetectionOutput(const Model& model) {
  std::vector<bool> is(model.main_graph().outputs.size(), false);
  auto where = FindDetectionOutputs(DescribeOutputs(model));
  if (where.ok()) {
    for (size_t i : {where->boxes, where->classes, where->scores, where->count}) is[i] = true;
  }
  return is;
}

Result<std::vector<OutputComparison>> Compare(std::vector<std::unique_ptr<Backend>>& backends,
                                              const Model& model, int top_k) {
  Backend& first = *backends[0];
  const std::vector<bool> detection = IsDetectionOutput(model);
  const Subgraph& graph = model.main_graph();
  std::vector<OutputComparison> out;
  for (size_t o = 0; o < first.output_count(); ++o) {
    TensorView ref = first.output(o);
    OutputComparison c;
    c.index = o;
    c.description = std::string(DataTypeName(ref.type)) + " " + ShapeToString(ref.shape);
    c.integer = IsInteger(ref.type);
    if (!Supported(ref.type))
      return Error{"output " + std::to_string(o) + ": " + c.description + " cannot be compared"};
    if (o < graph.outputs.size())
      c.name = graph.tensors[static_cast<size_t>(graph.outputs[o])].name;
    bool scores = LooksLikeScores(ref) && !(o < detection.size() && detection[o]);
    if (scores) c.reference_classes = Top(ref, top_k);
    for (size_t b = 1; b < backends.size(); ++b) {
      if (o >= backends[b]->output_count())
        return Error{backends[b]->name() + " has fewer outputs"};
      TensorView v = backends[b]->output(o);
      if (v.type != ref.type || v.shape != ref.shape) {
        return Error{"output " + std::to_string(o) + ": " + first.name() + " gives " +
                     c.description + ", " + backends[b]->name() + " gives " + DataTypeName(v.type) +
                     " " + ShapeToString(v.shape)};
      }
      Difference d;
      d.backend = backends[b]->name();
      d.same_quantization = SameQuantization(ref, v);
      for (int64_t i = 0; i < ref.num_elements(); ++i) {
        double a = Element(v, i), r = Element(ref, i);
        double diff = std::fabs(a - r);
        if (diff > 0) ++d.differing;
        if (d.where < 0 || diff > d.max_abs) {
          d.max_abs = diff;
          d.where = i;
          d.ours = a;
          d.reference = r;
        }
      }
      if (scores) {
        d.classes = Top(v, top_k);
        d.top_k = AgreeText(d.classes, c.reference_classes);
      }
      c.diffs.push_back(std::move(d));
    }
    out.push_back(std::move(c));
  }
  return out;
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
  for (BackendKind kind : *kinds) {
    std::string path = TwinFor(kind, f.engine.model, compiled);
    auto source = path == f.engine.model ? model : LoadModelSource(path);
    if (!source.ok()) return ReportError(source.error());
    auto choice = CreateBackend(*source, MakeBackendRequest(kind, f.engine, f.backend));
    if (!choice.ok())
      return ReportError(
          WithContext(std::string("backend ") + BackendKindName(kind), choice.error()));
    backends.push_back(std::move(choice->backend));
    models.push_back(path);
  }
  Status filled = FillSame(backends, f);
  if (!filled.ok()) return ReportError(WithContext("compare", filled.error()));
  for (auto& b : backends) {
    Status s = b->Invoke();
    if (!s.ok()) return ReportError(s.error());
  }
  auto result = Compare(backends, *model->model, f.top_k);
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
      for (const Difference& d : c.diffs) {
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
    for (const Difference& d : c.diffs) {
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
