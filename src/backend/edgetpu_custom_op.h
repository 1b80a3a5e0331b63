// Running a model's `edgetpu-custom-op` nodes with libedgetpu's own kernel, hosted by coralpi:
// the registration edgetpu::RegisterCustomOp() returns, called on coralpi's TfLiteContext
// (tflite_host_context.h), as steps of the CPU engine's plan (ExternalNodes), so the CPU engine
// runs the operators before, between and after the nodes. No TensorFlow Lite library is used.
//
// For each node: its payload is verified against its tensors (edgetpu_executable.h) before
// libedgetpu sees it, then init (the payload, which libedgetpu keeps pointers into: the model
// holding it stays alive), prepare (registers the executable on the device and checks the
// tensors), invoke on every run, free when the node goes. What libedgetpu reports (ReportError)
// becomes the error, which the engine prefixes with the model and the node. Every node holds the
// device, so the device is released only after the last node's free (libedgetpu aborts
// otherwise).
#pragma once

#include <memory>
#include <span>
#include <string>

#include "backend/edgetpu_device.h"
#include "backend/tflite_host_context.h"
#include "engine/cpu_engine.h"
#include "model/custom_ops.h"
#include "model/model.h"

namespace coralpi {

class EdgeTpuNode;

class EdgeTpuCustomOps : public std::enable_shared_from_this<EdgeTpuCustomOps> {
 public:
  // `lib` must pass CheckDirectEdgeTpuRuntime. `device` null: no Edge TPU (init works; prepare
  // and invoke fail with a clear error).
  static Result<std::shared_ptr<EdgeTpuCustomOps>> Create(const EdgeTpuLibrary& lib,
                                                          std::shared_ptr<const Model> model,
                                                          std::shared_ptr<EdgeTpuDevice> device);

  // For CpuEngineOptions::external: the model's edgetpu-custom-op nodes, run on "Edge TPU".
  ExternalNodes Nodes();

  // The payload verified against the node's tensors, the tensors bound, libedgetpu's init.
  Result<std::unique_ptr<EdgeTpuNode>> Init(const OperatorInfo& op,
                                            std::span<const TensorView> inputs,
                                            std::span<const TensorView> outputs);
  // Init, then the node's Prepare.
  Result<std::unique_ptr<ExternalStep>> Open(const OperatorInfo& op,
                                             std::span<const TensorView> inputs,
                                             std::span<const TensorView> outputs);

 private:
  friend class EdgeTpuNode;
  EdgeTpuCustomOps() = default;
  // The library's status and what it reported, as an error for a node.
  Error Failure(const char* phase, int status);

  const EdgeTpuLibrary* lib_ = nullptr;
  const abi::TfLiteRegistration* registration_ = nullptr;
  std::shared_ptr<const Model> model_;
  std::shared_ptr<EdgeTpuDevice> device_;
  std::unique_ptr<TfLiteHostContext> context_;
};

// One initialised node. Destroying it calls the registration's free.
class EdgeTpuNode : public ExternalStep {
 public:
  ~EdgeTpuNode() override;
  // libedgetpu's prepare: registers the executable on the device, checks the tensors.
  Status Prepare();
  // libedgetpu's invoke: inputs to the TPU, the TPU's results into the outputs.
  Status Run() override;

 private:
  friend class EdgeTpuCustomOps;
  explicit EdgeTpuNode(std::shared_ptr<EdgeTpuCustomOps> ops) : ops_(std::move(ops)) {}

  std::shared_ptr<EdgeTpuCustomOps> ops_;
  abi::TfLiteNode node_{};
  IntArrayPtr inputs_, outputs_, empty_;
};

}  // namespace coralpi
