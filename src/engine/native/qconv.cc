// CONV_2D and FULLY_CONNECTED (uint8, or int8 with per-channel int8 weights) as one GEMM per
// invoke on the own kernels: C[pixel, out channel] = A[pixel, tap and in channel] x B.
//
// A is the input itself for 1x1 convolutions with stride 1 and for fully connected layers;
// otherwise each invoke gathers the taps of every output pixel into rows in the scratch
// memory (im2col), padding with the input zero point. int8 inputs have their sign bit flipped
// into the scratch (a = x + 128), uint8 weights become b = w - 128, and the per-row term
// Q * sum a comes from row sums (kernels.h).
#include <algorithm>
#include <cstring>
#include <vector>

#include "engine/native/native_ops.h"
#include "engine/native/prepared.h"
#include "engine/reference/reference.h"

namespace coralpi::native {
namespace {

constexpr int64_t kSlack = 64;  // bytes past the last row the GEMM may read

int64_t RoundUp(int64_t v, int64_t to) { return (v + to - 1) / to * to; }

// memcpy for the short pieces of an im2col row (a few pixels of a few channels): overlapping
// fixed-size moves instead of a library call for 4 to 64 bytes (3 x 16 channels is 48).
inline void CopyShort(uint8_t* dst, const uint8_t* src, size_t n) {
  auto move = [&](auto word) {
    constexpr size_t w = sizeof(word);
    decltype(word) head, tail;
    std::memcpy(&head, src, w);
    std::memcpy(&tail, src + n - w, w);
    std::memcpy(dst, &head, w);
    std::memcpy(dst + n - w, &tail, w);
  };
  struct Bytes16 {
    uint64_t lo, hi;
  };
  struct Bytes32 {
    Bytes16 lo, hi;
  };
  if (n > 32 && n <= 64) return move(Bytes32{});
  if (n >= 16 && n <= 32) return move(Bytes16{});
  if (n >= 8 && n <= 16) return move(uint64_t{});
  if (n >= 4 && n <= 8) return move(uint32_t{});
  std::memcpy(dst, src, n);
}

struct ConvGeometry {
  int32_t batch = 1, in_h = 1, in_w = 1, in_c = 0;
  int32_t out_h = 1, out_w = 1, out_c = 0;
  int32_t kh = 1, kw = 1, stride_h = 1, stride_w = 1, dilation_h = 1, dilation_w = 1;
  int32_t pad_top = 0, pad_left = 0;
  Activation activation = Activation::kNone;

  int64_t rows() const { return static_cast<int64_t>(batch) * out_h * out_w; }
  int32_t depth() const { return kh * kw * in_c; }
  // A is the input as it is: every output pixel reads exactly its own input pixel.
  bool direct() const {
    return kh == 1 && kw == 1 && stride_h == 1 && stride_w == 1 && pad_top == 0 && pad_left == 0 &&
           out_h == in_h && out_w == in_w;
  }
};

ConvGeometry ConvGeometryOf(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& in = g.tensors[static_cast<size_t>(op.inputs[0])];
  const TensorInfo& w = g.tensors[static_cast<size_t>(op.inputs[1])];
  const TensorInfo& out = g.tensors[static_cast<size_t>(op.outputs[0])];
  ConvGeometry c;
  if (const auto* o = std::get_if<Conv2DOptions>(&op.options)) {
    c.batch = in.shape[0];
    c.in_h = in.shape[1];
    c.in_w = in.shape[2];
    c.in_c = in.shape[3];
    c.out_c = w.shape[0];
    c.kh = w.shape[1];
    c.kw = w.shape[2];
    c.stride_h = o->stride_h;
    c.stride_w = o->stride_w;
    c.dilation_h = o->dilation_h;
    c.dilation_w = o->dilation_w;
    const auto h = reference::ComputePadding(o->padding, c.in_h, c.kh, c.stride_h, c.dilation_h);
    const auto wd = reference::ComputePadding(o->padding, c.in_w, c.kw, c.stride_w, c.dilation_w);
    c.out_h = h.out;
    c.out_w = wd.out;
    c.pad_top = h.pad_before;
    c.pad_left = wd.pad_before;
    c.activation = o->activation;
  } else {
    const auto& fc = std::get<FullyConnectedOptions>(op.options);
    c.in_c = w.shape[1];
    c.out_c = w.shape[0];
    c.batch = static_cast<int32_t>(in.num_elements() / std::max(c.in_c, 1));
    c.activation = fc.activation;
  }
  (void)out;
  return c;
}

class ConvNode : public NativeNode {
 public:
  ConvNode(const ConvGeometry& geometry, const TensorView& input, const TensorView& output,
           const Offsets& offsets)
      : g_(geometry), input_(input), output_(output), off_(offsets) {}

  void set_input_constant(bool constant) { input_constant_ = constant; }

  void Pack(const TensorView& filter, const TensorView* bias) {
    implicit_ = ImplicitUsable();
    // In place, each filter row's kw * c values are padded to a multiple of 4 with zero weights
    // (the GEMM reads 4 bytes at a time; the bytes past a row meet those zeros).
    seg_ = implicit_ ? static_cast<int32_t>(RoundUp(g_.kw * g_.in_c, 4)) : g_.kw * g_.in_c;
    const int32_t k = g_.depth(), n = g_.out_c;
    const int32_t row = g_.kw * g_.in_c;
    const int64_t k4 = RoundUp(static_cast<int64_t>(g_.kh) * seg_, 4) / 4;
    const int64_t blocks = RoundUp(n, 16) / 16;
    weights_.assign(static_cast<size_t>(blocks * k4 * 64), 0);
    std::vector<int32_t> sums(static_cast<size_t>(n), 0);
    const auto* w = static_cast<const uint8_t*>(filter.data);
    for (int32_t o = 0; o < n; ++o) {
      for (int32_t i = 0; i < k; ++i) {
        const int32_t raw = filter.type == DataType::kUInt8
                                ? w[static_cast<int64_t>(o) * k + i]
                                : static_cast<int8_t>(w[static_cast<int64_t>(o) * k + i]);
        const int32_t b = raw - off_.w_off;
        sums[static_cast<size_t>(o)] += b;
        const int32_t at = i / row * seg_ + i % row;  // i itself unless padded
        weights_[static_cast<size_t>(((o / 16) * k4 + at / 4) * 64 + (o % 16) * 4 + at % 4)] =
            static_cast<int8_t>(b);
      }
    }
    std::vector<int32_t> order(static_cast<size_t>(blocks * 16), -1);
    for (int32_t o = 0; o < n; ++o) order[static_cast<size_t>(o)] = o;
    constants_ =
        MakeChannelConstants(input_, filter, bias, output_, g_.activation, off_, k, sums, order);
    problem_.m = g_.rows();
    problem_.k = static_cast<int32_t>(k4 * 4 == RoundUp(k, 4) ? k : k4 * 4);
    problem_.n = n;
    problem_.w = weights_.data();
    problem_.ep = constants_.ep;
    problem_.c = static_cast<uint8_t*>(output_.data);
    problem_.c_stride = n;
    if (implicit_) PlanImplicit();
  }

  size_t scratch_bytes() const override {
    if (implicit_) {
      return static_cast<size_t>(
          RoundUp(static_cast<int64_t>(border_rows_.size()) * g_.kh * seg_ + kSlack, 64));
    }
    const bool gather = !g_.direct() || off_.input_signed;
    const int64_t a = gather ? RoundUp(g_.rows() * g_.depth() + kSlack, 64) : 0;
    const int64_t rows = off_.q != 0 ? g_.rows() * 4 : 0;
    return static_cast<size_t>(a + rows);
  }

  // About 0.3 ns per VPDPBUSD group of 16 channels and 4 depths, 2 ns per requantized
  // 16 outputs, 1 ns per row for its row sum and im2col copies (the cost model of
  // PoolWorthUsing).
  double EstimatedNs() const {
    const double k4 = (g_.depth() + 3) / 4, blocks = (g_.out_c + 15) / 16;
    const double gather = g_.direct() || implicit_ ? 0 : g_.kh;
    return static_cast<double>(g_.rows()) * (blocks * (0.3 * k4 + 2) + 1 + gather);
  }

  Status Run(WorkPool* all_threads, uint8_t* scratch) override {
    WorkPool* pool = PoolWorthUsing(all_threads, EstimatedNs());
    const int64_t m = g_.rows();
    const int32_t k = g_.depth();
    GemmProblem p = problem_;
    // int8 inputs without a row term: the GEMM flips the sign bits as it reads A.
    const bool flip_in_gemm = off_.input_signed && off_.q == 0;
    p.a_flip = flip_in_gemm ? 0x80808080u : 0;
    if (g_.direct() && (!off_.input_signed || flip_in_gemm)) {
      p.a = static_cast<const uint8_t*>(input_.data);
      p.a_stride = k;
    } else if (implicit_) {
      PrepareImplicit(pool, scratch, p);
    } else {
      Gather(pool, scratch, /*flip=*/off_.input_signed && !flip_in_gemm);
      p.a = scratch;
      p.a_stride = k;
    }
    if (off_.q != 0) {
      const bool gathered = p.a == scratch;
      auto* sums =
          reinterpret_cast<int32_t*>(scratch + (gathered ? RoundUp(m * k + kSlack, 64) : 0));
      ParallelFor(pool, m, 64, [&](int64_t r0, int64_t r1) {
        RowSumsAvx512(p.a + r0 * k, k, k, r1 - r0, off_.q, sums + r0);
      });
      p.row_term = sums;
    }
    RunGemm(pool, p);
    return OkStatus();
  }

 private:
  // A into the scratch: im2col rows, or the input itself; `flip`: int8 gets its sign bit
  // flipped here.
  void Gather(WorkPool* pool, uint8_t* a, bool flip) {
    const int32_t k = g_.depth();
    const auto* in = static_cast<const uint8_t*>(input_.data);
    if (g_.direct()) {  // only to flip (a row term needs A flipped before the row sums)
      const int64_t bytes = g_.rows() * k;
      ParallelFor(pool, bytes, 1 << 16,
                  [&](int64_t b0, int64_t b1) { FlipSignAvx512(in + b0, a + b0, b1 - b0); });
      return;
    }
    const int64_t rows_per_image = static_cast<int64_t>(g_.out_h) * g_.out_w;
    ParallelFor(pool, static_cast<int64_t>(g_.batch) * g_.out_h, 1, [&](int64_t y0, int64_t y1) {
      for (int64_t y = y0; y < y1; ++y) GatherRow(in, a, y);
      const int64_t r0 = y0 * g_.out_w, r1 = y1 * g_.out_w;
      if (flip) FlipSignAvx512(a + r0 * k, a + r0 * k, (r1 - r0) * k);
    });
    (void)rows_per_image;
  }

  // The im2col rows of output row `y` (image y / out_h, output row y % out_h).
  void GatherRow(const uint8_t* in, uint8_t* a, int64_t y) const {
    const int64_t n = y / g_.out_h;
    const auto oy = static_cast<int32_t>(y % g_.out_h);
    for (int32_t ox = 0; ox < g_.out_w; ++ox) {
      GatherPixel(in, a + (y * g_.out_w + ox) * g_.depth(), n, oy, ox, g_.kw * g_.in_c);
    }
  }

  // The im2col row of output pixel (oy, ox) of image n into `row`, filter row ky at
  // row + ky * seg (seg >= kw * c; the bytes between meet zero weights and stay as they are).
  void GatherPixel(const uint8_t* in, uint8_t* row, int64_t n, int32_t oy, int32_t ox,
                   int32_t seg) const {
    const int32_t c = g_.in_c;
    for (int32_t ky = 0; ky < g_.kh; ++ky) {
      const int32_t iy = oy * g_.stride_h - g_.pad_top + ky * g_.dilation_h;
      uint8_t* dst = row + static_cast<int64_t>(ky) * seg;
      if (iy < 0 || iy >= g_.in_h) {
        std::memset(dst, off_.pad_byte, static_cast<size_t>(g_.kw) * c);
        continue;
      }
      const uint8_t* src_row = in + ((n * g_.in_h + iy) * g_.in_w) * c;
      const int32_t ix0 = ox * g_.stride_w - g_.pad_left;
      const int32_t ix_last = ix0 + (g_.kw - 1) * g_.dilation_w;
      if (g_.dilation_w == 1 && ix0 >= 0 && ix_last < g_.in_w) {
        CopyShort(dst, src_row + static_cast<int64_t>(ix0) * c, static_cast<size_t>(g_.kw) * c);
        continue;
      }
      for (int32_t kx = 0; kx < g_.kw; ++kx) {
        const int32_t ix = ix0 + kx * g_.dilation_w;
        if (ix < 0 || ix >= g_.in_w) {
          std::memset(dst + kx * c, off_.pad_byte, static_cast<size_t>(c));
        } else {
          CopyShort(dst + kx * c, src_row + static_cast<int64_t>(ix) * c, static_cast<size_t>(c));
        }
      }
    }
  }

  // Implicit im2col (kernels.h, GemmProblem::a_rows): without dilation and with no row term,
  // each filter row of an output pixel is kw * c consecutive input bytes, so the GEMM reads
  // them where they lie (kw * c padded to a multiple of 4 with zero weights: up to 3 bytes past
  // a row are read and count for nothing); only the pixels with a tap in the padding get an
  // im2col row in the scratch. Saves writing and reading an
  // im2col copy kh * kw times the input's size (yolov8n: 9.4% of its time in the gather).
  bool ImplicitUsable() const {
    return !g_.direct() && g_.dilation_h == 1 && g_.dilation_w == 1 && off_.q == 0 &&
           (!input_constant_ || (g_.kw * g_.in_c) % 4 == 0);
  }

  // Each row's first tap in the input (>= 0), or -1 - its index among the border rows.
  void PlanImplicit() {
    const int32_t c = g_.in_c;
    row_origin_.assign(static_cast<size_t>(g_.rows()), 0);
    border_rows_.clear();
    for (int64_t m = 0; m < g_.rows(); ++m) {
      const int64_t n = m / (static_cast<int64_t>(g_.out_h) * g_.out_w);
      const auto oy = static_cast<int32_t>(m / g_.out_w % g_.out_h);
      const auto ox = static_cast<int32_t>(m % g_.out_w);
      const int32_t iy0 = oy * g_.stride_h - g_.pad_top, ix0 = ox * g_.stride_w - g_.pad_left;
      const bool inside = iy0 >= 0 && iy0 + g_.kh <= g_.in_h && ix0 >= 0 && ix0 + g_.kw <= g_.in_w;
      if (inside) {
        row_origin_[static_cast<size_t>(m)] = ((n * g_.in_h + iy0) * g_.in_w + ix0) * c;
      } else {
        row_origin_[static_cast<size_t>(m)] = -1 - static_cast<int64_t>(border_rows_.size());
        border_rows_.push_back(m);
      }
    }
  }

  // A's rows for the GEMM: the border rows' im2col in `scratch`, the pointer tables made once
  // (the input and the scratch stay where they are).
  void PrepareImplicit(WorkPool* pool, uint8_t* scratch, GemmProblem& p) {
    const int64_t k = static_cast<int64_t>(g_.kh) * seg_;  // a border row's bytes
    const auto* in = static_cast<const uint8_t*>(input_.data);
    const auto borders = static_cast<int64_t>(border_rows_.size());
    // A copy of a few rows (yolov8n: at most 636 of 144 bytes): split only when large, as the
    // other byte moves (prepared.h), so that a node is one loop over the threads, not two.
    ParallelFor(PoolWorthUsingToMove(pool, borders * k), borders, 64, [&](int64_t b0, int64_t b1) {
      for (int64_t b = b0; b < b1; ++b) {
        const int64_t m = border_rows_[static_cast<size_t>(b)];
        GatherPixel(in, scratch + b * k, m / (static_cast<int64_t>(g_.out_h) * g_.out_w),
                    static_cast<int32_t>(m / g_.out_w % g_.out_h),
                    static_cast<int32_t>(m % g_.out_w), seg_);
      }
    });
    if (tables_for_ != scratch) {
      a_rows_.resize(row_origin_.size());
      a_seg_stride_.resize(row_origin_.size());
      for (size_t m = 0; m < row_origin_.size(); ++m) {
        const int64_t o = row_origin_[m];
        a_rows_[m] = o >= 0 ? in + o : scratch + (-1 - o) * k;
        a_seg_stride_[m] = o >= 0 ? static_cast<int64_t>(g_.in_w) * g_.in_c : seg_;
      }
      tables_for_ = scratch;
    }
    p.a_rows = a_rows_.data();
    p.a_seg_stride = a_seg_stride_.data();
    p.segments = g_.kh;
  }

  // Tiles of 4 channel blocks by a multiple of 24 rows, at least 4 tiles per thread, in row
  // order: each thread's share of the pool is a run of whole rows (work_pool.h).
  static void RunGemm(WorkPool* pool, const GemmProblem& p) {
    const int32_t blocks = static_cast<int32_t>(RoundUp(p.n, 16) / 16);
    const int threads = PoolThreads(pool);
    if (threads == 1) {
      GemmAvx512Vnni(p, 0, p.m, 0, blocks);
      return;
    }
    const int64_t n_tiles = RoundUp(blocks, 4) / 4;
    const int64_t m_tiles = std::max<int64_t>(1, RoundUp(4 * threads, n_tiles) / n_tiles);
    const int64_t tile_m = RoundUp(std::max<int64_t>(1, RoundUp(p.m, m_tiles) / m_tiles), 24);
    const int64_t m_count = RoundUp(p.m, tile_m) / tile_m;
    pool->ParallelFor(n_tiles * m_count, 1, [&](int64_t t0, int64_t t1) {
      for (int64_t t = t0; t < t1; ++t) {
        const int64_t m0 = (t / n_tiles) * tile_m;
        const auto nb0 = static_cast<int32_t>(t % n_tiles * 4);
        GemmAvx512Vnni(p, m0, std::min(p.m, m0 + tile_m), nb0, std::min(blocks, nb0 + 4));
      }
    });
  }

  ConvGeometry g_;
  TensorView input_, output_;
  Offsets off_;
  bool input_constant_ = false;
  bool implicit_ = false;            // implicit im2col (ImplicitUsable)
  int32_t seg_ = 0;                  // the bytes of a filter row in the GEMM's k (padded in place)
  std::vector<int64_t> row_origin_;  // PlanImplicit
  std::vector<int64_t> border_rows_;
  std::vector<const uint8_t*> a_rows_;  // PrepareImplicit's tables, made for tables_for_
  std::vector<int64_t> a_seg_stride_;
  const uint8_t* tables_for_ = nullptr;
  AlignedVector<int8_t> weights_;
  ChannelConstants constants_;
  GemmProblem problem_;
};

}  // namespace

bool ConvSupports(const OperatorInfo& op, const Subgraph& g) {
  const TensorInfo& in = g.tensors[static_cast<size_t>(op.inputs[0])];
  const TensorInfo& w = g.tensors[static_cast<size_t>(op.inputs[1])];
  if (!WeightsUsable(in, w)) return false;
  const ConvGeometry c = ConvGeometryOf(op, g);
  // int32 offsets in the kernels; far beyond any vision model.
  return c.rows() * c.depth() < (int64_t{1} << 31) && c.out_c > 0 && c.depth() > 0;
}

Result<std::unique_ptr<NativeNode>> CreateConvNode(const OperatorInfo& op, const Subgraph& g,
                                                   std::span<const TensorView> inputs,
                                                   std::span<const TensorView> outputs) {
  const TensorView* bias = inputs.size() > 2 && inputs[2].data ? &inputs[2] : nullptr;
  auto node = std::make_unique<ConvNode>(ConvGeometryOf(op, g), inputs[0], outputs[0],
                                         OffsetsFor(inputs[0], inputs[1]));
  // A constant input has no bytes to spare past its end (the engine's tensors do).
  node->set_input_constant(g.tensors[static_cast<size_t>(op.inputs[0])].is_constant());
  node->Pack(inputs[1], bias);
  return std::unique_ptr<NativeNode>(std::move(node));
}

}  // namespace coralpi::native
