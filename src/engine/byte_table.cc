// Byte tables: finding foldable runs of elementwise operators, and the table that replaces them.
#include "engine/byte_table.h"

#include <algorithm>
#include <map>

#include "engine/op_kernel.h"

namespace coralpi {
namespace {

bool IsByte(DataType t) { return t == DataType::kUInt8 || t == DataType::kInt8; }

bool Elementwise(int32_t code) {
  switch (static_cast<OpCode>(code)) {
    case OpCode::kCast:
    case OpCode::kQuantize:
    case OpCode::kDequantize:
    case OpCode::kAdd:
    case OpCode::kSub:
    case OpCode::kMul:
    case OpCode::kMaximum:
    case OpCode::kMinimum:
    case OpCode::kRelu:
    case OpCode::kRelu6:
    case OpCode::kReluN1To1:
    case OpCode::kLogistic:
    case OpCode::kTanh:
    case OpCode::kHardSwish:
      return true;
    default:
      return false;
  }
}

const TensorInfo& Tensor(const Subgraph& g, int32_t t) { return g.tensors[static_cast<size_t>(t)]; }

// The innermost size a constant varies along (1 for scalars and all-1 shapes), or -1 when it
// varies along any other dimension.
int32_t ConstantChannels(const Shape& s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] != 1) return -1;
  }
  return s.empty() ? 1 : s.back();
}

// How many operators read each tensor, and the graph outputs once more.
std::vector<int> Readers(const Subgraph& g) {
  std::vector<int> n(g.tensors.size(), 0);
  for (const OperatorInfo& op : g.operators) {
    for (int32_t t : op.inputs) {
      if (t >= 0) ++n[static_cast<size_t>(t)];
    }
  }
  for (int32_t t : g.outputs) ++n[static_cast<size_t>(t)];
  return n;
}

// One link of a chain: `op` reads `in` (not a constant), constants, and maybe other tensors of
// the chain (`known`: its input and the outputs of its earlier links, each a function of the
// chain input's byte, such as x in SiLU's MUL(x, LOGISTIC(x))), and writes one tensor of in's
// shape. Returns the channels its constants vary along (1 if none), or -1 if it cannot be a
// link. Every tensor has at most one quantization.
int32_t LinkChannels(const Subgraph& g, const OperatorInfo& op, int32_t in,
                     const std::vector<int32_t>& known) {
  if (!Elementwise(op.code) || op.outputs.size() != 1 || op.outputs[0] < 0) return -1;
  const TensorInfo& out = Tensor(g, op.outputs[0]);
  if (out.shape != Tensor(g, in).shape || out.quant.per_channel()) return -1;
  int32_t channels = 1;
  bool reads_in = false;
  for (int32_t t : op.inputs) {
    if (t < 0) return -1;
    const TensorInfo& info = Tensor(g, t);
    if (info.quant.per_channel()) return -1;
    if (t == in) {
      reads_in = true;
      continue;
    }
    if (std::find(known.begin(), known.end(), t) != known.end()) {
      if (info.shape != out.shape) return -1;  // elementwise, no broadcast
      continue;
    }
    if (!info.is_constant() || info.shape.size() > out.shape.size()) return -1;
    const int32_t c = ConstantChannels(info.shape);
    if (c < 0 || (c > 1 && channels > 1 && c != channels)) return -1;
    channels = std::max(channels, c);
  }
  return reads_in ? channels : -1;
}

// The operator's one input that is not a constant, or -1.
int32_t VariableInput(const Subgraph& g, const OperatorInfo& op) {
  int32_t found = -1;
  for (int32_t t : op.inputs) {
    if (t < 0 || Tensor(g, t).is_constant()) continue;
    if (found >= 0) return -1;
    found = t;
  }
  return found;
}

// Whether every tensor the links [chain.first, chain.last) write is read only by the links
// after it (the fold never writes them), not by other operators nor as a graph output.
bool IntermediatesStayInside(const Subgraph& g, const ByteChain& chain,
                             const std::vector<int>& readers) {
  for (size_t k = chain.first; k < chain.last; ++k) {
    const int32_t t = g.operators[k].outputs[0];
    int inside = 0;
    for (size_t j = k + 1; j <= chain.last; ++j) {
      for (int32_t r : g.operators[j].inputs) inside += r == t ? 1 : 0;
    }
    if (inside != readers[static_cast<size_t>(t)]) return false;
  }
  return true;
}

// The longest chain that starts at operator `start`, or nullopt. Each link reads the one before
// it; it may also read the chain's input or an earlier link's output (a diamond: every value is
// still a function of one input byte and its channel).
std::optional<ByteChain> ChainFrom(const Subgraph& g, size_t start, const std::vector<bool>& usable,
                                   const std::vector<int>& readers) {
  if (!usable[start]) return std::nullopt;
  const int32_t in = VariableInput(g, g.operators[start]);
  if (in < 0 || !IsByte(Tensor(g, in).type) || Tensor(g, in).shape.empty()) return std::nullopt;
  ByteChain chain{start, start, 1, in, -1};
  std::optional<ByteChain> best;
  int32_t link_in = in;
  std::vector<int32_t> known{in};
  for (size_t i = start; i < g.operators.size() && usable[i]; ++i) {
    const OperatorInfo& op = g.operators[i];
    const int32_t c = LinkChannels(g, op, link_in, known);
    if (c < 0 || (c > 1 && chain.channels > 1 && c != chain.channels)) break;
    chain.channels = std::max(chain.channels, c);
    chain.last = i;
    const int32_t out = op.outputs[0];
    chain.output = out;
    // A table no larger than the tensor it reads (256 entries per channel) pays for itself.
    const bool pays = 256 * int64_t{chain.channels} <= Tensor(g, in).num_elements();
    if (i > start && IsByte(Tensor(g, out).type) && pays &&
        IntermediatesStayInside(g, chain, readers)) {
      best = chain;
    }
    // A graph output can only end a chain.
    if (std::find(g.outputs.begin(), g.outputs.end(), out) != g.outputs.end()) break;
    link_in = out;
    known.push_back(out);
  }
  return best;
}

}  // namespace

std::vector<ByteChain> FindByteChains(const Subgraph& g, const std::vector<bool>& usable) {
  const std::vector<int> readers = Readers(g);
  std::vector<ByteChain> chains;
  for (size_t i = 0; i < g.operators.size(); ++i) {
    if (std::optional<ByteChain> chain = ChainFrom(g, i, usable, readers)) {
      chains.push_back(*chain);
      i = chain->last;
    }
  }
  return chains;
}

Result<ByteTable> ByteTable::Create(const Subgraph& g, const ByteChain& chain) {
  ByteTable table;
  table.channels_ = chain.channels;
  const auto c = static_cast<int32_t>(chain.channels);
  // Every byte value in every channel: a [1, .., 1, 256, channels] tensor of the input's rank
  // (at least 2), so the constants broadcast over it as over the real one.
  int32_t link_in = chain.input;
  const size_t rank = std::max<size_t>(2, Tensor(g, link_in).shape.size());
  Shape shape(rank, 1);
  shape[rank - 2] = 256;
  shape[rank - 1] = c;
  std::vector<uint8_t> current(256 * static_cast<size_t>(c));
  for (size_t v = 0; v < 256; ++v) {
    std::fill_n(current.begin() + static_cast<std::ptrdiff_t>(v) * c, c, static_cast<uint8_t>(v));
  }
  // The values of the chain's tensors so far (its input, then each link's output), by tensor.
  std::map<int32_t, std::vector<uint8_t>> values;
  values[chain.input] = std::move(current);
  int32_t last = chain.input;
  for (size_t i = chain.first; i <= chain.last; ++i) {
    const OperatorInfo& op = g.operators[i];
    std::vector<TensorView> inputs;
    for (int32_t t : op.inputs) {
      const TensorInfo& info = Tensor(g, t);
      TensorView v{info.type, info.shape, &info.quant, const_cast<uint8_t*>(info.data.data())};
      if (auto it = values.find(t); it != values.end()) {
        v = {info.type, shape, &info.quant, it->second.data()};
      }
      inputs.push_back(v);
    }
    const TensorInfo& out_info = Tensor(g, op.outputs[0]);
    std::vector<uint8_t> next(256 * static_cast<size_t>(c) * ElementSize(out_info.type));
    const TensorView out{out_info.type, shape, &out_info.quant, next.data()};
    Status s = FindOpKernel(op)->run(op, inputs, std::span<const TensorView>(&out, 1));
    if (!s.ok()) {
      return MakeError("operator " + std::to_string(op.index) + " (" + op.name() + ")",
                       "folding it into a byte table: " + s.error().message);
    }
    last = op.outputs[0];
    values[last] = std::move(next);
  }
  current = std::move(values[last]);
  if (c == 1) table.lookup_ = native::FastByteLookup();
  // current is [value][channel]; the table is [channel][value].
  table.table_.resize(current.size());
  for (int32_t ch = 0; ch < c; ++ch) {
    for (int32_t v = 0; v < 256; ++v) table.table_[ch * 256 + v] = current[v * c + ch];
  }
  return table;
}

namespace {

// out = table lookups over `pixels` groups of C elements, channel c of each from table + 256 c.
template <int C>
void LookUp(const uint8_t* table, const uint8_t* in, uint8_t* out, int64_t pixels) {
  for (int64_t p = 0; p < pixels; ++p, in += C, out += C) {
    for (int c = 0; c < C; ++c) out[c] = table[c * 256 + in[c]];
  }
}

}  // namespace

int64_t ByteTable::PixelsPerPart() const {
  return (lookup_ ? int64_t{1} << 20 : int64_t{1} << 14) / channels_ + 1;
}

void ByteTable::Apply(const uint8_t* in, uint8_t* out, int64_t pixels) const {
  const uint8_t* t = table_.data();
  switch (channels_) {
    case 1:
      if (lookup_) return lookup_(t, in, out, pixels);
      return LookUp<1>(t, in, out, pixels);
    case 2:
      return LookUp<2>(t, in, out, pixels);
    case 3:
      return LookUp<3>(t, in, out, pixels);
    case 4:
      return LookUp<4>(t, in, out, pixels);
    default:
      break;
  }
  const int64_t c = channels_;
  for (int64_t p = 0; p < pixels; ++p, in += c, out += c) {
    for (int64_t ch = 0; ch < c; ++ch) out[ch] = t[ch * 256 + in[ch]];
  }
}

}  // namespace coralpi
