// Detections from post-process arrays, and finding those arrays among a model's outputs; see
// detection_decoder.h.
#include "vision/detection_decoder.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "model/custom_ops.h"

namespace coralpi {
namespace {

constexpr const char* kPostProcess = kDetectionPostProcessCode;

// The post-process operator's output slots.
constexpr int kBoxesSlot = 0, kClassesSlot = 1, kScoresSlot = 2, kCountSlot = 3;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A box in input-normalized coordinates -> image pixels, clamped to the image.
BoundingBox ToImageBox(const float* yxyx, const InputTransform& t) {
  const float w = static_cast<float>(t.input_width), h = static_cast<float>(t.input_height);
  return InputToImageBox({yxyx[1] * w, yxyx[0] * h, yxyx[3] * w, yxyx[2] * h}, t);
}

std::string Describe(const OutputDesc& o, size_t i) {
  return std::to_string(i) + " \"" + o.name + "\" " + DataTypeName(o.type) + " " +
         ShapeToString(o.shape);
}

bool IsBoxes(const Shape& s) {
  return (s.size() == 3 && s[0] == 1 && s[2] == 4) || (s.size() == 2 && s[1] == 4);
}
bool IsRow(const Shape& s) { return (s.size() == 2 && s[0] == 1) || s.size() == 1; }
bool IsCount(const Shape& s) { return NumElements(s) == 1; }

// 1. The outputs of a TFLite_Detection_PostProcess operator, by its output slot.
std::optional<DetectionOutputs> ByProducer(std::span<const OutputDesc> outputs) {
  int found[4] = {-1, -1, -1, -1};
  for (size_t i = 0; i < outputs.size(); ++i) {
    const OutputDesc& o = outputs[i];
    if (o.producer == kPostProcess && o.producer_slot >= 0 && o.producer_slot < 4)
      found[o.producer_slot] = static_cast<int>(i);
  }
  if (std::count(found, found + 4, -1) > 0) return std::nullopt;
  return DetectionOutputs{static_cast<size_t>(found[kBoxesSlot]),
                          static_cast<size_t>(found[kClassesSlot]),
                          static_cast<size_t>(found[kScoresSlot]),
                          static_cast<size_t>(found[kCountSlot]), "post-process operator"};
}

// 2. Outputs named like TensorFlow's detection outputs, each matched exactly once.
std::optional<DetectionOutputs> ByName(std::span<const OutputDesc> outputs) {
  const char* keys[4] = {"box", "class", "score", "num_detections"};
  int found[4] = {-1, -1, -1, -1};
  for (size_t i = 0; i < outputs.size(); ++i) {
    std::string name = Lower(outputs[i].name);
    for (int k = 0; k < 4; ++k) {
      if (name.find(keys[k]) == std::string::npos) continue;
      if (found[k] != -1) return std::nullopt;  // ambiguous
      found[k] = static_cast<int>(i);
    }
  }
  if (std::count(found, found + 4, -1) > 0) return std::nullopt;
  return DetectionOutputs{static_cast<size_t>(found[0]), static_cast<size_t>(found[1]),
                          static_cast<size_t>(found[2]), static_cast<size_t>(found[3]), "names"};
}

// 3. The two known orders, by shape.
std::optional<DetectionOutputs> ByShape(std::span<const OutputDesc> outputs) {
  if (outputs.size() != 4) return std::nullopt;
  auto s = [&](size_t i) -> const Shape& { return outputs[i].shape; };
  if (IsBoxes(s(0)) && IsRow(s(1)) && IsRow(s(2)) && IsCount(s(3)))
    return DetectionOutputs{0, 1, 2, 3, "TF1 SSD order"};
  if (IsRow(s(0)) && IsBoxes(s(1)) && IsCount(s(2)) && IsRow(s(3)))
    return DetectionOutputs{1, 3, 0, 2, "TF2 order"};
  return std::nullopt;
}

Result<std::vector<float>> ReadFloats(Backend& backend, size_t index, const char* what) {
  if (index >= backend.output_count()) {
    return Error{std::string("the model has no output ") + std::to_string(index) + " (" + what +
                 ")"};
  }
  auto values = OutputScores(backend.output(index));
  if (!values.ok())
    return MakeError(std::string(what) + " (output " + std::to_string(index) + ")",
                     values.error().message);
  return values;
}

}  // namespace

std::string ToString(const BoundingBox& b) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "BoundingBox{x %.2f..%.2f, y %.2f..%.2f}", b.xmin, b.xmax, b.ymin,
                b.ymax);
  return buf;
}

std::string ToString(const Detection& d) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "Detection{class %d, score %.5f, ", d.class_id, d.score);
  return buf + ("\"" + d.label + "\", ") + ToString(d.box) + "}";
}

Result<std::vector<Detection>> DecodeDetections(const DetectionArrays& a, const InputTransform& t,
                                                const Labels* labels, const DetectionOptions& opt) {
  const size_t n = a.scores.size();
  if (a.classes.size() != n || a.boxes.size() != 4 * n) {
    return Error{"detection outputs do not agree: " + std::to_string(n) + " scores, " +
                 std::to_string(a.classes.size()) + " classes, " + std::to_string(a.boxes.size()) +
                 " box coordinates (want 4 per score)"};
  }
  size_t count = n;
  if (std::isfinite(a.count)) count = static_cast<size_t>(std::clamp<float>(a.count, 0, n));
  std::vector<size_t> rows;
  for (size_t i = 0; i < count; ++i) {
    if (a.scores[i] >= opt.threshold && std::isfinite(a.classes[i])) rows.push_back(i);
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [&](size_t x, size_t y) { return a.scores[x] > a.scores[y]; });
  std::vector<Detection> out;
  for (size_t i : rows) {
    if (out.size() >= static_cast<size_t>(std::max(opt.max_detections, 0))) break;
    Detection d;
    d.class_id = static_cast<int32_t>(std::lround(std::clamp(a.classes[i], -1e9f, 1e9f)));
    d.score = a.scores[i];
    d.box = ToImageBox(&a.boxes[4 * i], t);
    if (d.box.area() <= 0.0f) continue;
    int line = d.class_id + opt.label_offset;
    d.label =
        labels && labels->Has(line) ? labels->Get(line) : "class " + std::to_string(d.class_id);
    out.push_back(std::move(d));
  }
  return out;
}

int DetectionLabelOffset(const Labels& labels) {
  return labels.Has(0) && labels.Get(0) == "???" ? 1 : 0;
}

std::vector<OutputDesc> DescribeOutputs(const Model& model) {
  const Subgraph& g = model.main_graph();
  std::vector<OutputDesc> out;
  for (int32_t t : g.outputs) {
    const TensorInfo& info = g.tensors[static_cast<size_t>(t)];
    OutputDesc d{info.name, info.type, info.shape, "", -1};
    for (const OperatorInfo& op : g.operators) {
      auto it = std::find(op.outputs.begin(), op.outputs.end(), t);
      if (it == op.outputs.end()) continue;
      d.producer = op.name();
      d.producer_slot = static_cast<int>(it - op.outputs.begin());
    }
    out.push_back(std::move(d));
  }
  return out;
}

Result<DetectionOutputs> FindDetectionOutputs(std::span<const OutputDesc> outputs) {
  if (auto found = ByProducer(outputs)) return *found;
  if (auto found = ByName(outputs)) return *found;
  if (auto found = ByShape(outputs)) return *found;
  std::string list;
  for (size_t i = 0; i < outputs.size(); ++i) list += (i ? "; " : "") + Describe(outputs[i], i);
  return Error{
      "not a detector with post-processing: expected the four outputs of " +
      std::string(kPostProcess) +
      " (boxes [1, N, 4], classes [1, N], scores [1, N], count [1]), but the model's outputs "
      "are: " +
      (list.empty() ? "none" : list)};
}

std::optional<int> DetectorClassCount(const Model& model) {
  const Subgraph& g = model.main_graph();
  for (const OperatorInfo& op : g.operators) {
    if (op.name() != kPostProcess || op.inputs.size() < 2 || op.inputs[1] < 0) continue;
    const Shape& s = g.tensors[static_cast<size_t>(op.inputs[1])].shape;
    if (s.empty() || s.back() < 2) return std::nullopt;
    return s.back() - 1;  // the class predictions include the background
  }
  return std::nullopt;
}

Result<std::vector<Detection>> ReadDetections(Backend& backend, const DetectionOutputs& where,
                                              const InputTransform& transform, const Labels* labels,
                                              const DetectionOptions& options) {
  CORALPI_ASSIGN_OR_RETURN(std::vector<float> boxes, ReadFloats(backend, where.boxes, "boxes"));
  CORALPI_ASSIGN_OR_RETURN(std::vector<float> classes,
                           ReadFloats(backend, where.classes, "classes"));
  CORALPI_ASSIGN_OR_RETURN(std::vector<float> scores, ReadFloats(backend, where.scores, "scores"));
  CORALPI_ASSIGN_OR_RETURN(std::vector<float> count, ReadFloats(backend, where.count, "count"));
  DetectionArrays arrays{boxes, classes, scores, count.empty() ? 0.0f : count[0]};
  return DecodeDetections(arrays, transform, labels, options);
}

}  // namespace coralpi
