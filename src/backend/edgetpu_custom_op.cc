// libedgetpu's edgetpu-custom-op hosted by coralpi; see edgetpu_custom_op.h.
#include "backend/edgetpu_custom_op.h"

#include <climits>

#include "backend/edgetpu_executable.h"

namespace coralpi {

Result<std::shared_ptr<EdgeTpuCustomOps>> EdgeTpuCustomOps::Create(
    const EdgeTpuLibrary& lib, std::shared_ptr<const Model> model,
    std::shared_ptr<EdgeTpuDevice> device) {
  CORALPI_RETURN_IF_ERROR(CheckDirectEdgeTpuRuntime(lib));
  const abi::TfLiteRegistration* registration = lib.api.RegisterCustomOp();
  if (!registration || !registration->init || !registration->prepare || !registration->invoke ||
      !registration->free) {
    return MakeError(ErrorKind::kDevice, lib.path,
                     "edgetpu::RegisterCustomOp returned no complete registration");
  }
  std::shared_ptr<EdgeTpuCustomOps> ops(new EdgeTpuCustomOps());
  ops->lib_ = &lib;
  ops->registration_ = registration;
  ops->context_ = std::make_unique<TfLiteHostContext>(model->main_graph().tensors.size());
  ops->context_->set_edgetpu_context(device ? device->context() : nullptr);
  ops->model_ = std::move(model);
  ops->device_ = std::move(device);
  return ops;
}

ExternalNodes EdgeTpuCustomOps::Nodes() {
  std::weak_ptr<EdgeTpuCustomOps> self = weak_from_this();
  ExternalNodes nodes;
  nodes.custom_code = kEdgeTpuCustomOpCode;
  nodes.runs_on = "Edge TPU";
  nodes.create = [self](
                     const OperatorInfo& op, std::span<const TensorView> inputs,
                     std::span<const TensorView> outputs) -> Result<std::unique_ptr<ExternalStep>> {
    std::shared_ptr<EdgeTpuCustomOps> ops = self.lock();
    if (!ops) return Error{"the Edge TPU host is gone"};
    return ops->Open(op, inputs, outputs);
  };
  return nodes;
}

Error EdgeTpuCustomOps::Failure(const char* phase, int status) {
  std::string reported = context_->TakeErrors();
  if (!device_) {
    return Error{std::string("no Edge TPU is open to run it (libedgetpu's ") + phase +
                     (reported.empty() ? " failed" : ": " + reported) + ")",
                 ErrorKind::kDevice};
  }
  return Error{std::string("libedgetpu's ") + phase + " failed (status " + std::to_string(status) +
                   ")" + (reported.empty() ? "" : ": " + reported) + " on the Edge TPU " +
                   device_->name(),
               ErrorKind::kDevice};
}

Result<std::unique_ptr<EdgeTpuNode>> EdgeTpuCustomOps::Init(const OperatorInfo& op,
                                                            std::span<const TensorView> inputs,
                                                            std::span<const TensorView> outputs) {
  // Before libedgetpu reads a byte of it: it verifies none of the payload.
  CORALPI_RETURN_IF_ERROR(VerifyEdgeTpuCustomOp(op.custom_options, inputs, outputs));
  if (op.custom_options.size() > static_cast<size_t>(INT_MAX)) {
    return Error{"its custom options are too large"};
  }
  const Subgraph& g = model_->main_graph();
  auto bind = [&](std::span<const int32_t> indices, std::span<const TensorView> views) -> Status {
    for (size_t i = 0; i < indices.size(); ++i) {
      if (indices[i] < 0) return Error{"an omitted tensor is not allowed"};
      size_t t = static_cast<size_t>(indices[i]);
      CORALPI_RETURN_IF_ERROR(context_->Bind(t, views[i], g.tensors[t].name.c_str()));
    }
    return OkStatus();
  };
  CORALPI_RETURN_IF_ERROR(bind(op.inputs, inputs));
  CORALPI_RETURN_IF_ERROR(bind(op.outputs, outputs));

  std::unique_ptr<EdgeTpuNode> node(new EdgeTpuNode(shared_from_this()));
  node->inputs_ = NewIntArray(op.inputs);
  node->outputs_ = NewIntArray(op.outputs);
  node->empty_ = NewIntArray({});
  abi::TfLiteNode& n = node->node_;
  n.inputs = node->inputs_.get();
  n.outputs = node->outputs_.get();
  n.intermediates = node->empty_.get();
  n.temporaries = node->empty_.get();
  n.custom_initial_data = op.custom_options.data();
  n.custom_initial_data_size = static_cast<int>(op.custom_options.size());
  context_->TakeErrors();
  n.user_data =
      registration_->init(context_->get(), reinterpret_cast<const char*>(op.custom_options.data()),
                          op.custom_options.size());
  if (!n.user_data) {
    std::string reported = context_->TakeErrors();
    return Error{"libedgetpu's init returned nothing" +
                 (reported.empty() ? std::string() : ": " + reported)};
  }
  return node;
}

Result<std::unique_ptr<ExternalStep>> EdgeTpuCustomOps::Open(const OperatorInfo& op,
                                                             std::span<const TensorView> inputs,
                                                             std::span<const TensorView> outputs) {
  CORALPI_ASSIGN_OR_RETURN(std::unique_ptr<EdgeTpuNode> node, Init(op, inputs, outputs));
  CORALPI_RETURN_IF_ERROR(node->Prepare());
  return std::unique_ptr<ExternalStep>(std::move(node));
}

EdgeTpuNode::~EdgeTpuNode() {
  if (node_.user_data) ops_->registration_->free(ops_->context_->get(), node_.user_data);
  ops_->context_->TakeErrors();
}

Status EdgeTpuNode::Prepare() {
  abi::TfLiteStatus s = ops_->registration_->prepare(ops_->context_->get(), &node_);
  if (s != abi::kTfLiteOk) return ops_->Failure("prepare", s);
  return OkStatus();
}

Status EdgeTpuNode::Run() {
  abi::TfLiteStatus s = ops_->registration_->invoke(ops_->context_->get(), &node_);
  if (s != abi::kTfLiteOk) return ops_->Failure("invoke", s);
  return OkStatus();
}

}  // namespace coralpi
