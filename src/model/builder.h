// ModelBuilder: writes valid .tflite files (one subgraph), for the tests' one-operator models
// and the built-in MobileNet v2. It writes what it is told, consistent or not, so tests can
// also produce broken models on purpose.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/types.h"

namespace coralpi {

struct TensorSpec {
  std::string name;
  DataType type = DataType::kFloat32;
  Shape shape;
  Quantization quant;
  std::vector<uint8_t> data;  // non-empty: a constant
};

class ModelBuilder {
 public:
  int32_t AddTensor(TensorSpec spec);
  // A constant tensor from typed values.
  template <typename T>
  int32_t AddConstant(const std::string& name, DataType type, Shape shape,
                      const std::vector<T>& values, Quantization quant = {}) {
    TensorSpec spec{name, type, std::move(shape), std::move(quant), {}};
    spec.data.resize(values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(spec.data.data(), values.data(), spec.data.size());
    return AddTensor(std::move(spec));
  }
  // A builtin operator. `options` must match the operator (Conv2DOptions for CONV_2D, ...).
  void AddOperator(OpCode code, std::vector<int32_t> inputs, std::vector<int32_t> outputs,
                   const OpOptions& options = NoOptions{});
  void AddCustomOperator(const std::string& custom_code, std::vector<int32_t> inputs,
                         std::vector<int32_t> outputs, std::vector<uint8_t> custom_options = {});
  void SetInputs(std::vector<int32_t> inputs) { inputs_ = std::move(inputs); }
  void SetOutputs(std::vector<int32_t> outputs) { outputs_ = std::move(outputs); }
  void SetDescription(std::string d) { description_ = std::move(d); }
  void AddMetadata(std::string name, std::vector<uint8_t> data);

  // The serialized model.
  std::vector<uint8_t> Finish() const;

 private:
  struct Op {
    int32_t code;
    std::string custom_code;
    std::vector<int32_t> inputs, outputs;
    OpOptions options;
    std::vector<uint8_t> custom_options;
  };
  std::vector<TensorSpec> tensors_;
  std::vector<Op> ops_;
  std::vector<int32_t> inputs_, outputs_;
  std::string description_ = "written by coralpi";
  std::vector<std::pair<std::string, std::vector<uint8_t>>> metadata_;
};

// Rewrites the main subgraph's output list of a serialized model (tests use it to expose
// intermediate tensors). Errors when the bytes are not a valid model.
Result<std::vector<uint8_t>> ReplaceOutputs(std::span<const uint8_t> model_bytes,
                                            const std::vector<int32_t>& outputs);

}  // namespace coralpi
