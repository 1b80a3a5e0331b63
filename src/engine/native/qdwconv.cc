// DEPTHWISE_CONV_2D with depth multiplier 1 (uint8, or int8 with per-channel int8 weights) on
// the own kernels. Each output pixel finds its taps in the engine's input memory from an
// origin and fixed tap offsets, or, near the edges, from its own row of tap pointers (taps in
// the padding point at a row of the input zero point); four taps of 64 channels are
// interleaved into one VPDPBUSD per 16 channels (kernels.h).
#include <algorithm>

#include "engine/native/native_ops.h"
#include "engine/native/prepared.h"
#include "engine/reference/reference.h"

namespace coralpi::native {
namespace {

struct DwGeometry {
  int32_t batch, in_h, in_w, channels, out_h, out_w, kh, kw;
  int32_t stride_h, stride_w, dilation_h, dilation_w, pad_top, pad_left;
  Activation activation;

  int32_t taps() const { return kh * kw; }
  int64_t pixels() const { return static_cast<int64_t>(batch) * out_h * out_w; }
};

DwGeometry DwGeometryOf(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& in = g.tensors[static_cast<size_t>(op.inputs[0])];
  const TensorInfo& w = g.tensors[static_cast<size_t>(op.inputs[1])];
  const auto& o = std::get<DepthwiseConv2DOptions>(op.options);
  DwGeometry d{};
  d.batch = in.shape[0];
  d.in_h = in.shape[1];
  d.in_w = in.shape[2];
  d.channels = in.shape[3];
  d.kh = w.shape[1];
  d.kw = w.shape[2];
  d.stride_h = o.stride_h;
  d.stride_w = o.stride_w;
  d.dilation_h = o.dilation_h;
  d.dilation_w = o.dilation_w;
  const auto h = reference::ComputePadding(o.padding, d.in_h, d.kh, d.stride_h, d.dilation_h);
  const auto wd = reference::ComputePadding(o.padding, d.in_w, d.kw, d.stride_w, d.dilation_w);
  d.out_h = h.out;
  d.out_w = wd.out;
  d.pad_top = h.pad_before;
  d.pad_left = wd.pad_before;
  d.activation = o.activation;
  return d;
}

class DepthwiseNode : public NativeNode {
 public:
  DepthwiseNode(const DwGeometry& geometry, const TensorView& input, const TensorView& output,
                const Offsets& offsets)
      : g_(geometry), input_(input), output_(output), off_(offsets) {}

  void Prepare(const TensorView& filter, const TensorView* bias) {
    const int32_t c = g_.channels, taps = g_.taps();
    // At most 32 channels: pixels share a vector, in slots of 8, 16 or 32 bytes, instead of
    // leaving most of it empty.
    slot_ = c <= 8 ? 8 : c <= 16 ? 16 : c <= 32 ? 32 : 0;
    const int32_t blocks = slot_ ? 1 : (c + 63) / 64, groups = (taps + 3) / 4;
    const auto* w = static_cast<const uint8_t*>(filter.data);
    auto weight = [&](int32_t t, int32_t ch) {
      const uint8_t byte = w[static_cast<int64_t>(t) * c + ch];
      const int32_t raw = filter.type == DataType::kUInt8 ? byte : static_cast<int8_t>(byte);
      return raw - off_.w_off;
    };
    std::vector<int32_t> sums(static_cast<size_t>(c), 0);
    for (int32_t ch = 0; ch < c; ++ch) {
      for (int32_t t = 0; t < taps; ++t) sums[static_cast<size_t>(ch)] += weight(t, ch);
    }
    weights_.assign(static_cast<size_t>(blocks) * groups * 256, 0);
    std::vector<int32_t> order(static_cast<size_t>(blocks) * 64, -1);
    for (int32_t b = 0; b < blocks; ++b) {
      for (int32_t j = 0; j < 4; ++j) {
        for (int32_t lane = 0; lane < 16; ++lane) {
          // Quad j, lane 4L + i holds byte 16L + 4j + i of the block (kernels.h).
          const int32_t pos = b * 64 + (lane / 4) * 16 + j * 4 + lane % 4;
          const int32_t ch = slot_ ? (pos % slot_ < c ? pos % slot_ : c) : pos;
          if (ch >= c) continue;
          order[static_cast<size_t>((b * 4 + j) * 16 + lane)] = ch;
          for (int32_t t = 0; t < taps; ++t) {
            const int32_t g = t / 4, s = t % 4;
            weights_[static_cast<size_t>(((b * groups + g) * 4 + j) * 64 + lane * 4 + s)] =
                static_cast<int8_t>(weight(t, ch));
          }
        }
      }
    }
    constants_ =
        MakeChannelConstants(input_, filter, bias, output_, g_.activation, off_, taps, sums, order);
    BuildIndirection();
    problem_.channels = c;
    problem_.taps = taps;
    problem_.origin = origin_.data();
    problem_.tap_offset = tap_offset_.data();
    problem_.border_row = border_row_.data();
    problem_.border_taps = border_taps_.data();
    problem_.input_signed = off_.input_signed;
    problem_.w = weights_.data();
    // Q * sum a as VPDPBUSD against bytes of Q (two halves when Q = 128 does not fit int8).
    problem_.q_parts = off_.q == 0 ? 0 : (off_.q >= -128 && off_.q <= 127 ? 1 : 2);
    problem_.q_part = static_cast<int8_t>(problem_.q_parts == 2 ? off_.q / 2 : off_.q);
    problem_.ep = constants_.ep;
    problem_.out = static_cast<uint8_t*>(output_.data);
    problem_.slot = slot_;
    if (slot_ == c && (g_.stride_w == 1 || g_.stride_w == 2)) {
      FindRegularGroups();
      problem_.regular = regular_.data();
      problem_.stride_w = g_.stride_w;
    }
  }

  size_t scratch_bytes() const override { return 0; }

  // About 3 ns per 4 taps of a 64-byte vector and 8 ns for its requantization (the cost model
  // of PoolWorthUsing).
  double EstimatedNs() const {
    const double vectors = slot_ ? static_cast<double>(g_.pixels()) * slot_ / 64
                                   : static_cast<double>(g_.pixels()) * ((g_.channels + 63) / 64);
    return vectors * (3.0 * ((g_.taps() + 3) / 4) + 8);
  }

  Status Run(WorkPool* all_threads, uint8_t*) override {
    WorkPool* pool = PoolWorthUsing(all_threads, EstimatedNs());
    const DwProblem& p = problem_;
    const int64_t group = slot_ ? 64 / slot_ : 1;
    const int64_t tile = (std::max<int64_t>(g_.out_w, 8) + group - 1) / group * group;
    ParallelFor(pool, g_.pixels(), tile,
                [&p](int64_t p0, int64_t p1) { DepthwiseAvx512Vnni(p, p0, p1); });
    return OkStatus();
  }

 private:
  // Where each pixel's taps are (kernels.h): an origin and the taps' fixed offsets for the
  // pixels whose taps all lie inside the input, a row of tap pointers for the others. (A
  // pointer per pixel and tap took 72 bytes per pixel of a 3x3 filter: 2 MiB for MoveNet.)
  void BuildIndirection() {
    pad_row_.assign(static_cast<size_t>(g_.channels) + 64, off_.pad_byte);
    const int32_t taps = g_.taps();
    tap_offset_.resize(static_cast<size_t>(taps));
    for (int32_t t = 0; t < taps; ++t) {
      const int64_t dy = static_cast<int64_t>(t / g_.kw) * g_.dilation_h;
      const int64_t dx = static_cast<int64_t>(t % g_.kw) * g_.dilation_w;
      tap_offset_[static_cast<size_t>(t)] = (dy * g_.in_w + dx) * g_.channels;
    }
    origin_.assign(static_cast<size_t>(g_.pixels()), nullptr);
    border_row_.assign(static_cast<size_t>(g_.pixels()), -1);
    border_taps_.clear();
    for (int64_t p = 0; p < g_.pixels(); ++p) {
      bool inside = true;
      for (int32_t t = 0; t < taps && inside; ++t) inside = TapAddress(p, t) != pad_row_.data();
      if (inside) {
        origin_[static_cast<size_t>(p)] = TapAddress(p, 0);
        continue;
      }
      border_row_[static_cast<size_t>(p)] = static_cast<int32_t>(border_taps_.size() / taps);
      for (int32_t t = 0; t < taps; ++t) border_taps_.push_back(TapAddress(p, t));
    }
    border_taps_.shrink_to_fit();
  }

  // Tap t of output pixel p: its first channel in the input, or the row of the zero point.
  const uint8_t* TapAddress(int64_t p, int32_t t) const {
    const int64_t n = p / (static_cast<int64_t>(g_.out_h) * g_.out_w);
    const auto oy = static_cast<int32_t>(p / g_.out_w % g_.out_h);
    const auto ox = static_cast<int32_t>(p % g_.out_w);
    const int32_t iy = oy * g_.stride_h - g_.pad_top + (t / g_.kw) * g_.dilation_h;
    const int32_t ix = ox * g_.stride_w - g_.pad_left + (t % g_.kw) * g_.dilation_w;
    if (iy < 0 || iy >= g_.in_h || ix < 0 || ix >= g_.in_w) return pad_row_.data();
    return static_cast<const uint8_t*>(input_.data) +
           ((n * g_.in_h + iy) * g_.in_w + ix) * g_.channels;
  }

  // Packed with slot == channels: which groups of 64 / channels pixels read every tap at a
  // fixed stride (kernels.h).
  void FindRegularGroups() {
    const int32_t taps = g_.taps(), group = 64 / g_.channels;
    const int64_t step = static_cast<int64_t>(g_.stride_w) * g_.channels;
    regular_.assign(static_cast<size_t>((g_.pixels() + group - 1) / group), 0);
    for (size_t gi = 0; gi < regular_.size(); ++gi) {
      const int64_t p0 = static_cast<int64_t>(gi) * group;
      if (p0 + group > g_.pixels()) break;
      bool regular = true;
      for (int32_t s = 1; s < group && regular; ++s) {
        for (int32_t t = 0; t < taps && regular; ++t) {
          const auto at = [&](int64_t pixel) {
            return reinterpret_cast<uintptr_t>(TapAddress(pixel, t));
          };
          regular = at(p0 + s) == at(p0) + static_cast<uintptr_t>(s * step);
        }
      }
      regular_[gi] = regular ? 1 : 0;
    }
  }

  DwGeometry g_;
  int32_t slot_ = 0;  // packed pixels (kernels.h), or 0
  std::vector<uint8_t> regular_;
  TensorView input_, output_;
  Offsets off_;
  AlignedVector<int8_t> weights_;
  AlignedVector<uint8_t> pad_row_;
  std::vector<const uint8_t*> origin_;
  std::vector<int64_t> tap_offset_;
  std::vector<int32_t> border_row_;
  std::vector<const uint8_t*> border_taps_;
  ChannelConstants constants_;
  DwProblem problem_;
};

}  // namespace

bool DepthwiseSupports(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& in = g.tensors[static_cast<size_t>(op.inputs[0])];
  const TensorInfo& w = g.tensors[static_cast<size_t>(op.inputs[1])];
  if (!WeightsUsable(in, w) || w.shape[3] != in.shape[3]) return false;  // multiplier 1 only
  const DwGeometry d = DwGeometryOf(op, g);
  return d.pixels() * d.taps() < (int64_t{1} << 31) && d.channels > 0;
}

Result<std::unique_ptr<NativeNode>> CreateDepthwiseNode(const OperatorInfo& op, const Subgraph& g,
                                                        std::span<const TensorView> inputs,
                                                        std::span<const TensorView> outputs) {
  const TensorView* bias = inputs.size() > 2 && inputs[2].data ? &inputs[2] : nullptr;
  auto node = std::make_unique<DepthwiseNode>(DwGeometryOf(op, g), inputs[0], outputs[0],
                                              OffsetsFor(inputs[0], inputs[1]));
  node->Prepare(inputs[1], bias);
  return std::unique_ptr<NativeNode>(std::move(node));
}

}  // namespace coralpi::native
