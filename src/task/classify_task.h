// Classification on a TaskSession: the top classes of an image from the model's first output
// (scores, dequantized), best first. Images are stretched, or centre-cropped to the input's
// aspect ratio first.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "task/task_session.h"
#include "vision/classification.h"

namespace coralpi {

struct ClassifyOptions {
  int top_k = 5;
  float threshold = 0.0f;  // lowest score kept
  bool crop = false;       // centre-crop to the input's aspect ratio instead of stretching
};

struct ClassifyResult {
  ImageRun run;
  std::vector<Class> classes;
  double decode_ms = 0;
};

class ClassifyTask {
 public:
  // Checks that the labels name every score of the output and sets the session's resize.
  static Result<ClassifyTask> Create(TaskSession& session, const ClassifyOptions& options);

  // `image_name` names the image in errors about it.
  Result<ClassifyResult> Run(const Image& image, const std::string& image_name = "image");

 private:
  ClassifyTask(TaskSession& session, ClassifyOptions options)
      : session_(&session), options_(options) {}

  TaskSession* session_;
  ClassifyOptions options_;
};

}  // namespace coralpi
