// ModelReport; see model_report.h.
#include "vision/model_report.h"

#include <algorithm>
#include <cstdio>

#include "model/custom_ops.h"
#include "model/tflite_metadata.h"

namespace coralpi {
namespace {

TensorSummary Summarize(const Subgraph& g, int32_t index) {
  const TensorInfo& t = g.tensors[static_cast<size_t>(index)];
  return {index, t.name, t.type, t.shape, t.quant};
}

// Views without memory: what the payload check needs of the node's tensors.
std::vector<TensorView> Views(const Subgraph& g, const std::vector<int32_t>& indices) {
  std::vector<TensorView> v;
  for (int32_t i : indices) {
    if (i < 0) continue;
    const TensorInfo& t = g.tensors[static_cast<size_t>(i)];
    v.push_back(TensorView{t.type, t.shape, &t.quant, nullptr});
  }
  return v;
}

// Where the edgetpu backend runs each operator: the custom ops on the TPU, the rest on the
// CPU engine.
void PlanEdgeTpu(const Model& model, EdgeTpuSummary& s) {
  CpuEngineOptions options;
  options.external.push_back({kEdgeTpuCustomOpCode, "Edge TPU", nullptr});
  s.plan = PlanPlacement(model, options);
  for (const NodePlacement& p : s.plan)
    s.engine_runs_the_rest = s.engine_runs_the_rest && p.supported;
}

std::optional<EdgeTpuSummary> SummarizeEdgeTpu(const Subgraph& g) {
  EdgeTpuSummary s;
  for (const OperatorInfo& op : g.operators) {
    bool tpu =
        op.code == static_cast<int32_t>(OpCode::kCustom) && op.custom_code == kEdgeTpuCustomOpCode;
    if (!tpu) {
      s.cpu_operators.emplace_back(op.index, op.name());
      continue;
    }
    EdgeTpuSegment seg;
    seg.op_index = op.index;
    seg.options_bytes = op.custom_options.size();
    Result<EdgeTpuCustomOpInfo> info =
        VerifyEdgeTpuCustomOp(op.custom_options, Views(g, op.inputs), Views(g, op.outputs));
    if (info.ok()) {
      s.parameter_bytes += info->parameter_bytes();
      seg.info = std::move(*info);
    } else {
      seg.parse_error = info.error().message;
      s.all_parsed = false;
    }
    s.segments.push_back(std::move(seg));
  }
  if (s.segments.empty()) return std::nullopt;
  return s;
}

// What the zip appended to the model holds: Ultralytics' metadata, the label file TensorFlow
// Lite's metadata names (with its number of lines), or why either cannot be read.
void AddPackedMetadata(const Model& model, ModelReport& r) {
  auto ultralytics = ReadUltralyticsMetadata(model.bytes());
  if (ultralytics.ok()) r.ultralytics = std::move(*ultralytics);
  else r.ultralytics_error = ultralytics.error().message;
  auto labels = ReadMetadataLabelFile(model);
  if (!labels.ok()) {
    r.label_file_error = labels.error().message;
  } else if (labels->has_value()) {
    const std::string& text = (*labels)->data;
    size_t lines = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
    if (!text.empty() && text.back() != '\n') ++lines;
    r.label_file = {(*labels)->name, lines};
  }
}

}  // namespace

ModelReport BuildModelReport(const Model& model) {
  ModelReport r;
  const Subgraph& g = model.main_graph();
  r.path = model.name();
  r.file_bytes = model.file_size();
  r.parameter_bytes = model.parameter_bytes();
  r.schema_version = model.schema_version();
  r.description = model.description();
  r.subgraphs = model.subgraphs().size();
  r.tensors = g.tensors.size();
  for (int32_t i : g.inputs) r.inputs.push_back(Summarize(g, i));
  for (int32_t i : g.outputs) r.outputs.push_back(Summarize(g, i));
  r.operators = PlanPlacement(model);
  r.cpu_engine_runs_all = true;
  for (const NodePlacement& p : r.operators) {
    auto it = std::find_if(r.operator_counts.begin(), r.operator_counts.end(),
                           [&](const OperatorCount& c) { return c.name == p.name; });
    if (it == r.operator_counts.end()) {
      r.operator_counts.push_back({p.name});
      it = r.operator_counts.end() - 1;
    }
    ++it->count;
    if (!p.supported) {
      ++it->unsupported;
      if (it->reason.empty()) it->reason = p.reason;
      r.cpu_engine_runs_all = false;
    } else if (p.xnnpack) {
      ++it->on_xnnpack;
    } else if (p.native) {
      ++it->on_native;
    } else if (p.table) {
      ++it->in_table;
    } else {
      ++it->on_reference;
      if (it->reference_reason.empty()) it->reference_reason = p.reason;
    }
  }
  for (const OperatorInfo& op : g.operators) {
    if (op.code == static_cast<int32_t>(OpCode::kCustom) &&
        std::find(r.custom_ops.begin(), r.custom_ops.end(), op.custom_code) == r.custom_ops.end()) {
      r.custom_ops.push_back(op.custom_code);
    }
  }
  for (const MetadataEntry& m : model.metadata()) r.metadata.emplace_back(m.name, m.data.size());
  AddPackedMetadata(model, r);
  r.edgetpu = SummarizeEdgeTpu(g);
  if (r.edgetpu) PlanEdgeTpu(model, *r.edgetpu);
  return r;
}

std::string DescribeTensor(const TensorSummary& t) {
  std::string s = std::string(DataTypeName(t.type)) + " " + ShapeToString(t.shape);
  if (t.quant.per_channel()) {
    s += " per-channel: " + std::to_string(t.quant.scale.size()) + " scales along dimension " +
         std::to_string(t.quant.axis);
  } else if (!t.quant.empty()) {
    char buf[96];
    std::snprintf(buf, sizeof buf, " scale %.9g zero point %lld", t.quant.scale[0],
                  static_cast<long long>(t.quant.zero_point[0]));
    s += buf;
  }
  return s;
}

}  // namespace coralpi
