// 8-bit SOFTMAX over the last axis as an own node: the reference kernel's arithmetic with its
// one costly step, an expf per element, replaced by a table. The reference computes, per row,
//     v[i] = (float) (q[i] - zp) * scale,  m = max v,  e[i] = expf(beta * (v[i] - m)),
//     sum = e[0] + e[1] + ... (in order),  out[i] = QuantizeRounded(e[i] / sum)
// and with a positive scale m is the v of the row's largest byte, so e[i] is a function of the
// two bytes q[i] and max q: a 256 x 256 table of floats made at load time with the same
// expression, the sum and the division done as the reference does them. yolov8n's box head
// (SOFTMAX of [1, 4, 2100, 16]) took 1.2 ms on the reference kernel, its 134400 expf calls.
#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/native/native_ops.h"
#include "engine/native/prepared.h"
#include "engine/reference/kernel_util.h"

namespace coralpi::native {
namespace {

const TensorInfo& Tensor(const Subgraph& g, int32_t t) { return g.tensors[static_cast<size_t>(t)]; }

bool Is8BitPerTensor(const TensorInfo& t) {
  return (t.type == DataType::kUInt8 || t.type == DataType::kInt8) && !t.quant.per_channel() &&
         t.quant.scale.size() == 1 && t.quant.zero_point.size() == 1;
}

class SoftmaxNode : public NativeNode {
 public:
  SoftmaxNode(const SoftmaxOptions& opt, const TensorView& in, const TensorView& out)
      : in_(in), out_(out), depth_(in.shape.back()), rows_(in.num_elements() / in.shape.back()) {
    const bool is_signed = in.type == DataType::kInt8;
    const float scale = in.scale();
    const int32_t zp = in.zero_point();
    // exps_[max byte][byte], bytes as stored (int8 as its two's complement byte).
    exps_.resize(256 * 256);
    for (int32_t mb = 0; mb < 256; ++mb) {
      const int32_t mq = is_signed ? static_cast<int8_t>(mb) : mb;
      const float m = static_cast<float>(mq - zp) * scale;
      for (int32_t b = 0; b < 256; ++b) {
        const int32_t q = is_signed ? static_cast<int8_t>(b) : b;
        const float v = static_cast<float>(q - zp) * scale;
        exps_[static_cast<size_t>(mb * 256 + b)] = std::exp(opt.beta * (v - m));
      }
    }
  }

  Status Run(WorkPool* all, uint8_t*) override {
    // About 3 ns an element.
    WorkPool* pool = PoolWorthUsing(all, 3.0 * static_cast<double>(rows_ * depth_));
    if (depth_ <= 16) {  // one vector a row
      SoftmaxRows rows;
      rows.in = static_cast<const uint8_t*>(in_.data);
      rows.out = static_cast<uint8_t*>(out_.data);
      rows.depth = static_cast<int32_t>(depth_);
      rows.is_signed = in_.type == DataType::kInt8;
      rows.exps = exps_.data();
      rows.out_scale = out_.scale();
      rows.zero_point = out_.zero_point();
      const reference::ActivationRange range = reference::internal::TypeRange(out_.type);
      rows.lo = range.lo;
      rows.hi = range.hi;
      ParallelFor(pool, rows_, 64,
                  [&rows](int64_t r0, int64_t r1) { SoftmaxRowsAvx512(rows, r0, r1); });
      return OkStatus();
    }
    ParallelFor(pool, rows_, 64, [this](int64_t r0, int64_t r1) { Rows(r0, r1); });
    return OkStatus();
  }
  size_t scratch_bytes() const override { return 0; }

 private:
  void Rows(int64_t r0, int64_t r1) const {
    const auto* in = static_cast<const uint8_t*>(in_.data);
    const bool is_signed = in_.type == DataType::kInt8;
    const float out_scale = out_.scale();
    const int32_t out_zp = out_.zero_point();
    const reference::ActivationRange range = reference::internal::TypeRange(out_.type);
    auto* out = static_cast<uint8_t*>(out_.data);
    for (int64_t r = r0; r < r1; ++r) {
      const uint8_t* q = in + r * depth_;
      // The largest value's byte: flip int8's sign bit to compare as unsigned.
      const uint8_t flip = is_signed ? 0x80 : 0;
      uint8_t top = 0;
      for (int64_t i = 0; i < depth_; ++i) top = std::max<uint8_t>(top, q[i] ^ flip);
      const float* e = exps_.data() + static_cast<size_t>(top ^ flip) * 256;
      // The lookups and the sum in the reference's order, then a loop of arithmetic alone (it
      // vectorizes: the divisions were most of the time).
      float sum = 0.0f;
      for (int64_t i0 = 0; i0 < depth_; i0 += kChunk) {
        const int64_t n = std::min<int64_t>(kChunk, depth_ - i0);
        float ev[kChunk];
        for (int64_t i = 0; i < n; ++i) {
          ev[i] = e[q[i0 + i]];
          sum += ev[i];
        }
      }
      uint8_t* o = out + r * depth_;
      for (int64_t i0 = 0; i0 < depth_; i0 += kChunk) {
        const int64_t n = std::min<int64_t>(kChunk, depth_ - i0);
        float ev[kChunk];
        for (int64_t i = 0; i < n; ++i) ev[i] = e[q[i0 + i]];
        for (int64_t i = 0; i < n; ++i) {
          const int32_t v =
              reference::internal::QuantizeRounded(ev[i] / sum, out_scale, out_zp, range);
          o[i0 + i] = static_cast<uint8_t>(v);
        }
      }
    }
  }

  static constexpr int64_t kChunk = 64;

  TensorView in_, out_;
  int64_t depth_, rows_;
  std::vector<float> exps_;
};

}  // namespace

bool SoftmaxSupports(const OperatorInfo& op, const Subgraph& g) {
  if (op.code != static_cast<int32_t>(OpCode::kSoftmax) || op.inputs.empty()) return false;
  const auto* opt = std::get_if<SoftmaxOptions>(&op.options);
  const TensorInfo& in = Tensor(g, op.inputs[0]);
  const TensorInfo& out = Tensor(g, op.outputs[0]);
  if (!opt || !std::isfinite(opt->beta) || !Is8BitPerTensor(in) || !Is8BitPerTensor(out)) {
    return false;
  }
  // A positive normal scale: the largest byte holds the largest value.
  const float scale = in.quant.scale[0];
  return std::isnormal(scale) && scale > 0 && std::isnormal(out.quant.scale[0]) &&
         !in.shape.empty() && in.shape == out.shape && in.shape.back() > 0 &&
         in.num_elements() >= 256;  // a smaller tensor does not pay for its table
}

Result<std::unique_ptr<NativeNode>> CreateSoftmaxNode(const OperatorInfo& op, const Subgraph&,
                                                      std::span<const TensorView> inputs,
                                                      std::span<const TensorView> outputs) {
  return std::unique_ptr<NativeNode>(
      std::make_unique<SoftmaxNode>(std::get<SoftmaxOptions>(op.options), inputs[0], outputs[0]));
}

}  // namespace coralpi::native
