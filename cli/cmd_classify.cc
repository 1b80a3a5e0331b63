// coralpi classify: top classes of each image, with the time spent in each phase.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <optional>

#include "command.h"
#include "core/timer.h"
#include "backend/backend_factory.h"
#include "flags.h"
#include "image/image.h"
#include "image/image_stream.h"
#include "vision/classification.h"
#include "vision/preprocess.h"

namespace coralpi::cli {
namespace {

struct ClassifyFlags {
  EngineFlags engine;
  BackendFlags backend;
  std::string labels;
  int top_k = 5;
  float threshold = 0.0f;
  bool json = false;
  bool crop = false;
  std::vector<std::string> images;
};

struct ImageResult {
  std::vector<Class> classes;
  double decode_ms = 0, preprocess_ms = 0, invoke_ms = 0;
};

// One image the stream decoded (on its worker thread, while the previous one ran).
Result<ImageResult> ClassifyOne(Backend& engine, DecodedImage decoded, const ClassifyFlags& f) {
  ImageResult r;
  const std::string& path = decoded.path;
  CORALPI_ASSIGN_OR_RETURN(Image image, std::move(decoded.image));
  r.decode_ms = decoded.decode_ms;
  Stopwatch watch;
  TensorView input = engine.input(0);
  PreprocessOptions pre;
  pre.resize = f.crop ? ResizeMode::kCenterCrop : ResizeMode::kStretch;
  Status filled = FillImageInput(image, input, pre);
  if (!filled.ok()) return WithContext(path, filled.error());
  r.preprocess_ms = watch.ElapsedMs();
  watch.Restart();
  CORALPI_RETURN_IF_ERROR(engine.Invoke());
  r.invoke_ms = watch.ElapsedMs();
  CORALPI_ASSIGN_OR_RETURN(std::vector<float> scores, OutputScores(engine.output(0)));
  r.classes = TopK(scores, f.top_k, f.threshold);
  return r;
}

void PrintText(const std::string& path, const ImageResult& r, const std::optional<Labels>& labels) {
  std::printf("%s\n", path.c_str());
  int rank = 1;
  for (const Class& c : r.classes) {
    std::string label = labels ? labels->Get(c.id) : "class " + std::to_string(c.id);
    std::printf("  %d. %-30s %8.5f  (id %d)\n", rank++, label.c_str(), c.score, c.id);
  }
  if (r.classes.empty()) std::printf("  (no class at or above the threshold)\n");
  std::printf("  time: decode %.2f ms, preprocess %.2f ms, invoke %.2f ms\n", r.decode_ms,
              r.preprocess_ms, r.invoke_ms);
}

// Images per second over the whole run, each next image decoding while the current one runs.
void PrintRate(int images, double ms) {
  if (images == 0 || ms <= 0) return;
  std::printf("%d image%s in %.1f ms: %.1f images per second (decode overlapped with invoke)\n",
              images, images == 1 ? "" : "s", ms, 1000.0 * images / ms);
}

nlohmann::json ToJson(const std::string& path, const ImageResult& r, const std::optional<Labels>& labels) {
  nlohmann::json classes = nlohmann::json::array();
  for (const Class& c : r.classes) {
    nlohmann::json j = {{"id", c.id}, {"score", c.score}};
    if (labels) j["label"] = labels->Get(c.id);
    classes.push_back(j);
  }
  return {{"image", path},
          {"classes", classes},
          {"time_ms", {{"decode", r.decode_ms}, {"preprocess", r.preprocess_ms}, {"invoke", r.invoke_ms}}}};
}

int Run(const ClassifyFlags& f) {
  auto model = LoadModelSource(f.engine.model);
  if (!model.ok()) return ReportError(model.error());
  auto kind = ParseBackendKind(f.backend.backend);
  if (!kind.ok()) return ReportError(kind.error());
  auto choice = CreateBackend(*model, MakeBackendRequest(*kind, f.engine, f.backend));
  if (!choice.ok()) return ReportError(choice.error());
  for (const std::string& note : choice->notes) std::fprintf(stderr, "coralpi: note: %s\n", note.c_str());
  Backend& e = *choice->backend;
  if (!f.json) {
    std::printf("backend: %s (%s)\n  %s; %d CPU thread%s\n", e.name().c_str(),
                choice->reason.c_str(), e.details().c_str(), f.engine.threads,
                f.engine.threads == 1 ? "" : "s");
  }
  if (e.input_count() != 1 || e.output_count() < 1) {
    return ReportError(MakeError(f.engine.model, "a classifier needs one input and an output"));
  }
  Status input_ok = CheckImageInput(e.input(0));
  if (!input_ok.ok()) return ReportError(WithContext(f.engine.model, input_ok.error()));
  std::optional<Labels> labels;
  if (!f.labels.empty()) {
    auto loaded = Labels::Load(f.labels);
    if (!loaded.ok()) return ReportError(loaded.error());
    Status covers = loaded->CheckCovers(static_cast<size_t>(e.output(0).num_elements()));
    if (!covers.ok()) return ReportError(covers.error());
    labels = std::move(*loaded);
  }
  auto paths = ExpandImagePaths(f.images);
  if (!paths.ok()) return ReportError(paths.error());
  nlohmann::json all = nlohmann::json::array();
  int status = kExitOk;
  int done = 0;
  Stopwatch wall;
  for (ImageStream stream(*paths, DecodeOptionsFor(e.input(0))); !stream.done();) {
    DecodedImage decoded = stream.Next();
    const std::string path = decoded.path;
    auto r = ClassifyOne(e, std::move(decoded), f);
    if (!r.ok()) {
      status = ReportError(r.error());
      continue;
    }
    ++done;
    if (f.json) all.push_back(ToJson(path, *r, labels));
    else PrintText(path, *r, labels);
  }
  if (f.json) std::printf("%s\n", all.dump(2).c_str());
  else PrintRate(done, wall.ElapsedMs());
  return status;
}

}  // namespace

RunFn AddClassifyCommand(CLI::App& sub) {
  auto f = std::make_shared<ClassifyFlags>();
  AddEngineFlags(sub, f->engine, /*model_required=*/true);
  AddBackendFlags(sub, f->backend);
  sub.add_option("-l,--labels", f->labels, "Label file: one label per line, or 'id label' lines");
  sub.add_option("-k,--top-k", f->top_k, "How many classes to print")->check(CLI::Range(1, 100000))->capture_default_str();
  sub.add_option("--threshold", f->threshold, "Lowest score to print")->capture_default_str();
  sub.add_flag("--crop", f->crop, "Centre-crop to the model's aspect ratio before resizing");
  AddJsonFlag(sub, f->json);
  sub.add_option("images", f->images, "Images (JPEG, PNG, BMP or raw .rgb) or folders of them")
      ->required();
  return [f] { return Run(*f); };
}

}  // namespace coralpi::cli
