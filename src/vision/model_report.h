// ModelReport: what `coralpi inspect` tells about a model, as plain data: its inputs and
// outputs, operators with counts and where each would run on the CPU engine, parameter bytes,
// custom operators and metadata.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/cpu_engine.h"
#include "model/model.h"

namespace coralpi {

struct TensorSummary {
  int32_t index = 0;
  std::string name;
  DataType type = DataType::kFloat32;
  Shape shape;
  Quantization quant;
};

struct OperatorCount {
  std::string name;
  int count = 0;
  int on_xnnpack = 0;
  int on_reference = 0;
  int unsupported = 0;
  std::string reason;  // why the CPU engine cannot run it (first instance), if it cannot
};

struct ModelReport {
  std::string path;
  size_t file_bytes = 0;
  size_t parameter_bytes = 0;
  uint32_t schema_version = 0;
  std::string description;
  size_t subgraphs = 0;
  size_t tensors = 0;
  std::vector<TensorSummary> inputs, outputs;
  std::vector<NodePlacement> operators;          // in execution order
  std::vector<OperatorCount> operator_counts;    // by first appearance
  std::vector<std::string> custom_ops;           // distinct custom codes
  std::vector<std::pair<std::string, size_t>> metadata;  // name, bytes
  bool cpu_engine_runs_all = false;
};

ModelReport BuildModelReport(const Model& model);

// "uint8 [1, 224, 224, 3] scale 0.0078125 zero point 128" (per-channel: "N scales along dim D").
std::string DescribeTensor(const TensorSummary& t);

}  // namespace coralpi
