// ModelReport: what `coralpi inspect` tells about a model, as plain data: its inputs and
// outputs, operators with counts and where each would run on the CPU engine, parameter bytes,
// custom operators and metadata (the model's own, and Ultralytics' appended to the file).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "backend/edgetpu_executable.h"
#include "engine/cpu_engine.h"
#include "model/model.h"
#include "model/ultralytics_metadata.h"

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
  int on_native = 0;  // the CPU engine's own kernels (engine/native)
  int in_table = 0;   // folded with neighbours into a byte table (engine/byte_table.h)
  int unsupported = 0;
  std::string reason;            // why the CPU engine cannot run it (first instance), if it cannot
  std::string reference_reason;  // why XNNPACK does not take it (first such instance), if known
};

// One edgetpu-custom-op node: what the Edge TPU compiler put in it.
struct EdgeTpuSegment {
  int32_t op_index = 0;
  size_t options_bytes = 0;
  std::optional<EdgeTpuCustomOpInfo> info;  // unset when the payload could not be read
  std::string parse_error;                  // or does not fit the node's tensors
};

// The Edge TPU side of a compiled model: its segments and the operators left to the CPU.
struct EdgeTpuSummary {
  std::vector<EdgeTpuSegment> segments;
  std::vector<std::pair<int32_t, std::string>> cpu_operators;  // index, name
  // The edgetpu backend's plan: the custom-op nodes on "Edge TPU", every other operator where
  // the CPU engine runs it (or why it cannot).
  std::vector<NodePlacement> plan;
  bool engine_runs_the_rest = true;  // every operator outside the TPU nodes is supported
  size_t parameter_bytes = 0;        // over every executable that could be read
  bool all_parsed = true;
  bool fits_on_chip() const { return parameter_bytes <= kEdgeTpuOnChipBytes; }
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
  std::vector<NodePlacement> operators;                  // in execution order
  std::vector<OperatorCount> operator_counts;            // by first appearance
  std::vector<std::string> custom_ops;                   // distinct custom codes
  std::vector<std::pair<std::string, size_t>> metadata;  // name, bytes
  bool cpu_engine_runs_all = false;
  std::optional<EdgeTpuSummary> edgetpu;  // set for models that hold an edgetpu-custom-op
  // Ultralytics' metadata appended to the file (YOLO exports), or why it could not be read.
  std::optional<UltralyticsMetadata> ultralytics;
  std::string ultralytics_error;
  // The label file TensorFlow Lite's metadata names (packed into the model's zip): its name and
  // number of lines, or why it could not be read.
  std::optional<std::pair<std::string, size_t>> label_file;
  std::string label_file_error;
};

ModelReport BuildModelReport(const Model& model);

// "uint8 [1, 224, 224, 3] scale 0.0078125 zero point 128" (per-channel: "N scales along dim D").
std::string DescribeTensor(const TensorSummary& t);

}  // namespace coralpi
