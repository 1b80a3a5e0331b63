// RESIZE_BILINEAR and RESIZE_NEAREST_NEIGHBOR of NHWC tensors, to the output tensor's height and
// width. Bilinear follows XNNPACK's arithmetic (11-bit fixed-point weights for the quantized
// types), which runs it when XNNPACK is on; nearest neighbour follows TensorFlow Lite's kernel,
// since XNNPACK has none. reference.h states both rules.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "engine/reference/kernel_util.h"
#include "engine/reference/parallel.h"
#include "engine/reference/reference.h"
#include "engine/reference/resize_uint8.h"

namespace coralpi::reference {
namespace {

// Where output row (or column) o reads from: the two source indices and the weight of the second.
struct Tap {
  int32_t i0 = 0, i1 = 0;
  float alpha = 0.0f;
};

// XNNPACK's source coordinates along one axis (see reference.h).
std::vector<Tap> BilinearTaps(const ResizeOptions& opt, int32_t in, int32_t out) {
  const int32_t adjust = opt.align_corners && out != 1 ? 1 : 0;
  const float scale = static_cast<float>(in - adjust) / static_cast<float>(out - adjust);
  const float offset = 0.5f * scale - 0.5f;
  const bool half_pixel = !opt.align_corners && opt.half_pixel_centers;
  std::vector<Tap> taps(static_cast<size_t>(out));
  for (int32_t o = 0; o < out; ++o) {
    float src = static_cast<float>(o) * scale;
    if (half_pixel) {
#if defined(__aarch64__)
      // Debian's arm64 XNNPACK (C built as gnu99, so GCC contracts) computes one fused
      // multiply-add here (fmadd in its indirection init); x86-64 has no FMA in its baseline.
      src = std::fma(static_cast<float>(o), scale, offset);
#else
      src = src + offset;
#endif
      src = std::min(std::max(src, 0.0f), static_cast<float>(in - 1));
    }
    Tap& t = taps[static_cast<size_t>(o)];
    t.i0 = std::min(static_cast<int32_t>(src), in - 1);
    t.i1 = std::min(t.i0 + 1, in - 1);
    t.alpha = src - static_cast<float>(t.i0);
  }
  return taps;
}

// The shapes both resizes share: NHWC input and output with equal batch and channels.
struct ResizeGeometry {
  int32_t batch, in_h, in_w, out_h, out_w, channels;
};

Result<ResizeGeometry> CheckResize(const char* op, const ResizeOptions& opt,
                                   const TensorView& input, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(op, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(op, "output", output));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(op, "input", input, 4));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(op, "output", output, 4));
  CORALPI_RETURN_IF_ERROR(internal::CheckType(op, "output", output, input.type));
  if (opt.align_corners && opt.half_pixel_centers) {
    return MakeError(op, "align_corners and half_pixel_centers cannot both be set");
  }
  ResizeGeometry g{input.dim(0),  input.dim(1),  input.dim(2),
                   output.dim(1), output.dim(2), input.dim(3)};
  if (output.dim(0) != g.batch || output.dim(3) != g.channels) {
    return MakeError(op, "output: shape " + ShapeToString(output.shape) +
                             " does not keep the batch and channels of " +
                             ShapeToString(input.shape));
  }
  if (g.in_h < 1 || g.in_w < 1 || g.out_h < 1 || g.out_w < 1) {
    return MakeError(op, "input " + ShapeToString(input.shape) + " or output " +
                             ShapeToString(output.shape) + " has an empty height or width");
  }
  if (input.type == DataType::kFloat32) return g;
  if (!internal::IsQuantized(input.type)) {
    return MakeError(op, std::string("input: unsupported type ") + DataTypeName(input.type));
  }
  CORALPI_RETURN_IF_ERROR(internal::CheckSharedQuant(op, input, output));
  return g;
}

// Calls f(output_offset, top_left, top_right, bottom_left, bottom_right, x_tap, y_tap) for every
// output pixel; the four are element offsets of the pixel's corners in the input.
template <typename F>
void ForEachBilinearPixel(const ResizeGeometry& g, const std::vector<Tap>& ys,
                          const std::vector<Tap>& xs, F&& f) {
  const int64_t c = g.channels;
  int64_t o = 0;
  for (int32_t n = 0; n < g.batch; ++n) {
    const int64_t image = static_cast<int64_t>(n) * g.in_h * g.in_w;
    for (const Tap& y : ys) {
      const int64_t top = (image + static_cast<int64_t>(y.i0) * g.in_w) * c;
      const int64_t bottom = (image + static_cast<int64_t>(y.i1) * g.in_w) * c;
      for (const Tap& x : xs) {
        f(o, top + x.i0 * c, top + x.i1 * c, bottom + x.i0 * c, bottom + x.i1 * c, x, y);
        o += c;
      }
    }
  }
}

void BilinearFloat(const ResizeGeometry& g, const std::vector<Tap>& ys, const std::vector<Tap>& xs,
                   const float* in, float* out) {
  ForEachBilinearPixel(
      g, ys, xs,
      [&](int64_t o, int64_t tl, int64_t tr, int64_t bl, int64_t br, const Tap& x, const Tap& y) {
        for (int32_t k = 0; k < g.channels; ++k) {
          const float t = in[tl + k] + (in[tr + k] - in[tl + k]) * x.alpha;
          const float b = in[bl + k] + (in[br + k] - in[bl + k]) * x.alpha;
          out[o + k] = t + (b - t) * y.alpha;
        }
      });
}

int32_t Q11(float alpha) { return static_cast<int32_t>(std::lrintf(alpha * 2048.0f)); }

template <typename T>
void BilinearQuantized(const ResizeGeometry& g, const std::vector<Tap>& ys,
                       const std::vector<Tap>& xs, const T* in, T* out) {
  ForEachBilinearPixel(
      g, ys, xs,
      [&](int64_t o, int64_t tl, int64_t tr, int64_t bl, int64_t br, const Tap& x, const Tap& y) {
        const int32_t ah = Q11(x.alpha), av = Q11(y.alpha);
        for (int32_t k = 0; k < g.channels; ++k) {
          const int32_t vtl = in[tl + k], vtr = in[tr + k], vbl = in[bl + k], vbr = in[br + k];
          const int32_t t = vtl * 2048 + (vtr - vtl) * ah;
          const int32_t b = vbl * 2048 + (vbr - vbl) * ah;
          const int32_t acc = t * 2048 + (b - t) * av;
          out[o + k] = static_cast<T>((acc + (1 << 21)) >> 22);
        }
      });
}

using internal::BilinearTap;

// TFLite's source positions along one axis for its uint8 kernel (see reference.h).
std::vector<BilinearTap> TfLiteBilinearTaps(const ResizeOptions& opt, int32_t in, int32_t out) {
  const float scale = opt.align_corners && out > 1
                          ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
                          : static_cast<float>(in) / static_cast<float>(out);
  std::vector<BilinearTap> taps(static_cast<size_t>(out));
  for (int32_t o = 0; o < out; ++o) {
    float src = static_cast<float>(o) * scale;
    if (opt.half_pixel_centers) {
      const float shifted = (static_cast<float>(o) + 0.5f) * scale;
      src = shifted - 0.5f;
    }
    BilinearTap& t = taps[static_cast<size_t>(o)];
    t.i0 = std::max(static_cast<int32_t>(std::floor(src)), 0);
    t.i1 = std::min(static_cast<int32_t>(std::ceil(src)), in - 1);
    t.frac = src - static_cast<float>(t.i0);
  }
  return taps;
}

// TFLite's uint8 bilinear kernel (see reference.h), output rows in parallel (parallel.h).
void BilinearUInt8TfLite(const ResizeGeometry& g, const ResizeOptions& opt, const uint8_t* in,
                         uint8_t* out, internal::WeighRowFn weigh) {
  const std::vector<BilinearTap> ys = TfLiteBilinearTaps(opt, g.in_h, g.out_h);
  const std::vector<BilinearTap> xs = TfLiteBilinearTaps(opt, g.in_w, g.out_w);
  const int64_t c = g.channels;
  const int64_t row_bytes = static_cast<int64_t>(g.out_w) * c;
  ParallelFor(static_cast<int64_t>(g.batch) * g.out_h, 8, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const int64_t image = r / g.out_h * g.in_h * g.in_w;
      const BilinearTap& y = ys[static_cast<size_t>(r % g.out_h)];
      const uint8_t* top = in + (image + static_cast<int64_t>(y.i0) * g.in_w) * c;
      const uint8_t* bottom = in + (image + static_cast<int64_t>(y.i1) * g.in_w) * c;
      weigh(top, bottom, xs.data(), g.out_w, y.frac, c, out + r * row_bytes);
    }
  });
}

// TFLite's nearest source index along one axis (see reference.h). `fixed_point`: TFLite's
// optimized uint8 kernel, which it runs when neither flag is set.
int32_t NearestSource(const ResizeOptions& opt, bool fixed_point, int32_t o, int32_t in,
                      int32_t out) {
  if (fixed_point) {
    const int64_t scale = (static_cast<int64_t>(in) << 16) / out + 1;
    return static_cast<int32_t>(std::min<int64_t>((o * scale) >> 16, in - 1));
  }
  const float scale = opt.align_corners && out > 1
                          ? static_cast<float>(in - 1) / static_cast<float>(out - 1)
                          : static_cast<float>(in) / static_cast<float>(out);
  const float offset = opt.half_pixel_centers ? 0.5f : 0.0f;
  const float src = (static_cast<float>(o) + offset) * scale;
  int32_t i = static_cast<int32_t>(opt.align_corners ? std::round(src) : std::floor(src));
  i = std::min(i, in - 1);
  return opt.half_pixel_centers ? std::max(i, 0) : i;
}

}  // namespace

namespace internal {

namespace {

// One pixel: the four corners weighed in float, left to right, plus 0.5, truncated. Separate
// pointers (restrict) so that the channel loop vectorizes.
void WeighCorners(const uint8_t* __restrict tl, const uint8_t* __restrict tr,
                  const uint8_t* __restrict bl, const uint8_t* __restrict br, float w0, float w1,
                  float w2, float w3, int64_t channels, uint8_t* __restrict out) {
  for (int64_t k = 0; k < channels; ++k) {
    const float sum = static_cast<float>(tl[k]) * w0 + static_cast<float>(tr[k]) * w1 +
                      static_cast<float>(bl[k]) * w2 + static_cast<float>(br[k]) * w3 + 0.5f;
    out[k] = static_cast<uint8_t>(static_cast<int32_t>(sum));
  }
}

}  // namespace

void WeighRow(const uint8_t* top, const uint8_t* bottom, const BilinearTap* xs, int32_t out_w,
              float y_frac, int64_t channels, uint8_t* out) {
  const int64_t c = channels;
  for (int32_t i = 0; i < out_w; ++i, out += c) {
    const BilinearTap& x = xs[i];
    WeighCorners(top + x.i0 * c, top + x.i1 * c, bottom + x.i0 * c, bottom + x.i1 * c,
                 (1 - y_frac) * (1 - x.frac), (1 - y_frac) * x.frac, y_frac * (1 - x.frac),
                 y_frac * x.frac, c, out);
  }
}

Status ResizeBilinearUInt8(const ResizeOptions& opt, const TensorView& input,
                           const TensorView& output, WeighRowFn weigh) {
  CORALPI_ASSIGN_OR_RETURN(ResizeGeometry g, CheckResize("RESIZE_BILINEAR", opt, input, output));
  if (input.type != DataType::kUInt8) {
    return MakeError("RESIZE_BILINEAR",
                     std::string("input: ") + DataTypeName(input.type) + ", not uint8");
  }
  BilinearUInt8TfLite(g, opt, input.as<const uint8_t>(), output.as<uint8_t>(), weigh);
  return OkStatus();
}

}  // namespace internal

Status ResizeBilinear(const ResizeOptions& opt, const TensorView& input, const TensorView& output) {
  if (input.type == DataType::kUInt8) {
    return internal::ResizeBilinearUInt8(opt, input, output, internal::WeighRow);
  }
  CORALPI_ASSIGN_OR_RETURN(ResizeGeometry g, CheckResize("RESIZE_BILINEAR", opt, input, output));
  const std::vector<Tap> ys = BilinearTaps(opt, g.in_h, g.out_h);
  const std::vector<Tap> xs = BilinearTaps(opt, g.in_w, g.out_w);
  switch (input.type) {
    case DataType::kFloat32:
      BilinearFloat(g, ys, xs, input.as<const float>(), output.as<float>());
      break;
    default:
      BilinearQuantized(g, ys, xs, input.as<const int8_t>(), output.as<int8_t>());
      break;
  }
  return OkStatus();
}

Status ResizeNearestNeighbor(const ResizeOptions& opt, const TensorView& input,
                             const TensorView& output) {
  CORALPI_ASSIGN_OR_RETURN(ResizeGeometry g,
                           CheckResize("RESIZE_NEAREST_NEIGHBOR", opt, input, output));
  const size_t pixel = static_cast<size_t>(g.channels) * ElementSize(input.type);
  const bool fixed_point =
      input.type == DataType::kUInt8 && !opt.align_corners && !opt.half_pixel_centers;
  auto source = [&](int32_t o, int32_t in, int32_t out) {
    return NearestSource(opt, fixed_point, o, in, out);
  };
  const auto* in = static_cast<const uint8_t*>(input.data);
  auto* out = static_cast<uint8_t*>(output.data);
  std::vector<int32_t> xs(static_cast<size_t>(g.out_w));
  for (int32_t x = 0; x < g.out_w; ++x) xs[x] = source(x, g.in_w, g.out_w);
  for (int32_t n = 0; n < g.batch; ++n) {
    for (int32_t y = 0; y < g.out_h; ++y) {
      const int64_t row = static_cast<int64_t>(n) * g.in_h + source(y, g.in_h, g.out_h);
      for (int32_t x : xs) {
        std::memcpy(out, in + (row * g.in_w + x) * static_cast<int64_t>(pixel), pixel);
        out += pixel;
      }
    }
  }
  return OkStatus();
}

}  // namespace coralpi::reference
