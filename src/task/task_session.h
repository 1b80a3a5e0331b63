// A model opened for a vision task: the layer the CLI's commands, the video path and the Python
// bindings share. It loads the model, creates its backend, reads Ultralytics' metadata when the
// file carries it, loads the labels (the label file, else the metadata's class names), checks
// that the one input takes an image, and runs one image at a time: preprocess, invoke, with the
// transform back to the image and the times of each step.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "backend/backend_factory.h"
#include "core/result.h"
#include "image/image.h"
#include "model/ultralytics_metadata.h"
#include "vision/classification.h"
#include "vision/preprocess.h"

namespace coralpi {

struct SessionOptions {
  std::string model;   // the .tflite file
  std::string labels;  // a label file; empty: the metadata's names, else none
  BackendRequest backend;
};

// One image's run: where it landed in the input and how long each step took.
struct ImageRun {
  InputTransform transform;
  double preprocess_ms = 0, invoke_ms = 0;
};

class TaskSession {
 public:
  // Errors name the model or label file and what is wrong.
  static Result<std::unique_ptr<TaskSession>> Open(const SessionOptions& options);

  const std::string& model_path() const { return model_path_; }
  const Model& model() const { return *source_.model; }
  Backend& backend() { return *choice_.backend; }
  // Why this backend, and hints worth printing (BackendChoice).
  const std::string& backend_reason() const { return choice_.reason; }
  const std::vector<std::string>& notes() const { return choice_.notes; }
  const std::optional<UltralyticsMetadata>& metadata() const { return metadata_; }

  const Labels* labels() const { return labels_ ? &*labels_ : nullptr; }
  // Where the labels came from: the label file's path, "the model's metadata", or "".
  const std::string& labels_source() const { return labels_source_; }
  // The label of class `id`, "class <id>" without labels.
  std::string Label(int id) const;

  // The input's width and height in pixels.
  int input_width() const { return input_width_; }
  int input_height() const { return input_height_; }

  // How images become the input; the tasks set it for their head (Ultralytics' letterbox for
  // YOLO models), commands may change the resize mode.
  const PreprocessOptions& preprocess() const { return preprocess_; }
  void set_preprocess(const PreprocessOptions& p) { preprocess_ = p; }

  // Fills the input with `image` (any size) and invokes. Errors about the image name
  // `image_name` (its file), those of the model the model.
  Result<ImageRun> Run(const Image& image, const std::string& image_name = "image");
  // The same for an image already fitted to the input (FitImage with preprocess()), as the
  // video path prepares frames in their capture threads.
  // `transform` maps the original image to `fitted`.
  Result<ImageRun> RunFitted(const Image& fitted, const InputTransform& transform);

 private:
  TaskSession() = default;
  Status LoadLabels(const std::string& path);
  Result<ImageRun> Invoke(ImageRun run);

  std::string model_path_;
  ModelSource source_;
  BackendChoice choice_;
  std::optional<UltralyticsMetadata> metadata_;
  std::optional<Labels> labels_;
  std::string labels_source_;
  PreprocessOptions preprocess_;
  int input_width_ = 0, input_height_ = 0;
};

}  // namespace coralpi
