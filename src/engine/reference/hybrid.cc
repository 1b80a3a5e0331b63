// The dynamic-range kernels of hybrid.h: the input quantized once per row into (q - zero point)
// as int16, then one int32 dot product per output value, the work split over output rows.
#include "engine/reference/hybrid.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "engine/reference/kernel_util.h"
#include "engine/reference/parallel.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

using internal::Window2D;

// The float input quantized row by row: values (q - zero point), and each row's scale.
struct QuantizedRows {
  std::vector<int16_t> values;
  std::vector<float> scale;
};

QuantizedRows QuantizeRows(const float* x, int64_t rows, int64_t row_len,
                           DynamicQuant (*quantize)(const float*, int64_t, int8_t*)) {
  QuantizedRows q;
  q.values.resize(static_cast<size_t>(rows * row_len));
  q.scale.resize(static_cast<size_t>(rows));
  std::vector<int8_t> row(static_cast<size_t>(row_len));
  for (int64_t r = 0; r < rows; ++r) {
    const DynamicQuant p = quantize(x + r * row_len, row_len, row.data());
    int16_t* out = q.values.data() + r * row_len;
    for (int64_t i = 0; i < row_len; ++i) out[i] = static_cast<int16_t>(row[i] - p.zero_point);
    q.scale[static_cast<size_t>(r)] = p.scale;
  }
  return q;
}

// Float input and output, int8 filter symmetric per tensor or per channel along `axis`
// (`channels` of them), optional float bias of `channels` values.
Status CheckHybridTypes(const char* op, const TensorView& input, const TensorView& filter,
                        const TensorView* bias, const TensorView& output, int32_t channels,
                        int32_t axis) {
  CORALPI_RETURN_IF_ERROR(internal::CheckType(op, "input", input, DataType::kFloat32));
  CORALPI_RETURN_IF_ERROR(internal::CheckType(op, "filter", filter, DataType::kInt8));
  CORALPI_RETURN_IF_ERROR(internal::CheckType(op, "output", output, DataType::kFloat32));
  CORALPI_RETURN_IF_ERROR(internal::CheckChannelQuant(op, "filter", filter, channels, axis));
  for (size_t c = 0; c < filter.quant->zero_point.size(); ++c) {
    if (filter.quant->zero_point[c] != 0) {
      return MakeError(op, "filter: zero point " + std::to_string(filter.quant->zero_point[c]) +
                               " (channel " + std::to_string(c) +
                               "): dynamic-range filters are symmetric");
    }
  }
  if (bias != nullptr) {
    CORALPI_RETURN_IF_ERROR(internal::CheckTensor(op, "bias", *bias));
    CORALPI_RETURN_IF_ERROR(internal::CheckType(op, "bias", *bias, DataType::kFloat32));
    if (bias->num_elements() != channels) {
      return MakeError(op, "bias: " + std::to_string(bias->num_elements()) + " values for " +
                               std::to_string(channels) + " channels");
    }
  }
  return OkStatus();
}

float BiasOf(const TensorView* bias, int32_t c) { return bias ? bias->as<const float>()[c] : 0.0f; }

}  // namespace

DynamicQuant XnnpackRowQuant(const float* x, int64_t n, int8_t* out) {
  float lo = std::numeric_limits<float>::infinity();
  float hi = -std::numeric_limits<float>::infinity();
  for (int64_t i = 0; i < n; ++i) {
    lo = std::min(lo, x[i]);
    hi = std::max(hi, x[i]);
  }
  constexpr float kQMin = -128.0f, kQMax = 127.0f;
  const float rmin = std::min(0.0f, lo);
  const float rmax = std::max(0.0f, hi);
  const float inverse = rmin == rmax ? 1.0f : (kQMax - kQMin) / (rmax - rmin);
  const float scaled_min = rmin * inverse;
  const float scaled_max = rmax * inverse;
  float zero_point =
      (kQMin + scaled_min) + (kQMax + scaled_max) > 0 ? kQMin - scaled_min : kQMax - scaled_max;
  zero_point = std::min(std::max(zero_point, kQMin), kQMax);
  const int32_t zp = static_cast<int32_t>(std::lrintf(zero_point));
  const float low = kQMin - static_cast<float>(zp), high = kQMax - static_cast<float>(zp);
  for (int64_t i = 0; i < n; ++i) {
    const float v = std::min(std::max(x[i] * inverse, low), high);
    out[i] = static_cast<int8_t>(std::lrintf(v) + zp);
  }
  return {1.0f / inverse, zp};
}

DynamicQuant TfliteBatchQuant(const float* x, int64_t n, int8_t* out) {
  constexpr int32_t kQMin = -128, kQMax = 127;
  // The range over floats, widened once: the same values as fmin/fmax in double, and a loop that
  // aarch64 GCC 12 does not vectorize (its fmax-in-double reduction hits an internal compiler
  // error, in vect_transform_reduction).
  float lo = 0.0f, hi = 0.0f;
  for (int64_t i = 0; i < n; ++i) {
    lo = x[i] < lo ? x[i] : lo;
    hi = x[i] > hi ? x[i] : hi;
  }
  const double rmin = lo, rmax = hi;
  if (rmin == rmax) {
    std::fill(out, out + n, int8_t{0});
    return {1.0f, 0};
  }
  const double scale = (rmax - rmin) / (kQMax - kQMin);
  const double zp_from_min = kQMin - rmin / scale;
  const double zp_from_max = kQMax - rmax / scale;
  const double zp_from_min_error = std::abs(kQMin) + std::abs(rmin / scale);
  const double zp_from_max_error = std::abs(kQMax) + std::abs(rmax / scale);
  const double zp_double = zp_from_min_error < zp_from_max_error ? zp_from_min : zp_from_max;
  int32_t zp = 0;
  if (zp_double <= kQMin) {
    zp = kQMin;
  } else if (zp_double >= kQMax) {
    zp = kQMax;
  } else {
    zp = static_cast<int32_t>(std::round(zp_double));
  }
  const float scale_f = static_cast<float>(scale);
  const float inverse = static_cast<float>(1.0 / static_cast<double>(scale_f));
  for (int64_t i = 0; i < n; ++i) {
    const int32_t q = static_cast<int32_t>(std::round(static_cast<float>(zp) + x[i] * inverse));
    out[i] = static_cast<int8_t>(std::min(kQMax, std::max(kQMin, q)));
  }
  return {scale_f, zp};
}

bool HybridConvQuantizesPerPixel(int32_t filter_h, int32_t filter_w, int32_t stride_h,
                                 int32_t stride_w, int32_t in_c, int32_t out_c) {
  return filter_h == 1 && filter_w == 1 && stride_h == 1 && stride_w == 1 && in_c + out_c > 2;
}

Status HybridConv2D(const Conv2DOptions& opt, const TensorView& input, const TensorView& filter,
                    const TensorView* bias, const TensorView& output) {
  constexpr const char* kOp = "CONV_2D";
  CORALPI_RETURN_IF_ERROR(internal::CheckActivation(kOp, opt.activation));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "filter", filter));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "output", output));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(kOp, "input", input, 4));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(kOp, "filter", filter, 4));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(kOp, "output", output, 4));
  const int32_t batch = input.dim(0), in_h = input.dim(1), in_w = input.dim(2);
  const int32_t in_c = input.dim(3);
  const int32_t out_c = filter.dim(0), fh = filter.dim(1), fw = filter.dim(2);
  if (filter.dim(3) != in_c) {
    return MakeError(kOp, "filter has " + std::to_string(filter.dim(3)) +
                              " input channels, input has " + std::to_string(in_c));
  }
  CORALPI_ASSIGN_OR_RETURN(
      const Window2D win,
      internal::ComputeWindow2D(kOp, opt.padding, in_h, in_w, fh, fw, opt.stride_h, opt.stride_w,
                                opt.dilation_h, opt.dilation_w));
  CORALPI_RETURN_IF_ERROR(internal::CheckOutputNHWC(kOp, output, batch, win, out_c));
  CORALPI_RETURN_IF_ERROR(CheckHybridTypes(kOp, input, filter, bias, output, out_c, 0));
  if (output.num_elements() == 0) return OkStatus();

  const bool per_pixel =
      HybridConvQuantizesPerPixel(fh, fw, opt.stride_h, opt.stride_w, in_c, out_c);
  const int64_t image = static_cast<int64_t>(in_h) * in_w * in_c;
  const QuantizedRows q =
      per_pixel ? QuantizeRows(input.as<const float>(), batch * int64_t{in_h} * in_w, in_c,
                               XnnpackRowQuant)
                : QuantizeRows(input.as<const float>(), batch, image, XnnpackRowQuant);
  float lo = 0, hi = 0;
  FloatActivationRange(opt.activation, &lo, &hi);
  const int8_t* w = filter.as<const int8_t>();
  float* out = output.as<float>();
  ParallelFor(int64_t{batch} * win.out_h, 1, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const int64_t n = row / win.out_h;
      const int32_t oy = static_cast<int32_t>(row % win.out_h);
      for (int32_t ox = 0; ox < win.out_w; ++ox) {
        const int64_t pixel = row * win.out_w + ox;
        // Per pixel only for 1x1 stride-1 windows: output pixel == input pixel.
        const float in_scale = q.scale[static_cast<size_t>(per_pixel ? pixel : n)];
        float* o = out + pixel * out_c;
        for (int32_t oc = 0; oc < out_c; ++oc) {
          int32_t acc = 0;
          for (int32_t ky = 0; ky < fh; ++ky) {
            const int32_t iy = oy * opt.stride_h - win.pad_top + ky * opt.dilation_h;
            if (iy < 0 || iy >= in_h) continue;
            for (int32_t kx = 0; kx < fw; ++kx) {
              const int32_t ix = ox * opt.stride_w - win.pad_left + kx * opt.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              const int16_t* x = q.values.data() + n * image + (int64_t{iy} * in_w + ix) * in_c;
              const int8_t* k = w + ((int64_t{oc} * fh + ky) * fw + kx) * in_c;
              for (int32_t ic = 0; ic < in_c; ++ic) acc += int32_t{x[ic]} * int32_t{k[ic]};
            }
          }
          float f = static_cast<float>(acc) * in_scale;
          f = f * filter.scale(static_cast<size_t>(oc)) + BiasOf(bias, oc);
          o[oc] = std::min(std::max(f, lo), hi);
        }
      }
    }
  });
  return OkStatus();
}

Status HybridDepthwiseConv2D(const DepthwiseConv2DOptions& opt, const TensorView& input,
                             const TensorView& filter, const TensorView* bias,
                             const TensorView& output) {
  constexpr const char* kOp = "DEPTHWISE_CONV_2D";
  CORALPI_RETURN_IF_ERROR(internal::CheckActivation(kOp, opt.activation));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "filter", filter));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "output", output));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(kOp, "input", input, 4));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(kOp, "filter", filter, 4));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(kOp, "output", output, 4));
  const int32_t batch = input.dim(0), in_h = input.dim(1), in_w = input.dim(2);
  const int32_t in_c = input.dim(3);
  const int32_t fh = filter.dim(1), fw = filter.dim(2), out_c = filter.dim(3);
  if (filter.dim(0) != 1 || in_c <= 0 || out_c % in_c != 0) {
    return MakeError(kOp, "filter shape " + ShapeToString(filter.shape) +
                              " does not fit input channels " + std::to_string(in_c));
  }
  const int32_t multiplier = out_c / in_c;
  CORALPI_ASSIGN_OR_RETURN(
      const Window2D win,
      internal::ComputeWindow2D(kOp, opt.padding, in_h, in_w, fh, fw, opt.stride_h, opt.stride_w,
                                opt.dilation_h, opt.dilation_w));
  CORALPI_RETURN_IF_ERROR(internal::CheckOutputNHWC(kOp, output, batch, win, out_c));
  CORALPI_RETURN_IF_ERROR(CheckHybridTypes(kOp, input, filter, bias, output, out_c, 3));
  if (output.num_elements() == 0) return OkStatus();

  const int64_t image = static_cast<int64_t>(in_h) * in_w * in_c;
  const QuantizedRows q = QuantizeRows(input.as<const float>(), batch, image, TfliteBatchQuant);
  float lo = 0, hi = 0;
  FloatActivationRange(opt.activation, &lo, &hi);
  const int8_t* w = filter.as<const int8_t>();
  float* out = output.as<float>();
  ParallelFor(int64_t{batch} * win.out_h, 1, [&](int64_t begin, int64_t end) {
    for (int64_t row = begin; row < end; ++row) {
      const int64_t n = row / win.out_h;
      const int32_t oy = static_cast<int32_t>(row % win.out_h);
      for (int32_t ox = 0; ox < win.out_w; ++ox) {
        float* o = out + (row * win.out_w + ox) * out_c;
        for (int32_t oc = 0; oc < out_c; ++oc) {
          const int32_t ic = oc / multiplier;
          int32_t acc = 0;
          for (int32_t ky = 0; ky < fh; ++ky) {
            const int32_t iy = oy * opt.stride_h - win.pad_top + ky * opt.dilation_h;
            if (iy < 0 || iy >= in_h) continue;
            for (int32_t kx = 0; kx < fw; ++kx) {
              const int32_t ix = ox * opt.stride_w - win.pad_left + kx * opt.dilation_w;
              if (ix < 0 || ix >= in_w) continue;
              const int16_t x = q.values[static_cast<size_t>(
                  n * image + (int64_t{iy} * in_w + ix) * in_c + ic)];
              acc += int32_t{x} * int32_t{w[(int64_t{ky} * fw + kx) * out_c + oc]};
            }
          }
          float f = static_cast<float>(acc) *
                    (filter.scale(static_cast<size_t>(oc)) * q.scale[static_cast<size_t>(n)]);
          f += BiasOf(bias, oc);
          o[oc] = std::min(std::max(f, lo), hi);
        }
      }
    }
  });
  return OkStatus();
}

Status HybridFullyConnected(const FullyConnectedOptions& opt, const TensorView& input,
                            const TensorView& weights, const TensorView* bias,
                            const TensorView& output) {
  constexpr const char* kOp = "FULLY_CONNECTED";
  CORALPI_RETURN_IF_ERROR(internal::CheckActivation(kOp, opt.activation));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "weights", weights));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "output", output));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(kOp, "weights", weights, 2));
  const int32_t out_n = weights.dim(0), in_n = weights.dim(1);
  if (in_n <= 0 || out_n <= 0 || input.num_elements() % in_n != 0) {
    return MakeError(kOp, "input " + ShapeToString(input.shape) + " does not divide into rows of " +
                              std::to_string(in_n));
  }
  const int64_t rows = input.num_elements() / in_n;
  if (output.num_elements() != rows * out_n) {
    return MakeError(kOp, "output " + ShapeToString(output.shape) + " does not hold " +
                              std::to_string(rows) + " rows of " + std::to_string(out_n));
  }
  CORALPI_RETURN_IF_ERROR(CheckHybridTypes(kOp, input, weights, bias, output, out_n, 0));
  if (output.num_elements() == 0) return OkStatus();

  const QuantizedRows q = QuantizeRows(input.as<const float>(), rows, in_n, XnnpackRowQuant);
  float lo = 0, hi = 0;
  FloatActivationRange(opt.activation, &lo, &hi);
  const int8_t* w = weights.as<const int8_t>();
  float* out = output.as<float>();
  ParallelFor(rows, 1, [&](int64_t begin, int64_t end) {
    for (int64_t r = begin; r < end; ++r) {
      const int16_t* x = q.values.data() + r * in_n;
      for (int32_t oc = 0; oc < out_n; ++oc) {
        const int8_t* k = w + int64_t{oc} * in_n;
        int32_t acc = 0;
        for (int32_t i = 0; i < in_n; ++i) acc += int32_t{x[i]} * int32_t{k[i]};
        float f = static_cast<float>(acc) * q.scale[static_cast<size_t>(r)];
        f = f * weights.scale(static_cast<size_t>(oc)) + BiasOf(bias, oc);
        out[r * out_n + oc] = std::min(std::max(f, lo), hi);
      }
    }
  });
  return OkStatus();
}

namespace {

// One row of DynamicFakeQuantize, in loops the compiler vectorizes: the minimum and maximum as
// comparisons (what minps/maxps compute), and round-half-even by adding and subtracting 1.5 * 2^23
// (exact for |v| <= 255, as XNNPACK's scalar convert does it).
void FakeQuantizeRow(const float* x, int64_t n, float* out) {
  float lo = 0.0f, hi = 0.0f;  // the range always holds 0
  for (int64_t i = 0; i < n; ++i) {
    lo = x[i] < lo ? x[i] : lo;
    hi = x[i] > hi ? x[i] : hi;
  }
  constexpr float kQMin = -128.0f, kQMax = 127.0f;
  const float inverse = lo == hi ? 1.0f : (kQMax - kQMin) / (hi - lo);
  const float scaled_min = lo * inverse, scaled_max = hi * inverse;
  float zero_point =
      (kQMin + scaled_min) + (kQMax + scaled_max) > 0 ? kQMin - scaled_min : kQMax - scaled_max;
  zero_point = std::min(std::max(zero_point, kQMin), kQMax);
  const float zp = static_cast<float>(std::lrintf(zero_point));
  const float low = kQMin - zp, high = kQMax - zp, scale = 1.0f / inverse;
  constexpr float kMagic = 12582912.0f;  // 1.5 * 2^23
  for (int64_t i = 0; i < n; ++i) {
    float v = x[i] * inverse;
    v = v < low ? low : v;
    v = v > high ? high : v;
    out[i] = ((v + kMagic) - kMagic) * scale;  // not folded: no -ffast-math
  }
}

}  // namespace

Status DynamicFakeQuantize(const TensorView& input, const TensorView& output, int64_t row_length) {
  constexpr const char* kOp = "dynamic quantization";
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "output", output));
  CORALPI_RETURN_IF_ERROR(internal::CheckType(kOp, "input", input, DataType::kFloat32));
  CORALPI_RETURN_IF_ERROR(internal::CheckType(kOp, "output", output, DataType::kFloat32));
  const int64_t n = input.num_elements();
  if (output.shape != input.shape || row_length <= 0 || n % row_length != 0) {
    return MakeError(kOp, "input " + ShapeToString(input.shape) + ", output " +
                              ShapeToString(output.shape) + ", rows of " +
                              std::to_string(row_length));
  }
  const float* x = input.as<const float>();
  float* y = output.as<float>();
  ParallelFor(n / row_length, std::max<int64_t>(1, 4096 / row_length),
              [&](int64_t begin, int64_t end) {
                for (int64_t r = begin; r < end; ++r) {
                  FakeQuantizeRow(x + r * row_length, row_length, y + r * row_length);
                }
              });
  return OkStatus();
}

}  // namespace coralpi::reference
