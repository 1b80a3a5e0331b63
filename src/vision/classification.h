// Classification results: scores out of an output tensor, top-k, and label files.
// The maths works on plain spans so that it is tested without any model.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/tensor_view.h"

namespace coralpi {

struct Class {
  int id = 0;
  float score = 0.0f;
  bool operator==(const Class&) const = default;
};
std::string ToString(const Class& c);

// The `top_k` best scores at or above `threshold`, best first; equal scores keep index order.
std::vector<Class> TopK(std::span<const float> scores, int top_k, float threshold);

// Real-valued scores of a classification output (uint8 / int8 dequantized, float as is).
Result<std::vector<float>> OutputScores(const TensorView& output);

// Labels by class id. A file is either one label per line (line n is class n) or lines of
// "<id> <label>" (or "<id>: <label>"), recognised when every non-empty line starts that way.
class Labels {
 public:
  static Result<Labels> Parse(const std::string& text, const std::string& name);
  static Result<Labels> Load(const std::string& path);
  // Names given as a list (name i is class i), e.g. a model's metadata; `name` names the source.
  static Labels FromNames(std::vector<std::string> names, const std::string& name);
  // The label of `id`, or "class <id>" when the file has none.
  std::string Get(int id) const;
  // Whether the file names class `id`.
  bool Has(int id) const;
  size_t size() const { return labels_.size(); }
  // Fails, naming the file, when the labels cannot name `num_classes` classes.
  Status CheckCovers(size_t num_classes) const;

 private:
  std::string name_;
  std::vector<std::string> labels_;
};

}  // namespace coralpi
