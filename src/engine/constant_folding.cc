#include "engine/constant_folding.h"

#include <algorithm>
#include <cstring>

#include "engine/reference/float16.h"

namespace coralpi {
namespace {

bool IsGraphOutput(const Subgraph& g, int32_t t) {
  return std::find(g.outputs.begin(), g.outputs.end(), t) != g.outputs.end();
}

// Whether `op` is a DEQUANTIZE of a float16 constant that can become a float32 constant.
bool FoldableFloat16Dequantize(const OperatorInfo& op, const Subgraph& g) {
  if (op.code != static_cast<int32_t>(OpCode::kDequantize) || op.inputs.size() != 1 ||
      op.outputs.size() != 1 || op.inputs[0] < 0) {
    return false;
  }
  const TensorInfo& in = g.tensors[static_cast<size_t>(op.inputs[0])];
  const TensorInfo& out = g.tensors[static_cast<size_t>(op.outputs[0])];
  const int64_t n = in.num_elements();
  return in.type == DataType::kFloat16 && in.is_constant() && n > 0 &&
         static_cast<int64_t>(in.data.size()) == 2 * n && out.type == DataType::kFloat32 &&
         out.shape == in.shape && !out.is_constant() && !IsGraphOutput(g, op.outputs[0]);
}

std::vector<uint8_t> ToFloat32(std::span<const uint8_t> halves) {
  std::vector<uint8_t> bytes(halves.size() * 2);
  for (size_t i = 0; i < halves.size() / 2; ++i) {
    uint16_t h;
    std::memcpy(&h, halves.data() + 2 * i, sizeof h);
    const float f = reference::HalfToFloat(h);
    std::memcpy(bytes.data() + 4 * i, &f, sizeof f);
  }
  return bytes;
}

}  // namespace

FoldedConstants FoldFloat16Constants(Subgraph& g) {
  FoldedConstants folded;
  std::vector<OperatorInfo> kept;
  for (OperatorInfo& op : g.operators) {
    if (!FoldableFloat16Dequantize(op, g)) {
      kept.push_back(std::move(op));
      continue;
    }
    TensorInfo& out = g.tensors[static_cast<size_t>(op.outputs[0])];
    folded.data.push_back(ToFloat32(g.tensors[static_cast<size_t>(op.inputs[0])].data));
    out.data = folded.data.back();
    NodePlacement p;
    p.index = op.index;
    p.name = op.name();
    p.supported = true;
    p.folded = true;
    p.reason = "folded into a float32 constant when the model is loaded";
    folded.nodes.push_back(std::move(p));
  }
  g.operators = std::move(kept);
  return folded;
}

}  // namespace coralpi
