// coralpi inspect: what a .tflite file holds, and where each part of it runs.
#include <nlohmann/json.hpp>
#include <optional>

#include <algorithm>
#include <cstdio>

#include "command.h"
#include "engine/native/native_node.h"
#include "flags.h"
#include "task/detection_head.h"
#include "vision/model_report.h"

namespace coralpi::cli {
namespace {

struct InspectFlags {
  std::string model;
  bool json = false;
  bool all_operators = false;
};

std::string Where(const NodePlacement& p) {
  if (!p.external.empty()) return p.external;
  if (!p.supported) return "unsupported: " + p.reason;
  if (p.native) return "cpu (own " + native::RunnerName() + " kernel)";
  if (p.xnnpack) return "cpu (XNNPACK)";
  if (p.table) return "cpu (" + p.reason + ")";
  return p.reason.empty() ? "cpu (reference kernel)" : "cpu (reference kernel: " + p.reason + ")";
}

std::string MiB(size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  return buf;
}

// What the Edge TPU runs and what stays on the CPU, from the custom ops' payloads.
void PrintEdgeTpu(const EdgeTpuSummary& e) {
  std::printf("\nEdge TPU:    %zu edgetpu-custom-op node%s\n", e.segments.size(), e.segments.size() == 1 ? "" : "s");
  for (const EdgeTpuSegment& seg : e.segments) {
    std::printf("  node %d: custom options %zu bytes", seg.op_index, seg.options_bytes);
    if (!seg.info) {
      std::printf(", not readable (%s); only its size is known\n", seg.parse_error.c_str());
      continue;
    }
    std::printf(", %zu package%s\n", seg.info->packages.size(), seg.info->packages.size() == 1 ? "" : "s");
    for (const EdgeTpuPackageInfo& p : seg.info->packages) {
      std::printf("    package %zu bytes, needs runtime version %d or newer%s%s\n", p.serialized_bytes,
                  p.min_runtime_version, p.compiler_version.empty() ? "" : ", compiler ",
                  p.compiler_version.c_str());
      for (const EdgeTpuExecutableInfo& x : p.executables) {
        std::printf("      %-18s %9zu bytes: %zu of instructions, %zu of parameters%s%s\n", x.type.c_str(),
                    x.serialized_bytes, x.instruction_bytes, x.parameter_bytes,
                    x.chip.empty() ? "" : ", chip ", x.chip.c_str());
      }
    }
  }
  if (e.all_parsed) {
    std::printf("  parameters: %s of the TPU's 8 MiB on-chip memory: %s\n", MiB(e.parameter_bytes).c_str(),
                e.fits_on_chip() ? "they fit and stay cached on the chip between inferences"
                                 : "they do not fit; what does not fit streams from host memory on every "
                                   "inference (over PCIe or USB)");
  } else {
    std::printf("  parameters: unknown (a custom-op payload could not be read)\n");
  }
  if (e.cpu_operators.empty()) {
    std::printf("  on the CPU:  nothing; the whole graph runs on the TPU\n");
  } else {
    int first = e.segments.front().op_index, last = e.segments.back().op_index;
    int before = 0, after = 0;
    std::vector<std::pair<std::string, int>> counts;  // by first appearance
    for (const auto& [index, op_name] : e.cpu_operators) {
      if (index < first) ++before;
      if (index > last) ++after;
      // clang 14 cannot capture a structured binding in a lambda: capture a plain reference.
      const std::string& name = op_name;
      auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == name; });
      if (it == counts.end()) counts.emplace_back(name, 1);
      else ++it->second;
    }
    std::printf("  on the CPU (around the TPU): %zu operator%s, %d before the TPU, %d after:\n   ",
                e.cpu_operators.size(), e.cpu_operators.size() == 1 ? "" : "s", before, after);
    for (size_t i = 0; i < counts.size(); ++i) {
      std::printf(" %s x%d%s", counts[i].first.c_str(), counts[i].second, i + 1 < counts.size() ? "," : "\n");
    }
  }
}

// Where --backend edgetpu runs the model: the custom ops on the TPU through libedgetpu, the rest
// on coralpi's CPU engine (every operator with --operators).
void PrintEdgeTpuPlan(const EdgeTpuSummary& e) {
  std::string tpu, unsupported;
  int native = 0, xnnpack = 0, reference = 0, table = 0, missing = 0;
  for (const NodePlacement& p : e.plan) {
    if (!p.external.empty()) {
      tpu += (tpu.empty() ? "" : ", ") + std::to_string(p.index);
    } else if (!p.supported) {
      if (unsupported.find(p.name) == std::string::npos) unsupported += (unsupported.empty() ? "" : ", ") + p.name;
      ++missing;
    } else {
      ++(p.native ? native : p.xnnpack ? xnnpack : p.table ? table : reference);
    }
  }
  const int on_cpu = native + xnnpack + reference + table;
  const std::string own =
      native > 0 ? std::to_string(native) + " on own " + native::RunnerName() + " kernels, " : "";
  std::printf("\n--backend edgetpu (libedgetpu alone, no TensorFlow Lite):\n");
  std::printf("  on the Edge TPU:    operator%s %s\n", e.segments.size() == 1 ? "" : "s", tpu.c_str());
  const std::string folded = table > 0 ? ", " + std::to_string(table) + " folded into byte tables" : "";
  std::printf("  on the CPU engine:  %d operator%s (%s%d on XNNPACK, %d on reference kernels%s)\n", on_cpu,
              on_cpu == 1 ? "" : "s", own.c_str(), xnnpack, reference, folded.c_str());
  if (missing > 0) std::printf("  not yet supported:  %d operator%s (%s)\n", missing, missing == 1 ? "" : "s", unsupported.c_str());
}

// The label file packed into the model, as TensorFlow Lite's metadata names it.
void PrintLabelFile(const ModelReport& r) {
  if (!r.label_file_error.empty()) {
    std::printf("\nlabels: cannot be read: %s\n", r.label_file_error.c_str());
  } else if (r.label_file) {
    std::printf("\nlabels: %s packed into the model (TensorFlow Lite metadata), %zu lines; "
                "classify, detect and segment use it without --labels\n",
                r.label_file->first.c_str(), r.label_file->second);
  }
}

// Ultralytics' metadata (YOLO exports): task, classes, input size, keypoints, version.
void PrintUltralytics(const ModelReport& r) {
  if (!r.ultralytics_error.empty()) std::printf("\nultralytics: cannot be read: %s\n", r.ultralytics_error.c_str());
  if (!r.ultralytics) return;
  const UltralyticsMetadata& m = *r.ultralytics;
  std::printf("\nultralytics: %s appended to the file%s%s\n", m.source.c_str(),
              m.version.empty() ? "" : ", version ", m.version.c_str());
  std::printf("  task:      %s\n", std::string(UltralyticsTaskName(m.task)).c_str());
  std::string names;
  for (size_t i = 0; i < m.names.size() && i < 5; ++i) names += (i ? ", " : "") + m.names[i];
  std::printf("  classes:   %zu (%s%s)\n", m.names.size(), names.c_str(), m.names.size() > 5 ? ", ..." : "");
  std::printf("  imgsz:     %dx%d (height x width)", m.input_height, m.input_width);
  if (m.stride) std::printf(", stride %d", *m.stride);
  std::printf("\n");
  if (m.kpt_shape) std::printf("  keypoints: %d x %d\n", m.kpt_shape->count, m.kpt_shape->dims);
}

// The detection head detect would decode (detection_head.h), when the model is a detector.
std::optional<DetectionHead> HeadOf(const Model& model, const ModelReport& r) {
  auto head = FindDetectionHead(model, r.ultralytics);
  if (!head.ok()) return std::nullopt;
  return *head;
}

std::string DescribeHead(const DetectionHead& h, const Model& model) {
  if (!h.yolo()) return std::string("SSD post-process (outputs found by ") + h.found_by + ")";
  return std::string(DetectionHeadName(h.kind)) + " on output " + std::to_string(h.output) + " " +
         ShapeToString(model.main_graph().tensors[static_cast<size_t>(model.main_graph().outputs[h.output])].shape) + ", " +
         std::to_string(h.classes) + " classes (" + h.found_by +
         "); detect letterboxes onto gray 114, pixel / 255";
}

void PrintText(const ModelReport& r, const Model& model, bool all_operators) {
  const std::optional<DetectionHead> head = HeadOf(model, r);
  std::printf("model:       %s\n", r.path.c_str());
  std::printf("size:        %zu bytes, of which %zu bytes of parameters\n", r.file_bytes, r.parameter_bytes);
  std::printf("schema:      version %u, %zu subgraph%s, %zu tensors in the main one\n", r.schema_version,
              r.subgraphs, r.subgraphs == 1 ? "" : "s", r.tensors);
  if (!r.description.empty()) std::printf("description: %s\n", r.description.c_str());
  std::printf("\ninputs:\n");
  for (const auto& t : r.inputs) std::printf("  %d %s: %s\n", t.index, t.name.c_str(), DescribeTensor(t).c_str());
  std::printf("outputs:\n");
  for (const auto& t : r.outputs) std::printf("  %d %s: %s\n", t.index, t.name.c_str(), DescribeTensor(t).c_str());
  std::printf("\noperators (%zu):\n", r.operators.size());
  for (const OperatorCount& c : r.operator_counts) {
    std::string where;
    if (c.on_native)
      where += std::to_string(c.on_native) + " on own " + native::RunnerName() + " kernels";
    if (c.on_xnnpack)
      where += (where.empty() ? "" : ", ") + std::to_string(c.on_xnnpack) + " on XNNPACK";
    if (c.on_reference) where += (where.empty() ? "" : ", ") + std::to_string(c.on_reference) + " on reference kernels";
    if (!c.reference_reason.empty()) where += " (" + c.reference_reason + ")";
    if (c.in_table) where += (where.empty() ? "" : ", ") + std::to_string(c.in_table) + " folded into byte tables";
    if (c.unsupported) where += (where.empty() ? "" : ", ") + std::string("unsupported: ") + c.reason;
    std::printf("  %-26s x%-4d %s\n", c.name.c_str(), c.count, where.c_str());
  }
  if (all_operators) {
    std::printf("\nin order%s:\n", r.edgetpu ? " (--backend edgetpu)" : "");
    for (const NodePlacement& p : r.edgetpu ? r.edgetpu->plan : r.operators) {
      std::printf("  %3d %-26s %s\n", p.index, p.name.c_str(), Where(p).c_str());
    }
  }
  if (!r.custom_ops.empty()) {
    std::printf("\ncustom operators:");
    for (const auto& c : r.custom_ops) std::printf(" %s", c.c_str());
    std::printf("\n");
  }
  if (!r.metadata.empty()) {
    std::printf("metadata:");
    for (const auto& [name, bytes] : r.metadata) std::printf(" %s (%zu bytes)", name.c_str(), bytes);
    std::printf("\n");
  }
  PrintUltralytics(r);
  PrintLabelFile(r);
  if (head) std::printf("\ndetector:    %s\n", DescribeHead(*head, model).c_str());
  if (r.edgetpu) {
    PrintEdgeTpu(*r.edgetpu);
    PrintEdgeTpuPlan(*r.edgetpu);
  }
  std::printf("\ncpu engine:  %s\n", r.cpu_engine_runs_all ? "runs every operator"
                                                          : "cannot run this model (see above)");
  if (r.edgetpu) {
    std::printf("run it:      --backend edgetpu (or auto) with an Edge TPU and libedgetpu 16.0 or later "
                "(RuntimeVersion 14); no TensorFlow Lite needed%s\n",
                r.edgetpu->engine_runs_the_rest ? "" : ", once the CPU engine runs the operators marked unsupported");
  }
}

nlohmann::json TensorJson(const TensorSummary& t) {
  nlohmann::json j = {{"index", t.index}, {"name", t.name}, {"type", DataTypeName(t.type)}, {"shape", t.shape}};
  if (!t.quant.empty()) {
    j["quantization"] = {{"scale", t.quant.scale}, {"zero_point", t.quant.zero_point}};
    if (t.quant.per_channel()) j["quantization"]["axis"] = t.quant.axis;
  }
  return j;
}

nlohmann::json EdgeTpuJson(const EdgeTpuSummary& e) {
  nlohmann::json j = {{"custom_op_nodes", e.segments.size()},
                      {"on_chip_memory_bytes", kEdgeTpuOnChipBytes},
                      {"cpu_operators", nlohmann::json::array()},
                      {"segments", nlohmann::json::array()}};
  if (e.all_parsed) {
    j["parameter_bytes"] = e.parameter_bytes;
    j["parameters_fit_on_chip"] = e.fits_on_chip();
  }
  for (const auto& [index, name] : e.cpu_operators) j["cpu_operators"].push_back({{"index", index}, {"name", name}});
  for (const NodePlacement& p : e.plan) {
    j["plan"].push_back({{"index", p.index}, {"name", p.name}, {"runs_on", p.external.empty() ? "cpu engine: " + Where(p) : p.external}});
  }
  j["edgetpu_backend_runs_all"] = e.engine_runs_the_rest;
  for (const EdgeTpuSegment& seg : e.segments) {
    nlohmann::json s = {{"index", seg.op_index}, {"custom_options_bytes", seg.options_bytes}};
    if (!seg.info) {
      s["error"] = seg.parse_error;
    } else {
      s["format_version"] = seg.info->format_version;
      for (const EdgeTpuPackageInfo& p : seg.info->packages) {
        nlohmann::json pj = {{"bytes", p.serialized_bytes}, {"min_runtime_version", p.min_runtime_version},
                             {"compiler_version", p.compiler_version}, {"chip", p.chip}};
        for (const EdgeTpuExecutableInfo& x : p.executables) {
          pj["executables"].push_back({{"type", x.type}, {"name", x.name}, {"chip", x.chip},
                                       {"bytes", x.serialized_bytes}, {"instruction_bytes", x.instruction_bytes},
                                       {"parameter_bytes", x.parameter_bytes},
                                       {"parameters_in_tpu_dram", x.parameters_in_tpu_dram}});
        }
        s["packages"].push_back(pj);
      }
    }
    j["segments"].push_back(s);
  }
  return j;
}

nlohmann::json UltralyticsJson(const UltralyticsMetadata& m) {
  nlohmann::json j = {{"source", m.source},
                      {"task", std::string(UltralyticsTaskName(m.task))},
                      {"classes", m.names.size()},
                      {"names", m.names},
                      {"imgsz", {m.input_height, m.input_width}},
                      {"version", m.version},
                      {"other", m.other}};
  j["stride"] = m.stride ? nlohmann::json(*m.stride) : nlohmann::json();
  j["kpt_shape"] = m.kpt_shape ? nlohmann::json({m.kpt_shape->count, m.kpt_shape->dims}) : nlohmann::json();
  return j;
}

nlohmann::json ToJson(const ModelReport& r, const Model& model) {
  nlohmann::json j = {{"model", r.path},
                      {"file_bytes", r.file_bytes},
                      {"parameter_bytes", r.parameter_bytes},
                      {"schema_version", r.schema_version},
                      {"description", r.description},
                      {"subgraphs", r.subgraphs},
                      {"tensors", r.tensors},
                      {"custom_operators", r.custom_ops},
                      {"cpu_engine_runs_all", r.cpu_engine_runs_all}};
  for (const auto& t : r.inputs) j["inputs"].push_back(TensorJson(t));
  for (const auto& t : r.outputs) j["outputs"].push_back(TensorJson(t));
  for (const auto& c : r.operator_counts) {
    nlohmann::json o = {{"name", c.name}, {"count", c.count}, {"xnnpack", c.on_xnnpack},
                        {"reference", c.on_reference}, {"unsupported", c.unsupported}};
    if (c.on_native) o["native"] = c.on_native;
    if (c.in_table) o["byte_table"] = c.in_table;
    if (!c.reason.empty()) o["reason"] = c.reason;
    if (!c.reference_reason.empty()) o["reference_reason"] = c.reference_reason;
    j["operator_counts"].push_back(o);
  }
  for (const NodePlacement& p : r.operators) {
    j["operators"].push_back({{"index", p.index}, {"name", p.name}, {"runs_on", Where(p)}});
  }
  for (const auto& [name, bytes] : r.metadata) j["metadata"].push_back({{"name", name}, {"bytes", bytes}});
  if (r.edgetpu) j["edgetpu"] = EdgeTpuJson(*r.edgetpu);
  j["ultralytics"] = r.ultralytics ? UltralyticsJson(*r.ultralytics) : nlohmann::json();
  if (!r.ultralytics_error.empty()) j["ultralytics_error"] = r.ultralytics_error;
  j["label_file"] = r.label_file ? nlohmann::json{{"name", r.label_file->first},
                                                  {"lines", r.label_file->second}}
                                 : nlohmann::json();
  if (!r.label_file_error.empty()) j["label_file_error"] = r.label_file_error;
  if (auto head = HeadOf(model, r)) {
    j["detection_head"] = {{"kind", DetectionHeadName(head->kind)},
                           {"found_by", head->found_by},
                           {"classes", head->classes}};
    if (head->yolo()) j["detection_head"]["output"] = head->output;
  }
  return j;
}

}  // namespace

RunFn AddInspectCommand(CLI::App& sub) {
  auto f = std::make_shared<InspectFlags>();
  sub.add_option("model", f->model, "Model file (.tflite)")->required();
  sub.add_flag("--operators", f->all_operators, "List every operator in execution order");
  AddJsonFlag(sub, f->json);
  return [f] {
    auto model = Model::Load(f->model);
    if (!model.ok()) return ReportError(model.error());
    ModelReport report = BuildModelReport(**model);
    if (f->json) std::printf("%s\n", ToJson(report, **model).dump(2).c_str());
    else PrintText(report, **model, f->all_operators);
    return kExitOk;
  };
}

}  // namespace coralpi::cli
