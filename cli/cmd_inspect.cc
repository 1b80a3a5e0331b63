// coralpi inspect: what a .tflite file holds, and where each part of it runs.
#include <nlohmann/json.hpp>

#include <cstdio>

#include "command.h"
#include "flags.h"
#include "vision/model_report.h"

namespace coralpi::cli {
namespace {

struct InspectFlags {
  std::string model;
  bool json = false;
  bool all_operators = false;
};

std::string Where(const NodePlacement& p) {
  if (!p.supported) return "unsupported: " + p.reason;
  return p.xnnpack ? "cpu (XNNPACK)" : "cpu (reference kernel)";
}

void PrintText(const ModelReport& r, bool all_operators) {
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
    if (c.on_xnnpack) where += std::to_string(c.on_xnnpack) + " on XNNPACK";
    if (c.on_reference) where += (where.empty() ? "" : ", ") + std::to_string(c.on_reference) + " on reference kernels";
    if (c.unsupported) where += (where.empty() ? "" : ", ") + std::string("unsupported: ") + c.reason;
    std::printf("  %-26s x%-4d %s\n", c.name.c_str(), c.count, where.c_str());
  }
  if (all_operators) {
    std::printf("\nin order:\n");
    for (const NodePlacement& p : r.operators) std::printf("  %3d %-26s %s\n", p.index, p.name.c_str(), Where(p).c_str());
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
  std::printf("\ncpu engine:  %s\n", r.cpu_engine_runs_all ? "runs every operator"
                                                          : "cannot run this model (see above)");
}

nlohmann::json TensorJson(const TensorSummary& t) {
  nlohmann::json j = {{"index", t.index}, {"name", t.name}, {"type", DataTypeName(t.type)}, {"shape", t.shape}};
  if (!t.quant.empty()) {
    j["quantization"] = {{"scale", t.quant.scale}, {"zero_point", t.quant.zero_point}};
    if (t.quant.per_channel()) j["quantization"]["axis"] = t.quant.axis;
  }
  return j;
}

nlohmann::json ToJson(const ModelReport& r) {
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
    if (!c.reason.empty()) o["reason"] = c.reason;
    j["operator_counts"].push_back(o);
  }
  for (const NodePlacement& p : r.operators) {
    j["operators"].push_back({{"index", p.index}, {"name", p.name}, {"runs_on", Where(p)}});
  }
  for (const auto& [name, bytes] : r.metadata) j["metadata"].push_back({{"name", name}, {"bytes", bytes}});
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
    if (f->json) std::printf("%s\n", ToJson(report).dump(2).c_str());
    else PrintText(report, f->all_operators);
    return kExitOk;
  };
}

}  // namespace coralpi::cli
