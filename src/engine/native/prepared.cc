// Operand rewriting, channel constants and thread-pool tiles for the own kernels.
#include "engine/native/prepared.h"

#include <algorithm>
#include <atomic>

#include "engine/native/native_node.h"
#include "engine/reference/kernel_util.h"

namespace coralpi::native {
namespace {

std::atomic<bool> split_every_node{false};

bool Is8Bit(DataType t) { return t == DataType::kUInt8 || t == DataType::kInt8; }

// Wrapping int32 arithmetic, as the reference's accumulator.
int32_t WrapMul(int64_t a, int64_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
}
int32_t WrapAdd(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

}  // namespace

bool WeightsUsable(const TensorInfo& input, const TensorInfo& filter) {
  if (!Is8Bit(input.type) || filter.type != input.type) return false;
  const auto& zp = filter.quant.zero_point;
  return !zp.empty() && std::all_of(zp.begin(), zp.end(), [&](int64_t z) { return z == zp[0]; });
}

Offsets OffsetsFor(const TensorView& input, const TensorView& filter) {
  Offsets o;
  o.input_signed = input.type == DataType::kInt8;
  const int32_t x_zp = input.zero_point();
  o.p = (o.input_signed ? 128 : 0) + x_zp;
  o.w_off = filter.type == DataType::kUInt8 ? 128 : 0;
  o.q = o.w_off - filter.zero_point();
  o.pad_byte = static_cast<uint8_t>(x_zp);
  return o;
}

ChannelConstants MakeChannelConstants(const TensorView& input, const TensorView& filter,
                                      const TensorView* bias, const TensorView& output,
                                      Activation act, const Offsets& off, int32_t taps,
                                      const std::vector<int32_t>& weight_sums,
                                      const std::vector<int32_t>& order) {
  const auto channels = static_cast<int32_t>(weight_sums.size());
  // The reference kernels' own per-channel scales and bounds, so the two cannot drift apart.
  const reference::internal::ChannelRequant rq =
      reference::internal::MakeChannelRequant(input, filter, output, channels, act);
  ChannelConstants k;
  k.bias.assign(order.size(), 0);
  k.scale.assign(order.size(), 0.0f);
  const int32_t constant = WrapMul(-static_cast<int64_t>(taps) * off.p, off.q);
  for (size_t i = 0; i < order.size(); ++i) {
    const int32_t c = order[i];
    if (c < 0) continue;
    const int32_t b = bias ? bias->as<const int32_t>()[c] : 0;
    k.bias[i] = WrapAdd(WrapAdd(b, WrapMul(-off.p, weight_sums[static_cast<size_t>(c)])), constant);
    k.scale[i] = rq.scale[static_cast<size_t>(c)];
  }
  k.ep.bias = k.bias.data();
  k.ep.scale = k.scale.data();
  k.ep.lo = static_cast<float>(rq.range.lo - rq.output_zero_point);
  k.ep.hi = static_cast<float>(rq.range.hi - rq.output_zero_point);
  k.ep.zero_point = rq.output_zero_point;
  k.ep.output_signed = output.type == DataType::kInt8;
  return k;
}

WorkPool* PoolWorthUsing(WorkPool* pool, double estimated_ns) {
  return estimated_ns < 8000 && !split_every_node.load(std::memory_order_relaxed) ? nullptr : pool;
}

WorkPool* PoolWorthUsingToMove(WorkPool* pool, int64_t bytes) {
  return bytes < (int64_t{1} << 20) && !split_every_node.load(std::memory_order_relaxed) ? nullptr
                                                                                         : pool;
}

void SplitEveryNode(bool on) { split_every_node.store(on); }

}  // namespace coralpi::native
