// Classification on a session; see classify_task.h.
#include "task/classify_task.h"

#include "core/timer.h"

namespace coralpi {

Result<ClassifyTask> ClassifyTask::Create(TaskSession& session, const ClassifyOptions& options) {
  if (const Labels* labels = session.labels()) {
    CORALPI_RETURN_IF_ERROR(labels->CheckCovers(
        static_cast<size_t>(session.backend().output(0).num_elements())));
  }
  PreprocessOptions pre = session.preprocess();
  pre.resize = options.crop ? ResizeMode::kCenterCrop : ResizeMode::kStretch;
  session.set_preprocess(pre);
  return ClassifyTask(session, options);
}

Result<ClassifyResult> ClassifyTask::Run(const Image& image, const std::string& image_name) {
  ClassifyResult result;
  CORALPI_ASSIGN_OR_RETURN(result.run, session_->Run(image, image_name));
  Stopwatch watch;
  auto scores = OutputScores(session_->backend().output(0));
  if (!scores.ok()) return WithContext(session_->model_path(), scores.error());
  result.classes = TopK(*scores, options_.top_k, options_.threshold);
  result.decode_ms = watch.ElapsedMs();
  return result;
}

}  // namespace coralpi
