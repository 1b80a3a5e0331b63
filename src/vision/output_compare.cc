// Output comparison between backends; see output_compare.h.
#include "vision/output_compare.h"

#include <algorithm>
#include <cmath>

#include "vision/detection_decoder.h"

namespace coralpi {
namespace {

bool IsInteger(DataType t) {
  return t == DataType::kUInt8 || t == DataType::kInt8 || t == DataType::kInt16 ||
         t == DataType::kInt32 || t == DataType::kInt64 || t == DataType::kBool;
}

// Element `i` as a number: the raw integer for integer types, the value for float ones.
double Element(const TensorView& v, int64_t i) {
  switch (v.type) {
    case DataType::kUInt8:
    case DataType::kBool:
      return v.as<uint8_t>()[i];
    case DataType::kInt8:
      return v.as<int8_t>()[i];
    case DataType::kInt16:
      return v.as<int16_t>()[i];
    case DataType::kInt32:
      return v.as<int32_t>()[i];
    case DataType::kInt64:
      return static_cast<double>(v.as<int64_t>()[i]);
    case DataType::kFloat32:
      return v.as<float>()[i];
    case DataType::kFloat64:
      return v.as<double>()[i];
    default:
      return 0;
  }
}

bool Supported(DataType t) {
  return IsInteger(t) || t == DataType::kFloat32 || t == DataType::kFloat64;
}

bool SameQuantization(const TensorView& a, const TensorView& b) {
  bool ea = !a.quant || a.quant->empty(), eb = !b.quant || b.quant->empty();
  if (ea || eb) return ea == eb;
  return a.quant->scale == b.quant->scale && a.quant->zero_point == b.quant->zero_point;
}

// Classification-like outputs ([N] or [1, N], N > 1) get a top-k comparison.
bool LooksLikeScores(const TensorView& v) {
  int64_t n = v.num_elements();
  bool shape_ok = v.shape.size() == 1 || (v.shape.size() == 2 && v.shape[0] == 1);
  return shape_ok && n > 1 &&
         (v.type == DataType::kUInt8 || v.type == DataType::kInt8 || v.type == DataType::kFloat32);
}

std::vector<Class> Top(const TensorView& v, int k) {
  auto scores = OutputScores(v);
  if (!scores.ok()) return {};
  return TopK(*scores, k, -INFINITY);
}

std::string AgreeText(const std::vector<Class>& a, const std::vector<Class>& b) {
  bool same_order = a.size() == b.size();
  for (size_t i = 0; same_order && i < a.size(); ++i) same_order = a[i].id == b[i].id;
  if (same_order) return "agree";
  std::vector<int> ia, ib;
  for (const Class& c : a) ia.push_back(c.id);
  for (const Class& c : b) ib.push_back(c.id);
  std::sort(ia.begin(), ia.end());
  std::sort(ib.begin(), ib.end());
  return ia == ib ? "same classes, different order" : "differ";
}

}  // namespace

Status CheckSameInputs(const std::vector<std::unique_ptr<Backend>>& backends) {
  if (backends.empty()) return OkStatus();
  Backend& first = *backends[0];
  for (size_t b = 1; b < backends.size(); ++b) {
    if (backends[b]->input_count() != first.input_count()) {
      return Error{"the backends see different numbers of inputs"};
    }
  }
  for (size_t i = 0; i < first.input_count(); ++i) {
    TensorView in0 = first.input(i);
    for (size_t b = 1; b < backends.size(); ++b) {
      TensorView in = backends[b]->input(i);
      if (in.type != in0.type || in.shape != in0.shape) {
        return Error{"input " + std::to_string(i) + ": " + first.name() + " sees " +
                     DataTypeName(in0.type) + " " + ShapeToString(in0.shape) + ", " +
                     backends[b]->name() + " sees " + DataTypeName(in.type) + " " +
                     ShapeToString(in.shape)};
      }
    }
  }
  return OkStatus();
}

namespace {

// Outputs of a detector's post-processing (boxes, class ids, scores, count) are not class
// scores, whatever their shape: no top-k for them.
std::vector<bool> PostProcessOutputs(const Model& model) {
  std::vector<bool> is(model.main_graph().outputs.size(), false);
  auto where = FindDetectionOutputs(DescribeOutputs(model));
  if (where.ok()) {
    for (size_t i : {where->boxes, where->classes, where->scores, where->count}) is[i] = true;
  }
  return is;
}

}  // namespace

Result<std::vector<OutputComparison>> CompareOutputs(
    std::vector<std::unique_ptr<Backend>>& backends, int top_k, const Model& model) {
  auto out = CompareOutputs(backends, top_k, PostProcessOutputs(model));
  if (!out.ok()) return out;
  const Subgraph& graph = model.main_graph();
  for (OutputComparison& c : *out) {
    if (c.index < graph.outputs.size())
      c.name = graph.tensors[static_cast<size_t>(graph.outputs[c.index])].name;
  }
  return out;
}

Result<std::vector<OutputComparison>> CompareOutputs(
    std::vector<std::unique_ptr<Backend>>& backends, int top_k, const std::vector<bool>& no_top_k) {
  Backend& first = *backends[0];
  std::vector<OutputComparison> out;
  for (size_t o = 0; o < first.output_count(); ++o) {
    TensorView ref = first.output(o);
    OutputComparison c;
    c.index = o;
    c.description = std::string(DataTypeName(ref.type)) + " " + ShapeToString(ref.shape);
    c.integer = IsInteger(ref.type);
    if (!Supported(ref.type))
      return Error{"output " + std::to_string(o) + ": " + c.description + " cannot be compared"};
    bool scores = LooksLikeScores(ref) && !(o < no_top_k.size() && no_top_k[o]);
    if (scores) c.reference_classes = Top(ref, top_k);
    for (size_t b = 1; b < backends.size(); ++b) {
      if (o >= backends[b]->output_count())
        return Error{backends[b]->name() + " has fewer outputs"};
      TensorView v = backends[b]->output(o);
      if (v.type != ref.type || v.shape != ref.shape) {
        return Error{"output " + std::to_string(o) + ": " + first.name() + " gives " +
                     c.description + ", " + backends[b]->name() + " gives " + DataTypeName(v.type) +
                     " " + ShapeToString(v.shape)};
      }
      OutputDifference d;
      d.backend = backends[b]->name();
      d.same_quantization = SameQuantization(ref, v);
      for (int64_t i = 0; i < ref.num_elements(); ++i) {
        double a = Element(v, i), r = Element(ref, i);
        double diff = std::fabs(a - r);
        if (diff > 0) ++d.differing;
        if (d.where < 0 || diff > d.max_abs) {
          d.max_abs = diff;
          d.where = i;
          d.ours = a;
          d.reference = r;
        }
      }
      if (scores) {
        d.classes = Top(v, top_k);
        d.top_k = AgreeText(d.classes, c.reference_classes);
      }
      c.diffs.push_back(std::move(d));
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace coralpi
