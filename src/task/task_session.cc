// Opening a model for a task and running images through it; see task_session.h.
#include "task/task_session.h"

#include "core/timer.h"
#include "model/tflite_metadata.h"

namespace coralpi {

Result<std::unique_ptr<TaskSession>> TaskSession::Open(const SessionOptions& options) {
  std::unique_ptr<TaskSession> s(new TaskSession());
  s->model_path_ = options.model;
  CORALPI_ASSIGN_OR_RETURN(s->source_, LoadModelSource(options.model));
  auto metadata = ReadUltralyticsMetadata(s->source_.bytes());
  if (!metadata.ok()) return WithContext(options.model, metadata.error());
  s->metadata_ = std::move(*metadata);
  CORALPI_ASSIGN_OR_RETURN(s->choice_, CreateBackend(s->source_, options.backend));
  Backend& b = s->backend();
  if (b.input_count() != 1 || b.output_count() < 1) {
    return MakeError(options.model, "the model needs one image input and an output, it has " +
                                        std::to_string(b.input_count()) + " inputs and " +
                                        std::to_string(b.output_count()) + " outputs");
  }
  Status input_ok = CheckImageInput(b.input(0));
  if (!input_ok.ok()) return WithContext(options.model, input_ok.error());
  s->input_height_ = static_cast<int>(b.input(0).shape[1]);
  s->input_width_ = static_cast<int>(b.input(0).shape[2]);
  CORALPI_RETURN_IF_ERROR(s->LoadLabels(options.labels));
  return s;
}

Status TaskSession::LoadLabels(const std::string& path) {
  if (!path.empty()) {
    CORALPI_ASSIGN_OR_RETURN(labels_, Labels::Load(path));
    labels_source_ = path;
  } else if (metadata_ && !metadata_->names.empty()) {
    labels_ = Labels::FromNames(metadata_->names, model_path_ + " (Ultralytics metadata)");
    labels_source_ = "the model's metadata";
  } else {
    // A label file packed into the model, as TensorFlow Lite's metadata names it.
    Result<std::optional<ZipEntry>> file = ReadMetadataLabelFile(*source_.model);
    if (!file.ok()) return file.error();
    if (file->has_value()) {
      const std::string name = model_path_ + " (" + (*file)->name + " in the model)";
      CORALPI_ASSIGN_OR_RETURN(labels_, Labels::Parse((*file)->data, name));
      labels_source_ = (*file)->name + " in the model";
    }
  }
  return OkStatus();
}

std::string TaskSession::Label(int id) const {
  return labels_ ? labels_->Get(id) : "class " + std::to_string(id);
}


Result<ImageRun> TaskSession::Run(const Image& image, const std::string& image_name) {
  Stopwatch watch;
  auto transform = FillImageInputMapped(image, backend().input(0), preprocess_);
  if (!transform.ok()) return WithContext(image_name, transform.error());
  ImageRun run;
  run.transform = *transform;
  run.preprocess_ms = watch.ElapsedMs();
  return Invoke(run);
}

Result<ImageRun> TaskSession::RunFitted(const Image& fitted, const InputTransform& transform) {
  Stopwatch watch;
  if (fitted.width != input_width() || fitted.height != input_height()) {
    return MakeError(model_path_, "a fitted image of " + std::to_string(fitted.width) + "x" +
                                      std::to_string(fitted.height) + " pixels for an input of " +
                                      std::to_string(input_width()) + "x" +
                                      std::to_string(input_height()));
  }
  Status filled = FillImageInput(fitted, backend().input(0), preprocess_);
  if (!filled.ok()) return filled.error();
  ImageRun run;
  run.transform = transform;
  run.preprocess_ms = watch.ElapsedMs();
  return Invoke(run);
}

Result<ImageRun> TaskSession::Invoke(ImageRun run) {
  Stopwatch watch;
  Status invoked = backend().Invoke();
  if (!invoked.ok()) return WithContext(model_path_, invoked.error());
  run.invoke_ms = watch.ElapsedMs();
  return run;
}

}  // namespace coralpi
