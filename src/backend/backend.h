// Backend: one way of running a model (the CPU engine, TensorFlow Lite on the CPU, the Edge TPU),
// seen the same way by classify, bench and compare. Inputs and outputs are TensorViews of the
// backend's own memory: fill the inputs, Invoke, read the outputs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "model/model.h"

namespace coralpi {

class CpuEngine;

class Backend {
 public:
  virtual ~Backend() = default;
  // "cpu", "tflite", "tflite-edgetpu" or "edgetpu".
  virtual std::string name() const = 0;
  // One line on what runs where, e.g. "65 operators on XNNPACK, 1 on reference kernels".
  virtual std::string details() const = 0;
  virtual size_t input_count() const = 0;
  virtual size_t output_count() const = 0;
  virtual TensorView input(size_t i) = 0;
  virtual TensorView output(size_t i) = 0;
  virtual Status Invoke() = 0;
};

struct CpuBackendOptions {
  int threads = 1;
  bool reference_kernels = false;
};

// The project's CPU engine as a Backend.
Result<std::unique_ptr<Backend>> CreateCpuBackend(std::shared_ptr<const Model> model,
                                                  const CpuBackendOptions& options);
// A built engine (with external steps, e.g. the Edge TPU's) as a Backend with this name and
// details; `keep` lives as long as the backend, after the engine is gone.
std::unique_ptr<Backend> WrapCpuEngine(std::unique_ptr<CpuEngine> engine, std::string name,
                                       std::string details, std::shared_ptr<const void> keep = {});

// A model as every backend needs it: the verified Model (the CPU engine, planning) and the
// file's bytes, which the model holds (TensorFlow Lite builds its own interpreter from them;
// keep `model` while it lives). One copy of the file in memory.
struct ModelSource {
  std::shared_ptr<const Model> model;
  std::span<const uint8_t> bytes() const { return model->bytes(); }
};
Result<ModelSource> LoadModelSource(const std::string& path);
Result<ModelSource> ModelSourceFromBytes(std::vector<uint8_t> bytes, const std::string& name);

}  // namespace coralpi
