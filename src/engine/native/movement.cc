// PAD (constant) and TRANSPOSE of 8-bit tensors as own nodes, where XNNPACK's pad and the
// reference kernel's element-by-element strided walk were slow: yolov8n pads its 320x320x3
// input by one pixel (1.1 ms on XNNPACK's 2022 pad, which copies 3-byte rows) and its box head
// transposes [1, 40, 40, 144] and [1, 4, 16, 2100] (1.6 ms on the reference kernel). Bytes
// move unchanged, so the outputs are the reference kernels' by construction; the tests compare
// them anyway (native_movement_test.cc). CONCATENATION and STRIDED_SLICE / SLICE (yolov8n:
// 18 and 20 of them, channel joins and splits of 16-byte pieces) likewise.
//
// PAD: the output is filled with the pad byte (the output's zero point, as the reference
// kernel's PadValue), then the input's rows (everything from the innermost padded axis in) are
// copied in. TRANSPOSE: axes of size 1 dropped and axes that stay neighbours merged, the
// permutations left that are (batches of) one 2-D transpose run blocked; others stay on the
// reference kernel. CONCATENATION: per input, a block of bytes per outer index, copied, or
// looked up in a table of the requantization (made by running the reference kernel over the
// 256 byte values). STRIDED_SLICE and SLICE: the reference kernel run once at load time over a
// tensor of int32 element numbers says where each output byte comes from; the node copies
// those runs.
#include <algorithm>
#include <cstring>
#include <optional>
#include <utility>
#include <vector>

#include "engine/native/byte_lookup.h"
#include "engine/native/native_ops.h"
#include "engine/native/prepared.h"
#include "engine/op_kernel.h"
#include "engine/reference/movement_util.h"
#include "engine/reference/reference.h"

namespace coralpi::native {
namespace {

const TensorInfo& Tensor(const Subgraph& g, int32_t t) { return g.tensors[static_cast<size_t>(t)]; }

bool Is8Bit(const TensorInfo& t) { return t.type == DataType::kUInt8 || t.type == DataType::kInt8; }

// The values of a constant int32/int64 tensor, or empty.
std::vector<int64_t> ConstantIndices(const TensorInfo& t) {
  if (!t.is_constant()) return {};
  const TensorView v{t.type, t.shape, &t.quant, const_cast<uint8_t*>(t.data.data())};
  Result<std::vector<int64_t>> r = reference::internal::ReadIndices("native", "indices", v);
  return r.ok() ? *r : std::vector<int64_t>{};
}

// ---- PAD ----

// The copy of a padded tensor: `rows` runs of `row` bytes; run r (an index over the axes outside
// the innermost padded one) goes from in + r * row to out + the offset of its first element.
struct PadPlan {
  int64_t rows = 0, row = 0;
  std::vector<int32_t> outer;     // sizes of the axes outside the row
  std::vector<int64_t> out_step;  // bytes between neighbours along them in the output
  int64_t out_base = 0;           // the output offset of the input's first element
  int64_t out_bytes = 0;
  uint8_t value = 0;
};

class PadNode : public NativeNode {
 public:
  PadNode(const PadPlan& plan, const TensorView& in, const TensorView& out)
      : p_(plan),
        in_(static_cast<const uint8_t*>(in.data)),
        out_(static_cast<uint8_t*>(out.data)) {}

  Status Run(WorkPool* all, uint8_t*) override {
    WorkPool* pool = PoolWorthUsingToMove(all, p_.out_bytes);
    ParallelFor(pool, p_.out_bytes, 1 << 16, [&](int64_t b, int64_t e) {
      std::memset(out_ + b, p_.value, static_cast<size_t>(e - b));
    });
    ParallelFor(pool, p_.rows, 16, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r) std::memcpy(out_ + OutOffset(r), in_ + r * p_.row, p_.row);
    });
    return OkStatus();
  }
  size_t scratch_bytes() const override { return 0; }

 private:
  int64_t OutOffset(int64_t r) const {
    int64_t offset = p_.out_base;
    for (size_t d = p_.outer.size(); d-- > 0;) {
      offset += (r % p_.outer[d]) * p_.out_step[d];
      r /= p_.outer[d];
    }
    return offset;
  }

  PadPlan p_;
  const uint8_t* in_;
  uint8_t* out_;
};

// The plan, or nullopt when the node is not an 8-bit constant pad of known paddings.
std::optional<PadPlan> PlanPad(const OperatorInfo& op, const Subgraph& g) {
  if (op.code != static_cast<int32_t>(OpCode::kPad) || op.inputs.size() != 2) return std::nullopt;
  const TensorInfo& in = Tensor(g, op.inputs[0]);
  const TensorInfo& out = Tensor(g, op.outputs[0]);
  if (!Is8Bit(in) || out.type != in.type || in.shape.empty()) return std::nullopt;
  if (in.quant.per_channel() || in.quant.zero_point.size() != 1 ||
      out.quant.zero_point.size() != 1 || out.quant.zero_point != in.quant.zero_point ||
      out.quant.scale != in.quant.scale) {
    return std::nullopt;
  }
  const std::vector<int64_t> pads = ConstantIndices(Tensor(g, op.inputs[1]));
  const size_t rank = in.shape.size();
  if (pads.size() != 2 * rank || out.shape.size() != rank) return std::nullopt;
  for (size_t d = 0; d < rank; ++d) {
    if (pads[2 * d] < 0 || pads[2 * d + 1] < 0 ||
        out.shape[d] != in.shape[d] + pads[2 * d] + pads[2 * d + 1]) {
      return std::nullopt;
    }
  }
  PadPlan p;
  // The innermost padded axis k: rows are in.shape[k] * (the axes inside it) bytes.
  size_t k = 0;
  for (size_t d = 0; d < rank; ++d) {
    if (pads[2 * d] != 0 || pads[2 * d + 1] != 0) k = d;
  }
  std::vector<int64_t> out_stride(rank, 1);
  for (size_t d = rank - 1; d-- > 0;) out_stride[d] = out_stride[d + 1] * out.shape[d + 1];
  p.row = in.shape[k] * out_stride[k];
  p.rows = 1;
  for (size_t d = 0; d < k; ++d) {
    p.outer.push_back(in.shape[d]);
    p.out_step.push_back(out_stride[d]);
    p.rows *= in.shape[d];
  }
  for (size_t d = 0; d < rank; ++d) p.out_base += pads[2 * d] * out_stride[d];
  p.out_bytes = out.num_elements();
  const int32_t zp = static_cast<int32_t>(out.quant.zero_point[0]);
  p.value = static_cast<uint8_t>(zp);  // int8 stored as its two's complement byte
  if (in.num_elements() == 0) p.rows = 0;
  return p;
}

// ---- TRANSPOSE ----

// A transpose as `batches` independent [rows, cols] -> [cols, rows] transposes of bytes.
struct TransposePlan {
  int64_t batches = 1, rows = 1, cols = 1;
};

// Axes of size 1 dropped, then output neighbours that are input neighbours in order merged.
std::optional<TransposePlan> PlanTranspose(const OperatorInfo& op, const Subgraph& g) {
  if (op.code != static_cast<int32_t>(OpCode::kTranspose) || op.inputs.size() != 2) {
    return std::nullopt;
  }
  const TensorInfo& in = Tensor(g, op.inputs[0]);
  const TensorInfo& out = Tensor(g, op.outputs[0]);
  if (!Is8Bit(in) || out.type != in.type || in.quant.scale != out.quant.scale ||
      in.quant.zero_point != out.quant.zero_point) {
    return std::nullopt;
  }
  const std::vector<int64_t> perm = ConstantIndices(Tensor(g, op.inputs[1]));
  const size_t rank = in.shape.size();
  if (perm.size() != rank || rank == 0) return std::nullopt;
  std::vector<bool> seen(rank, false);
  for (int64_t a : perm) {
    if (a < 0 || a >= static_cast<int64_t>(rank) || seen[static_cast<size_t>(a)]) {
      return std::nullopt;
    }
    seen[static_cast<size_t>(a)] = true;
  }
  for (size_t i = 0; i < rank; ++i) {
    if (out.shape[i] != in.shape[static_cast<size_t>(perm[i])]) return std::nullopt;
  }
  // The input axes of size > 1 in output order; output neighbours that are input neighbours
  // (among these axes) merge.
  std::vector<int64_t> kept;
  for (int64_t a : perm) {
    if (in.shape[static_cast<size_t>(a)] != 1) kept.push_back(a);
  }
  std::vector<int64_t> in_order = kept;  // the same axes in input order
  std::sort(in_order.begin(), in_order.end());
  auto next_in = [&](int64_t a) {
    auto it = std::find(in_order.begin(), in_order.end(), a);
    return it + 1 == in_order.end() ? int64_t{-1} : *(it + 1);
  };
  // Merged output axes: each is a run of input axes (by its first input axis) and a size.
  std::vector<std::pair<int64_t, int64_t>> merged;
  int64_t prev = -2;
  for (int64_t a : kept) {
    const int64_t size = in.shape[static_cast<size_t>(a)];
    if (!merged.empty() && next_in(prev) == a) {
      merged.back().second *= size;
    } else {
      merged.push_back({a, size});
    }
    prev = a;
  }
  // The merged axes' order in the input.
  std::vector<int64_t> firsts;
  for (const auto& m : merged) firsts.push_back(m.first);
  std::vector<int64_t> sorted = firsts;
  std::sort(sorted.begin(), sorted.end());
  TransposePlan p;
  if (merged.size() <= 1) {
    p.cols = merged.empty() ? 1 : merged[0].second;  // a copy: one row
    return p;
  }
  if (merged.size() == 2 && firsts[0] == sorted[1]) {  // [R, C] -> [C, R]
    p.rows = merged[1].second;
    p.cols = merged[0].second;
    return p;
  }
  if (merged.size() == 3 && firsts[0] == sorted[0] &&
      firsts[1] == sorted[2]) {  // [B, R, C] -> [B, C, R]
    p.batches = merged[0].second;
    p.rows = merged[2].second;
    p.cols = merged[1].second;
    return p;
  }
  return std::nullopt;
}

// out[c * rows + r] = in[r * cols + c] for rows [r0, r1) of one batch, in 32 x 32 blocks.
void TransposeBlock(const uint8_t* in, uint8_t* out, int64_t rows, int64_t cols, int64_t r0,
                    int64_t r1) {
  constexpr int64_t kBlock = 32;
  for (int64_t rb = r0; rb < r1; rb += kBlock) {
    const int64_t re = std::min(r1, rb + kBlock);
    for (int64_t cb = 0; cb < cols; cb += kBlock) {
      const int64_t ce = std::min(cols, cb + kBlock);
      for (int64_t c = cb; c < ce; ++c) {
        uint8_t* o = out + c * rows;
        for (int64_t r = rb; r < re; ++r) o[r] = in[r * cols + c];
      }
    }
  }
}

class TransposeNode : public NativeNode {
 public:
  TransposeNode(const TransposePlan& plan, const TensorView& in, const TensorView& out)
      : p_(plan),
        in_(static_cast<const uint8_t*>(in.data)),
        out_(static_cast<uint8_t*>(out.data)) {}

  Status Run(WorkPool* all, uint8_t*) override {
    const int64_t plane = p_.rows * p_.cols;
    if (p_.rows == 1 || p_.cols == 1) {  // nothing moves: a copy
      std::memcpy(out_, in_, static_cast<size_t>(p_.batches * plane));
      return OkStatus();
    }
    // Tiles of 32 input rows of one batch.
    WorkPool* pool = PoolWorthUsingToMove(all, p_.batches * plane);
    const int64_t tiles_per_batch = (p_.rows + 31) / 32;
    ParallelFor(pool, p_.batches * tiles_per_batch, 1, [&](int64_t t0, int64_t t1) {
      for (int64_t t = t0; t < t1; ++t) {
        const int64_t b = t / tiles_per_batch, r0 = t % tiles_per_batch * 32;
        TransposeBlock(in_ + b * plane, out_ + b * plane, p_.rows, p_.cols, r0,
                       std::min(p_.rows, r0 + 32));
      }
    });
    return OkStatus();
  }
  size_t scratch_bytes() const override { return 0; }

 private:
  TransposePlan p_;
  const uint8_t* in_;
  uint8_t* out_;
};

// ---- Copies of short runs ----

// memcpy for runs of a few bytes (channel pieces of 8 to 64): overlapping fixed-size moves
// instead of a library call.
inline void CopyBytes(uint8_t* dst, const uint8_t* src, int64_t n) {
  struct B16 {
    uint64_t lo, hi;
  };
  auto move = [&](auto word, int64_t at) {
    std::memcpy(&word, src + at, sizeof(word));
    std::memcpy(dst + at, &word, sizeof(word));
  };
  if (n >= 16 && n <= 32) {
    move(B16{}, 0);
    move(B16{}, n - 16);
  } else if (n >= 8 && n < 16) {
    move(uint64_t{}, 0);
    move(uint64_t{}, n - 8);
  } else if (n > 32 && n <= 64) {
    move(B16{}, 0);
    move(B16{}, 16);
    move(B16{}, n - 32);
    move(B16{}, n - 16);
  } else {
    std::memcpy(dst, src, static_cast<size_t>(n));
  }
}

// ---- CONCATENATION ----

struct ConcatInput {
  const uint8_t* data = nullptr;
  int64_t block = 0;           // bytes per outer index
  int64_t offset = 0;          // where its block starts in the output's
  std::vector<uint8_t> table;  // 256 bytes when requantized, else empty
};

class ConcatNode : public NativeNode {
 public:
  ConcatNode(std::vector<ConcatInput> inputs, int64_t outer, int64_t out_block, uint8_t* out)
      : in_(std::move(inputs)),
        outer_(outer),
        out_block_(out_block),
        out_(out),
        lookup_(FastByteLookup()) {}

  Status Run(WorkPool* all, uint8_t*) override {
    ParallelFor(PoolWorthUsingToMove(all, outer_ * out_block_), outer_,
                std::max<int64_t>(1, 4096 / std::max<int64_t>(out_block_, 1)),
                [this](int64_t k0, int64_t k1) { Rows(k0, k1); });
    return OkStatus();
  }
  size_t scratch_bytes() const override { return 0; }

 private:
  void Rows(int64_t k0, int64_t k1) const {
    for (const ConcatInput& in : in_) {
      const uint8_t* src = in.data + k0 * in.block;
      uint8_t* dst = out_ + k0 * out_block_ + in.offset;
      if (in.table.empty()) {
        for (int64_t k = k0; k < k1; ++k, src += in.block, dst += out_block_) {
          CopyBytes(dst, src, in.block);
        }
      } else {
        for (int64_t k = k0; k < k1; ++k, src += in.block, dst += out_block_) {
          if (lookup_) {
            lookup_(in.table.data(), src, dst, in.block);
          } else {
            for (int64_t j = 0; j < in.block; ++j) dst[j] = in.table[src[j]];
          }
        }
      }
    }
  }

  std::vector<ConcatInput> in_;
  int64_t outer_, out_block_;
  uint8_t* out_;
  ByteLookupFn lookup_;
};

bool SamePerTensorByteKind(const TensorInfo& t, const TensorInfo& like) {
  return t.type == like.type && Is8Bit(t) && !t.quant.per_channel() && t.quant.scale.size() == 1 &&
         t.quant.zero_point.size() == 1;
}

// The reference kernel's requantization of `in` to `out` as a table over the 256 stored bytes
// (CONCATENATION of that one input), or empty when every byte stays as it is.
Result<std::vector<uint8_t>> ConcatTable(const TensorView& in, const TensorView& out) {
  std::vector<uint8_t> bytes(256), table(256);
  for (int b = 0; b < 256; ++b) bytes[static_cast<size_t>(b)] = static_cast<uint8_t>(b);
  const TensorView from{in.type, {256}, in.quant, bytes.data()};
  const TensorView to{out.type, {256}, out.quant, table.data()};
  CORALPI_RETURN_IF_ERROR(
      reference::Concatenation(ConcatenationOptions{}, std::span<const TensorView>(&from, 1), to));
  if (table == bytes) return std::vector<uint8_t>{};
  return table;
}

// ---- STRIDED_SLICE and SLICE: runs found by running the reference kernel on element numbers ----

struct CopyRun {
  int64_t src = 0, dst = 0, len = 0;
};

class RunsNode : public NativeNode {
 public:
  RunsNode(std::vector<CopyRun> runs, int64_t bytes, const TensorView& in, const TensorView& out)
      : runs_(std::move(runs)),
        bytes_(bytes),
        in_(static_cast<const uint8_t*>(in.data)),
        out_(static_cast<uint8_t*>(out.data)) {}

  Status Run(WorkPool* all, uint8_t*) override {
    ParallelFor(PoolWorthUsingToMove(all, bytes_), static_cast<int64_t>(runs_.size()), 64,
                [this](int64_t r0, int64_t r1) {
                  for (int64_t r = r0; r < r1; ++r) {
                    const CopyRun& c = runs_[static_cast<size_t>(r)];
                    CopyBytes(out_ + c.dst, in_ + c.src, c.len);
                  }
                });
    return OkStatus();
  }
  size_t scratch_bytes() const override { return 0; }

 private:
  std::vector<CopyRun> runs_;
  int64_t bytes_;
  const uint8_t* in_;
  uint8_t* out_;
};

// Where each output element of the slice comes from, as runs of consecutive elements: the
// node's own reference kernel run over an int32 tensor of element numbers.
Result<std::vector<CopyRun>> ProbeRuns(const OperatorInfo& op, std::span<const TensorView> inputs,
                                       const TensorView& output) {
  static const Quantization kNone;
  const TensorView& in = inputs[0];
  std::vector<int32_t> numbers(static_cast<size_t>(in.num_elements()));
  for (size_t i = 0; i < numbers.size(); ++i) numbers[i] = static_cast<int32_t>(i);
  std::vector<int32_t> from(static_cast<size_t>(output.num_elements()), -1);
  std::vector<TensorView> probe(inputs.begin(), inputs.end());
  probe[0] = TensorView{DataType::kInt32, in.shape, &kNone, numbers.data()};
  const TensorView out{DataType::kInt32, output.shape, &kNone, from.data()};
  CORALPI_RETURN_IF_ERROR(FindOpKernel(op)->run(op, probe, std::span<const TensorView>(&out, 1)));
  std::vector<CopyRun> runs;
  for (size_t i = 0; i < from.size(); ++i) {
    if (from[i] < 0) return Error{"the reference kernel left an output element unwritten"};
    // Output elements come in order, so a run continues when its source does.
    if (!runs.empty() && runs.back().src + runs.back().len == from[i]) {
      ++runs.back().len;
    } else {
      runs.push_back({from[i], static_cast<int64_t>(i), 1});
    }
  }
  return runs;
}

bool SliceShapeUsable(const OperatorInfo& op, const Subgraph& g) {
  if (op.inputs.empty() || op.outputs.size() != 1) return false;
  const TensorInfo& in = Tensor(g, op.inputs[0]);
  const TensorInfo& out = Tensor(g, op.outputs[0]);
  if (!Is8Bit(in) || out.type != in.type || in.quant.scale != out.quant.scale ||
      in.quant.zero_point != out.quant.zero_point) {
    return false;
  }
  for (size_t i = 1; i < op.inputs.size(); ++i) {
    if (op.inputs[i] < 0 || !Tensor(g, op.inputs[i]).is_constant()) return false;
  }
  // Element numbers in int32.
  return in.num_elements() < (int64_t{1} << 31) && out.num_elements() > 0;
}

}  // namespace

bool ConcatSupports(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& out = Tensor(g, op.outputs[0]);
  if (!Is8Bit(out) || op.inputs.empty()) return false;
  for (int32_t t : op.inputs) {
    if (t < 0 || !SamePerTensorByteKind(Tensor(g, t), out)) return false;
  }
  return out.quant.scale.size() == 1 && out.quant.zero_point.size() == 1;
}

bool SliceSupports(const OperatorInfo& op, const Subgraph& g) { return SliceShapeUsable(op, g); }

bool PadSupports(const OperatorInfo& op, const Subgraph& g) { return PlanPad(op, g).has_value(); }

bool TransposeSupports(const OperatorInfo& op, const Subgraph& g) {
  return PlanTranspose(op, g).has_value();
}

Result<std::unique_ptr<NativeNode>> CreateMovementNode(const OperatorInfo& op, const Subgraph& g,
                                                       std::span<const TensorView> inputs,
                                                       std::span<const TensorView> outputs) {
  if (op.code == static_cast<int32_t>(OpCode::kConcatenation)) {
    const TensorView& out = outputs[0];
    const auto& opt = std::get<ConcatenationOptions>(op.options);
    const int64_t rank = static_cast<int64_t>(out.shape.size());
    const int64_t axis = opt.axis < 0 ? opt.axis + rank : opt.axis;
    if (axis < 0 || axis >= rank) return Error{"CONCATENATION: axis out of range"};
    const auto a = static_cast<size_t>(axis);
    std::vector<ConcatInput> parts;
    int64_t offset = 0;
    for (const TensorView& in : inputs) {
      ConcatInput c;
      c.data = static_cast<const uint8_t*>(in.data);
      c.block = reference::internal::Product(in.shape, a, in.shape.size());
      c.offset = offset;
      offset += c.block;
      CORALPI_ASSIGN_OR_RETURN(c.table, ConcatTable(in, out));
      parts.push_back(std::move(c));
    }
    const int64_t outer = reference::internal::Product(out.shape, 0, a);
    return std::unique_ptr<NativeNode>(std::make_unique<ConcatNode>(
        std::move(parts), outer, offset, static_cast<uint8_t*>(out.data)));
  }
  if (op.code == static_cast<int32_t>(OpCode::kStridedSlice) ||
      op.code == static_cast<int32_t>(OpCode::kSlice)) {
    CORALPI_ASSIGN_OR_RETURN(std::vector<CopyRun> runs, ProbeRuns(op, inputs, outputs[0]));
    return std::unique_ptr<NativeNode>(std::make_unique<RunsNode>(
        std::move(runs), outputs[0].num_elements(), inputs[0], outputs[0]));
  }
  if (op.code == static_cast<int32_t>(OpCode::kPad)) {
    std::optional<PadPlan> p = PlanPad(op, g);
    if (!p) return Error{"PAD: not an 8-bit constant pad"};
    return std::unique_ptr<NativeNode>(std::make_unique<PadNode>(*p, inputs[0], outputs[0]));
  }
  std::optional<TransposePlan> p = PlanTranspose(op, g);
  if (!p) return Error{"TRANSPOSE: not a 2-D transpose of bytes"};
  return std::unique_ptr<NativeNode>(std::make_unique<TransposeNode>(*p, inputs[0], outputs[0]));
}

}  // namespace coralpi::native
