// Top-k, output scores and label files; see classification.h.
#include "vision/classification.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sstream>

#include "core/file.h"

namespace coralpi {

std::string ToString(const Class& c) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "Class{id=%d, score=%.5f}", c.id, c.score);
  return buf;
}

std::vector<Class> TopK(std::span<const float> scores, int top_k, float threshold) {
  std::vector<Class> all;
  for (size_t i = 0; i < scores.size(); ++i) {
    if (scores[i] >= threshold) all.push_back({static_cast<int>(i), scores[i]});
  }
  size_t k = std::min(all.size(), static_cast<size_t>(std::max(top_k, 0)));
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(),
                    [](const Class& a, const Class& b) {
                      return a.score != b.score ? a.score > b.score : a.id < b.id;
                    });
  all.resize(k);
  return all;
}

Result<std::vector<float>> OutputScores(const TensorView& output) {
  int64_t n = output.num_elements();
  if (n <= 0)
    return Error{"the model's output " + ShapeToString(output.shape) + " holds no scores"};
  std::vector<float> scores(static_cast<size_t>(n));
  switch (output.type) {
    case DataType::kFloat32:
      std::copy_n(output.as<const float>(), n, scores.begin());
      return scores;
    case DataType::kUInt8:
    case DataType::kInt8: {
      if (!output.quant || output.quant->empty()) return Error{"the quantized output has no scale"};
      float scale = output.quant->scale[0];
      int32_t zp = static_cast<int32_t>(output.quant->zero_point[0]);
      for (int64_t i = 0; i < n; ++i) {
        int32_t q = output.type == DataType::kUInt8 ? output.as<const uint8_t>()[i]
                                                    : output.as<const int8_t>()[i];
        scores[static_cast<size_t>(i)] = scale * static_cast<float>(q - zp);
      }
      return scores;
    }
    default:
      return Error{std::string("a ") + DataTypeName(output.type) + " output is not a score vector"};
  }
}

namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

// "<id> label" or "<id>: label" -> (id, label); false when the line is not of that form.
bool SplitIdLine(const std::string& line, int* id, std::string* label) {
  size_t i = 0;
  while (i < line.size() && std::isdigit(static_cast<unsigned char>(line[i]))) ++i;
  if (i == 0 || i > 9 || i == line.size()) return false;
  if (line[i] != ' ' && line[i] != '\t' && line[i] != ':') return false;
  *id = std::stoi(line.substr(0, i));
  *label = Trim(line.substr(i + 1));
  return !label->empty();
}

}  // namespace

Result<Labels> Labels::Parse(const std::string& text, const std::string& name) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  while (!lines.empty() && Trim(lines.back()).empty()) lines.pop_back();
  Labels labels;
  labels.name_ = name;
  if (lines.empty()) return MakeError(name, "the label file is empty");
  bool all_ids = true;
  for (const std::string& l : lines) {
    int id;
    std::string label;
    if (!Trim(l).empty() && !SplitIdLine(Trim(l), &id, &label)) all_ids = false;
  }
  if (all_ids) {
    for (size_t n = 0; n < lines.size(); ++n) {
      int id;
      std::string label;
      if (Trim(lines[n]).empty()) continue;
      SplitIdLine(Trim(lines[n]), &id, &label);
      if (static_cast<size_t>(id) >= labels.labels_.size())
        labels.labels_.resize(static_cast<size_t>(id) + 1);
      if (!labels.labels_[static_cast<size_t>(id)].empty()) {
        return MakeError(name + ":" + std::to_string(n + 1),
                         "class " + std::to_string(id) + " is labelled twice");
      }
      labels.labels_[static_cast<size_t>(id)] = label;
    }
  } else {
    for (const std::string& l : lines) labels.labels_.push_back(Trim(l));
  }
  return labels;
}

Labels Labels::FromNames(std::vector<std::string> names, const std::string& name) {
  Labels labels;
  labels.name_ = name;
  labels.labels_ = std::move(names);
  return labels;
}

Result<Labels> Labels::Load(const std::string& path) {
  CORALPI_ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  return Parse(text, path);
}

bool Labels::Has(int id) const {
  return id >= 0 && static_cast<size_t>(id) < labels_.size() &&
         !labels_[static_cast<size_t>(id)].empty();
}

std::string Labels::Get(int id) const {
  return Has(id) ? labels_[static_cast<size_t>(id)] : "class " + std::to_string(id);
}

Status Labels::CheckCovers(size_t num_classes) const {
  if (labels_.size() < num_classes) {
    // A labels file that does not fit the model (the wrong file for it): unusable.
    return MakeError(ErrorKind::kBadFile, name_,
                     "has labels for " + std::to_string(labels_.size()) +
                         " classes but the model has " + std::to_string(num_classes));
  }
  return OkStatus();
}

}  // namespace coralpi
