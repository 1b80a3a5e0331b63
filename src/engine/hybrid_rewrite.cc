#include "engine/hybrid_rewrite.h"

#include <cstring>
#include <string>

#include "engine/op_kernel.h"
#include "engine/reference/hybrid.h"

namespace coralpi {
namespace {

// The int8 weights as float32 bytes, w * scale[c] along dimension 0.
std::vector<uint8_t> DequantizeWeights(const TensorInfo& w) {
  const int64_t n = w.num_elements();
  const int64_t per_channel = w.shape.empty() || w.shape[0] == 0 ? 1 : n / w.shape[0];
  std::vector<uint8_t> bytes(static_cast<size_t>(n) * sizeof(float));
  for (int64_t i = 0; i < n; ++i) {
    const size_t c = w.quant.per_channel() ? static_cast<size_t>(i / per_channel) : 0;
    const float f = static_cast<float>(static_cast<int8_t>(w.data[static_cast<size_t>(i)])) *
                    w.quant.scale[c];
    std::memcpy(bytes.data() + i * static_cast<int64_t>(sizeof f), &f, sizeof f);
  }
  return bytes;
}

// The internal node's custom code for a hybrid CONV_2D or FULLY_CONNECTED that XNNPACK can take
// after the rewrite, or null.
const char* QuantizeCodeFor(const OperatorInfo& op, const Subgraph& g) {
  const bool conv = op.code == static_cast<int32_t>(OpCode::kConv2D);
  if (!conv && op.code != static_cast<int32_t>(OpCode::kFullyConnected)) return nullptr;
  if (op.inputs.size() < 2 || op.inputs[0] < 0 || op.inputs[1] < 0) return nullptr;
  const TensorInfo& in = g.tensors[static_cast<size_t>(op.inputs[0])];
  const TensorInfo& w = g.tensors[static_cast<size_t>(op.inputs[1])];
  if (in.type != DataType::kFloat32 || w.type != DataType::kInt8) return nullptr;
  const OpKernel* kernel = FindOpKernel(op);
  if (!kernel || !kernel->check(op, g).ok() || in.shape.empty()) return nullptr;
  if (!conv) {  // rows of the weights' input size must be the input's last dimension
    return in.shape.back() == w.shape[1] ? kDynamicQuantizePerRowCode : nullptr;
  }
  const auto& o = std::get<Conv2DOptions>(op.options);
  return reference::HybridConvQuantizesPerPixel(w.shape[1], w.shape[2], o.stride_h, o.stride_w,
                                                in.shape[3], w.shape[0])
             ? kDynamicQuantizePerRowCode
             : kDynamicQuantizePerImageCode;
}

}  // namespace

std::vector<bool> RewriteHybridForXnnpack(Subgraph& g, FoldedConstants& constants) {
  std::vector<OperatorInfo> ops;
  std::vector<bool> internal;
  for (OperatorInfo& op : g.operators) {
    const char* code = QuantizeCodeFor(op, g);
    if (code) {
      const TensorInfo in = g.tensors[static_cast<size_t>(op.inputs[0])];
      const TensorInfo& w = g.tensors[static_cast<size_t>(op.inputs[1])];
      constants.data.push_back(DequantizeWeights(w));
      TensorInfo wf{w.name + "/dequantized", DataType::kFloat32, w.shape, {}, w.buffer, false,
                    constants.data.back()};
      TensorInfo q{in.name + "/dynamic_quantized", DataType::kFloat32, in.shape, {}, 0, false, {}};
      const auto wf_index = static_cast<int32_t>(g.tensors.size());
      g.tensors.push_back(std::move(wf));
      const auto q_index = static_cast<int32_t>(g.tensors.size());
      g.tensors.push_back(std::move(q));
      OperatorInfo quantize;
      quantize.index = op.index;
      quantize.code = static_cast<int32_t>(OpCode::kCustom);
      quantize.custom_code = code;
      quantize.inputs = {op.inputs[0]};
      quantize.outputs = {q_index};
      ops.push_back(std::move(quantize));
      internal.push_back(true);
      op.inputs[0] = q_index;
      op.inputs[1] = wf_index;
    }
    ops.push_back(std::move(op));
    internal.push_back(false);
  }
  g.operators = std::move(ops);
  return internal;
}

}  // namespace coralpi
