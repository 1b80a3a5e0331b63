// SubgraphBuilder's values (model tensors as XNNPACK values); its nodes are in nodes.cc.
#include "engine/xnnpack/subgraph_builder.h"

#include <xnnpack.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "engine/xnnpack/api.h"

namespace coralpi::xnnpack {
namespace {

static_assert(kNoValue == XNN_INVALID_VALUE_ID);
static_assert(kMaxDims == XNN_MAX_TENSOR_DIMS);

std::string StatusName(xnn_status s) {
  switch (s) {
    case xnn_status_success:
      return "success";
    case xnn_status_uninitialized:
      return "not initialized";
    case xnn_status_invalid_parameter:
      return "invalid parameter";
    case xnn_status_invalid_state:
      return "invalid state";
    case xnn_status_unsupported_parameter:
      return "unsupported parameter";
    case xnn_status_unsupported_hardware:
      return "unsupported hardware";
    case xnn_status_out_of_memory:
      return "out of memory";
    default:  // the statuses a later XNNPACK added
      return "status " + std::to_string(static_cast<int>(s));
  }
}

// The XNNPACK datatype for a tensor: quint8, qint8, qcint8 (per-channel int8),
// qint32 / qcint32 (biases), fp32.
Result<xnn_datatype> DatatypeOf(const TensorInfo& t) {
  switch (t.type) {
    case DataType::kFloat32:
      return xnn_datatype_fp32;
    case DataType::kUInt8:
      return xnn_datatype_quint8;
    case DataType::kInt8:
      return t.quant.per_channel() ? xnn_datatype_qcint8 : xnn_datatype_qint8;
    case DataType::kInt32:
      return t.quant.per_channel() ? xnn_datatype_qcint32 : xnn_datatype_qint32;
    default:
      return Error{std::string("XNNPACK has no ") + DataTypeName(t.type) + " tensors"};
  }
}

}  // namespace

Error XnnError(const char* call, xnn_status status) {
  return Error{std::string("XNNPACK ") + call + " failed (" + StatusName(status) + ")"};
}

Status Check(Call call) {
  if (call.status == xnn_status_success) return OkStatus();
  return XnnError(call.name, call.status);
}

SubgraphBuilder::SubgraphBuilder(const Subgraph& graph, std::vector<int32_t> external,
                                       std::set<int32_t> segment_outputs)
    : graph_(graph), external_(std::move(external)), segment_outputs_(std::move(segment_outputs)) {}

SubgraphBuilder::~SubgraphBuilder() {
  if (subgraph_) xnn_delete_subgraph(subgraph_);
}

Status SubgraphBuilder::Init() {
  xnn_status s = xnn_create_subgraph(static_cast<uint32_t>(external_.size()), 0, &subgraph_);
  if (s != xnn_status_success) return XnnError("xnn_create_subgraph", s);
  return OkStatus();
}

xnn_subgraph* SubgraphBuilder::Release() {
  xnn_subgraph* s = subgraph_;
  subgraph_ = nullptr;
  return s;
}

Result<uint32_t> SubgraphBuilder::OptionalValue(int32_t tensor_index) {
  if (tensor_index < 0) return kNoValue;
  return Value(tensor_index);
}

Result<uint32_t> SubgraphBuilder::Value(int32_t tensor_index, const std::vector<size_t>* dims) {
  auto found = ids_.find(tensor_index);
  if (found != ids_.end()) return found->second;
  const TensorInfo& t = tensor(tensor_index);
  std::string where = "tensor " + std::to_string(tensor_index) + " (" + t.name + ")";
  std::vector<size_t> shape = dims ? *dims : std::vector<size_t>(t.shape.begin(), t.shape.end());

  uint32_t external_id = XNN_INVALID_VALUE_ID;
  uint32_t flags = 0;
  auto ext = std::find(external_.begin(), external_.end(), tensor_index);
  if (ext != external_.end() && !t.is_constant()) {
    external_id = static_cast<uint32_t>(ext - external_.begin());
    flags = segment_outputs_.count(tensor_index) ? XNN_VALUE_FLAG_EXTERNAL_OUTPUT
                                                 : XNN_VALUE_FLAG_EXTERNAL_INPUT;
  }
  const void* data = t.is_constant() ? t.data.data() : nullptr;
  auto datatype = DatatypeOf(t);
  if (!datatype.ok()) return WithContext(where, datatype.error());

  uint32_t id = XNN_INVALID_VALUE_ID;
  xnn_status s;
  if (*datatype == xnn_datatype_fp32) {
    s = xnn_define_tensor_value(subgraph_, xnn_datatype_fp32, shape.size(), shape.data(), data,
                                external_id, flags, &id);
  } else if (*datatype == xnn_datatype_qcint8 || *datatype == xnn_datatype_qcint32) {
    s = xnn_define_channelwise_quantized_tensor_value(
        subgraph_, *datatype, t.quant.scale.data(), shape.size(), static_cast<size_t>(t.quant.axis),
        shape.data(), data, external_id, flags, &id);
  } else {
    if (t.quant.empty())
      return MakeError(where, "a quantized tensor without quantization parameters");
    s = xnn_define_quantized_tensor_value(
        subgraph_, *datatype, static_cast<int32_t>(t.quant.zero_point[0]), t.quant.scale[0],
        shape.size(), shape.data(), data, external_id, flags, &id);
  }
  if (s != xnn_status_success) return WithContext(where, XnnError("define tensor", s));
  ids_[tensor_index] = id;
  return id;
}

}  // namespace coralpi::xnnpack
