// The parts classify, detect, segment and pose share; see vision_command.h.
#include "vision_command.h"

#include <cstdio>

#include "core/timer.h"
#include "image/encode.h"

namespace coralpi::cli {

void AddVisionFlags(CLI::App& sub, VisionFlags& f, bool labels, bool letterbox) {
  AddEngineFlags(sub, f.engine, /*model_required=*/true);
  AddBackendFlags(sub, f.backend);
  if (labels) {
    sub.add_option("-l,--labels", f.labels, "Label file: one label per line, or 'id label' lines");
  }
  if (letterbox) {
    sub.add_flag("--letterbox", f.letterbox,
                 "Keep the aspect ratio: scale the image to fit the model's input and pad the "
                 "rest (default: stretch it to the input's size)");
  }
  sub.add_option("-o,--out", f.out, "Write the picture of the result to this .png or .jpg file")
      ->check(CLI::Validator(
          [](std::string& value) -> std::string {
            auto format = OutputImageFormat(value);
            return format.ok() ? "" : format.error().message;
          },
          "FILE"));
  AddJsonFlag(sub, f.json);
  sub.add_option("images", f.images, "Images (JPEG, PNG, BMP or raw .rgb) or folders of them")
      ->required();
}

void VisionSession::SetResize(ResizeMode mode) {
  PreprocessOptions pre = task->preprocess();
  pre.resize = mode;
  task->set_preprocess(pre);
}

Result<VisionSession> OpenVisionSession(const VisionFlags& f) {
  SessionOptions options;
  options.model = f.engine.model;
  options.labels = f.labels;
  CORALPI_ASSIGN_OR_RETURN(BackendKind kind, ParseBackendKind(f.backend.backend));
  options.backend = MakeBackendRequest(kind, f.engine, f.backend);
  VisionSession s;
  CORALPI_ASSIGN_OR_RETURN(s.task, TaskSession::Open(options));
  for (const std::string& note : s.task->notes()) {
    std::fprintf(stderr, "coralpi: note: %s\n", note.c_str());
  }
  Backend& b = s.backend();
  if (!f.json) {
    std::printf("backend: %s (%s)\n  %s; %d CPU thread%s\n", b.name().c_str(),
                s.task->backend_reason().c_str(), b.details().c_str(), f.engine.threads,
                f.engine.threads == 1 ? "" : "s");
  }
  s.SetResize(FitMode(f));
  return s;
}

Inference ToInference(Image image, double decode_ms, const ImageRun& run, double results_ms) {
  Inference r;
  r.image = std::move(image);
  r.decode_ms = decode_ms;
  r.transform = run.transform;
  r.preprocess_ms = run.preprocess_ms;
  r.invoke_ms = run.invoke_ms;
  r.decode_results_ms = results_ms;
  return r;
}

ResizeMode FitMode(const VisionFlags& f) {
  return f.letterbox ? ResizeMode::kLetterbox : ResizeMode::kStretch;
}

std::string TimeText(const Inference& r) {
  char buf[200];
  int n = std::snprintf(buf, sizeof buf, "time: decode %.2f ms, preprocess %.2f ms, invoke %.2f ms",
                        r.decode_ms, r.preprocess_ms, r.invoke_ms);
  if (r.decode_results_ms >= 0 && n > 0 && static_cast<size_t>(n) < sizeof buf) {
    std::snprintf(buf + n, sizeof buf - n, ", results %.2f ms", r.decode_results_ms);
  }
  return buf;
}

nlohmann::json TimeJson(const Inference& r) {
  nlohmann::json j = {
      {"decode", r.decode_ms}, {"preprocess", r.preprocess_ms}, {"invoke", r.invoke_ms}};
  if (r.decode_results_ms >= 0) j["results"] = r.decode_results_ms;
  return j;
}

nlohmann::json ImageJson(const std::string& path, const Inference& r, const char* key,
                         nlohmann::json results) {
  return {{"image", path},
          {"width", r.image.width},
          {"height", r.image.height},
          {key, std::move(results)},
          {"time_ms", TimeJson(r)}};
}

namespace {

// How the stream decodes for this session's input: at full size unless the command lets a JPEG
// be decoded smaller.
DecodeOptions SessionDecodeOptions(VisionSession& s) {
  DecodeOptions decode = DecodeOptionsFor(s.backend().input(0));
  if (s.full_size) decode.min_width = decode.min_height = 0;  // pixels of the original image
  return decode;
}

// Images per second over the whole run, each next image decoding while the current one runs.
void PrintRate(int images, double ms) {
  if (images == 0 || ms <= 0) return;
  std::printf("%d image%s in %.1f ms: %.1f images per second (decode overlapped with invoke)\n",
              images, images == 1 ? "" : "s", ms, 1000.0 * images / ms);
}

}  // namespace

int RunVisionCommand(const VisionFlags& f, const PrepareFn& prepare) {
  auto paths = ExpandImagePaths(f.images);
  if (!paths.ok()) return ReportError(paths.error());
  if (!f.out.empty() && paths->size() != 1) {
    std::fprintf(stderr, "coralpi: error: --out %s: give exactly one image to draw (%zu given)\n",
                 f.out.c_str(), paths->size());
    return kExitUsage;
  }
  auto session = OpenVisionSession(f);
  if (!session.ok()) return ReportError(session.error());
  auto one = prepare(*session);
  if (!one.ok()) return ReportError(one.error());
  nlohmann::json all = nlohmann::json::array();
  int status = kExitOk;
  int done = 0;
  Stopwatch wall;
  for (ImageStream stream(std::move(*paths), SessionDecodeOptions(*session)); !stream.done();) {
    auto result = (*one)(stream.Next());
    if (!result.ok()) {
      status = ReportError(result.error());
      continue;
    }
    ++done;
    if (f.json) all.push_back(std::move(*result));
  }
  if (f.json) {
    std::printf("%s\n", all.dump(2).c_str());
  } else {
    PrintRate(done, wall.ElapsedMs());
  }
  return status;
}

Status WritePicture(const VisionFlags& f, const std::function<Result<Image>()>& draw) {
  if (f.out.empty()) return OkStatus();
  Result<Image> drawn = draw();
  if (!drawn.ok()) return WithContext(f.out, drawn.error());
  CORALPI_RETURN_IF_ERROR(WriteImageFile(f.out, *drawn));
  if (!f.json) std::printf("  picture: %s\n", f.out.c_str());
  return OkStatus();
}

}  // namespace coralpi::cli
