// What classify, detect, segment and pose share: their common flags, opening the model on a
// backend, reading and preparing each image, and writing the picture. Each command adds only
// its own flags and what it does with the model's outputs.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "backend/backend_factory.h"
#include "task/task_session.h"
#include "command.h"
#include "core/result.h"
#include "flags.h"
#include "image/image.h"
#include "image/image_stream.h"
#include "vision/classification.h"
#include "vision/preprocess.h"

namespace coralpi::cli {

struct VisionFlags {
  EngineFlags engine;
  BackendFlags backend;
  std::string labels;  // empty: none
  bool json = false;
  std::string out;  // picture to write, .png or .jpg; empty: none
  bool letterbox = false;
  std::vector<std::string> images;
};

// --model, --threads, --reference-kernels, --backend, --device, --edgetpu-lib, --tflite-lib,
// --json, --out (checked to end in .png or .jpg), --labels when `labels`, --letterbox when
// `letterbox`, and the images.
void AddVisionFlags(CLI::App& sub, VisionFlags& f, bool labels, bool letterbox);

// The model opened for the command's task (the library's TaskSession), and how the stream
// decodes images for it.
struct VisionSession {
  std::unique_ptr<TaskSession> task;
  // Decode each image at its own size (for pictures and results in image coordinates); false
  // lets a JPEG be decoded smaller, nearer the input's size (classify without --out).
  bool full_size = true;
  Backend& backend() { return task->backend(); }
  const Labels* labels() const { return task->labels(); }
  // The label of class `id`, "class <id>" without labels.
  std::string Label(int id) const { return task->Label(id); }
  // Sets how images are resized into the input (the rest of the session's preprocessing kept).
  void SetResize(ResizeMode mode);
};

// Opens the session (TaskSession::Open), printing its notes to stderr and, unless --json, the
// backend line with the CPU thread count. Images are stretched, or letterboxed with
// --letterbox, until a task sets its own preprocessing.
Result<VisionSession> OpenVisionSession(const VisionFlags& f);

// One image's run as the commands report it: the image, its transform into the input, and the
// times (decode_ms: the stream's worker thread, beside the previous invoke; decode_results_ms:
// the task's decoding of the outputs, -1 when not measured).
struct Inference {
  Image image;
  InputTransform transform;
  double decode_ms = 0, preprocess_ms = 0, invoke_ms = 0, decode_results_ms = -1;
};
// What a task ran on an image as an Inference: the image, the stream's decode time, the run's
// transform and times, and the time the results took to decode.
Inference ToInference(Image image, double decode_ms, const ImageRun& run, double results_ms);

// A task's (ClassifyTask, DetectionTask, ...) run on one decoded image: its result and the
// Inference the command prints. Errors name the image or the model.
template <typename Task>
using TaskResultOf = std::remove_cvref_t<
    decltype(*std::declval<Task&>().Run(std::declval<const Image&>(), std::string()))>;
template <typename Task>
struct TaskRun {
  Inference inference;
  TaskResultOf<Task> result;
};
template <typename Task>
Result<TaskRun<Task>> RunTask(Task& task, DecodedImage decoded) {
  CORALPI_ASSIGN_OR_RETURN(Image image, std::move(decoded.image));
  auto result = task.Run(image, decoded.path);
  if (!result.ok()) return result.error();
  Inference r = ToInference(std::move(image), decoded.decode_ms, result->run, result->decode_ms);
  return TaskRun<Task>{std::move(r), std::move(*result)};
}
// The mode --letterbox asks for: letterbox, else stretch.
ResizeMode FitMode(const VisionFlags& f);

// "time: decode 1.23 ms, preprocess ..., invoke ..." and its JSON object.
std::string TimeText(const Inference& r);
nlohmann::json TimeJson(const Inference& r);
// One image's JSON: image, width, height, `key`: `results`, time_ms.
nlohmann::json ImageJson(const std::string& path, const Inference& r, const char* key,
                         nlohmann::json results);

// A command's work on one decoded image (decoded.path names it): prints its text (unless
// --json) and returns its JSON.
using ImageFn = std::function<Result<nlohmann::json>(DecodedImage decoded)>;
// A command's checks of the opened model (its outputs, labels), giving its ImageFn.
using PrepareFn = std::function<Result<ImageFn>(VisionSession& session)>;

// Opens the session, prepares, runs every image (a folder stands for its image files in name
// order; the next image decodes on a worker thread while the current one runs; an image's error
// is reported and the rest still run), then prints the JSON array of the results with --json,
// else the number of images per second. --out takes exactly one image (else exit 2). Returns
// the exit code.
int RunVisionCommand(const VisionFlags& f, const PrepareFn& prepare);

// What a command's Add*Command returns: RunVisionCommand with the command's own Prepare.
template <typename Flags>
RunFn VisionRun(std::shared_ptr<Flags> f,
                Result<ImageFn> (*prepare)(const Flags&, VisionSession&)) {
  return [f, prepare] {
    return RunVisionCommand(f->vision, [f, prepare](VisionSession& s) { return prepare(*f, s); });
  };
}

// With --out: draws the picture and writes it (atomically), saying so unless --json.
Status WritePicture(const VisionFlags& f, const std::function<Result<Image>()>& draw);

}  // namespace coralpi::cli
