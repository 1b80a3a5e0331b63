// Model: a verified, read-only view of a .tflite file.
//
// Everything is checked once, when the model is loaded: the FlatBuffers structure (the
// FlatBuffers verifier), every index (buffers, tensors, operator codes, inputs and outputs),
// constant buffer sizes against tensor shapes and types, and quantization parameter counts.
// After that the rest of coralpi can index freely. A corrupt, truncated or hostile file gives
// an error naming the file and the problem.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/types.h"

namespace coralpi {

struct TensorInfo {
  std::string name;
  DataType type = DataType::kFloat32;
  Shape shape;
  Quantization quant;
  uint32_t buffer = 0;
  bool is_variable = false;
  std::span<const uint8_t> data;  // constant data, empty for activations

  bool is_constant() const { return !data.empty(); }
  int64_t num_elements() const { return NumElements(shape); }
  int64_t num_bytes() const { return num_elements() * static_cast<int64_t>(ElementSize(type)); }
};

struct OperatorInfo {
  int32_t index = 0;        // position in the subgraph's execution order
  int32_t code = 0;         // builtin operator code (max of the deprecated and current fields)
  std::string custom_code;  // set when code == CUSTOM
  int32_t version = 1;
  std::vector<int32_t> inputs;  // tensor indices; -1 marks an omitted optional input
  std::vector<int32_t> outputs;
  OpOptions options;
  std::span<const uint8_t> custom_options;

  // "CONV_2D", or the custom code for custom operators.
  std::string name() const;
};

struct Subgraph {
  std::string name;
  std::vector<TensorInfo> tensors;
  std::vector<int32_t> inputs;
  std::vector<int32_t> outputs;
  std::vector<OperatorInfo> operators;
};

struct MetadataEntry {
  std::string name;
  std::span<const uint8_t> data;
};

class Model {
 public:
  // Reads and verifies a model file. `path` names the model in every error.
  static Result<std::shared_ptr<const Model>> Load(const std::string& path);
  // Verifies a model held in memory; `name` stands for it in errors.
  static Result<std::shared_ptr<const Model>> FromBytes(std::vector<uint8_t> bytes,
                                                        const std::string& name);

  const std::string& name() const { return name_; }
  uint32_t schema_version() const { return schema_version_; }
  const std::string& description() const { return description_; }
  const std::vector<Subgraph>& subgraphs() const { return subgraphs_; }
  const Subgraph& main_graph() const { return subgraphs_[0]; }
  const std::vector<MetadataEntry>& metadata() const { return metadata_; }
  size_t file_size() const { return bytes_.size(); }
  // The whole file, as read (every span of the model points into it).
  std::span<const uint8_t> bytes() const { return bytes_; }
  // Bytes of constant data (weights, biases, custom-op payloads) in the main subgraph.
  size_t parameter_bytes() const;
  // True when some operator is a custom op with this code (e.g. "edgetpu-custom-op").
  bool HasCustomOp(const std::string& code) const;

 private:
  Model() = default;
  Status Parse();

  std::string name_;
  std::vector<uint8_t> bytes_;
  uint32_t schema_version_ = 0;
  std::string description_;
  std::vector<Subgraph> subgraphs_;
  std::vector<MetadataEntry> metadata_;
};

}  // namespace coralpi
