// AVERAGE_POOL_2D and MAX_POOL_2D (any window, stride and padding) and MEAN over H and W of an
// NHWC tensor. Both pools visit the in-bounds values of each window only (padding is never read).
// Average pooling follows TFLite: the average of the in-bounds values, quantized input and output
// sharing one quantization, rounded half away from zero, then the activation clamp. Max pooling
// takes the largest in-bounds value and clamps it to the activation range (as XNNPACK does).
// MEAN sums (x - x_zp) in int32 and requantizes once (RequantizeMean in kernel_util.h), the way
// XNNPACK's global average pooling does; input and output quantization may differ.
#include <algorithm>
#include <cstdint>
#include <limits>

#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

using internal::Window2D;

struct PoolGeometry {
  int32_t batch, in_h, in_w, channels;
  int32_t filter_h, filter_w, stride_h, stride_w;
  Window2D window;
};

// Folds each window: acc = combine(acc, x) over its in-bounds values from `init`, then calls
// emit(acc, in_bounds_count, output_index) for each output element.
template <typename T, typename Acc, typename Combine, typename Emit>
void ForEachWindow(const PoolGeometry& g, const T* in, Acc init, Combine&& combine, Emit&& emit) {
  for (int32_t n = 0; n < g.batch; ++n) {
    for (int32_t oy = 0; oy < g.window.out_h; ++oy) {
      const int32_t y0 = std::max(oy * g.stride_h - g.window.pad_top, 0);
      const int32_t y1 = std::min(oy * g.stride_h - g.window.pad_top + g.filter_h, g.in_h);
      for (int32_t ox = 0; ox < g.window.out_w; ++ox) {
        const int32_t x0 = std::max(ox * g.stride_w - g.window.pad_left, 0);
        const int32_t x1 = std::min(ox * g.stride_w - g.window.pad_left + g.filter_w, g.in_w);
        const int64_t out_base =
            ((static_cast<int64_t>(n) * g.window.out_h + oy) * g.window.out_w + ox) * g.channels;
        const int32_t count = std::max(y1 - y0, 0) * std::max(x1 - x0, 0);
        for (int32_t c = 0; c < g.channels; ++c) {
          Acc acc = init;
          for (int32_t y = y0; y < y1; ++y) {
            for (int32_t x = x0; x < x1; ++x) {
              acc = combine(
                  acc, in[((static_cast<int64_t>(n) * g.in_h + y) * g.in_w + x) * g.channels + c]);
            }
          }
          emit(acc, count, out_base + c);
        }
      }
    }
  }
}

// The checks both pools share; the window geometry of a valid pool.
Result<PoolGeometry> MakePoolGeometry(const char* op, const Pool2DOptions& opt,
                                      const TensorView& input, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckActivation(op, opt.activation));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(op, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(op, "output", output));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(op, "input", input, 4));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(op, "output", output, 4));
  PoolGeometry g{};
  g.batch = input.dim(0);
  g.in_h = input.dim(1);
  g.in_w = input.dim(2);
  g.channels = input.dim(3);
  g.filter_h = opt.filter_h;
  g.filter_w = opt.filter_w;
  g.stride_h = opt.stride_h;
  g.stride_w = opt.stride_w;
  CORALPI_ASSIGN_OR_RETURN(
      g.window, internal::ComputeWindow2D(op, opt.padding, g.in_h, g.in_w, g.filter_h, g.filter_w,
                                          g.stride_h, g.stride_w, 1, 1));
  CORALPI_RETURN_IF_ERROR(internal::CheckOutputNHWC(op, output, g.batch, g.window, g.channels));
  const DataType type = input.type;
  if (type != DataType::kFloat32 && !internal::IsQuantized(type)) {
    return MakeError(op, std::string("input: unsupported type ") + DataTypeName(type));
  }
  CORALPI_RETURN_IF_ERROR(internal::CheckType(op, "output", output, type));
  if (type == DataType::kFloat32) return g;
  CORALPI_RETURN_IF_ERROR(internal::CheckSharedQuant(op, input, output));
  return g;
}

template <typename T>
void RunQuantizedAveragePool(const PoolGeometry& g, const T* in, T* out, ActivationRange range) {
  ForEachWindow(
      g, in, int64_t{0}, [](int64_t acc, T x) { return acc + x; },
      [&](int64_t sum, int32_t count, int64_t o) {
        int64_t avg = 0;
        if (count > 0) {
          avg = sum >= 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
        }
        out[o] = static_cast<T>(std::clamp<int64_t>(avg, range.lo, range.hi));
      });
}

template <typename T>
void RunMaxPool(const PoolGeometry& g, const T* in, T* out, T lo, T hi) {
  ForEachWindow(
      g, in, std::numeric_limits<T>::lowest(), [](T acc, T x) { return std::max(acc, x); },
      [&](T max, int32_t, int64_t o) { out[o] = std::min(std::max(max, lo), hi); });
}

template <typename T>
void RunQuantizedMean(const TensorView& input, const TensorView& output, int32_t batch,
                      int64_t spatial, int32_t channels) {
  const T* in = input.as<const T>();
  T* out = output.as<T>();
  const int32_t x_zp = input.zero_point();
  const ActivationRange range = internal::TypeRange(output.type);
  for (int32_t n = 0; n < batch; ++n) {
    for (int32_t c = 0; c < channels; ++c) {
      int64_t sum = 0;
      for (int64_t i = 0; i < spatial; ++i) {
        sum += static_cast<int32_t>(in[(n * spatial + i) * channels + c]) - x_zp;
      }
      // int32 wrap-around, as XNNPACK's int32 accumulator.
      out[static_cast<int64_t>(n) * channels + c] = static_cast<T>(
          internal::RequantizeMean(static_cast<int32_t>(sum), input.scale(), output.scale(),
                                   static_cast<int32_t>(spatial), output.zero_point(), range));
    }
  }
}

}  // namespace

Status AveragePool2D(const Pool2DOptions& opt, const TensorView& input, const TensorView& output) {
  CORALPI_ASSIGN_OR_RETURN(PoolGeometry g, MakePoolGeometry("AVERAGE_POOL_2D", opt, input, output));
  if (input.type == DataType::kFloat32) {
    float lo = 0, hi = 0;
    FloatActivationRange(opt.activation, &lo, &hi);
    float* out = output.as<float>();
    ForEachWindow(
        g, input.as<const float>(), 0.0f, [](float acc, float x) { return acc + x; },
        [&](float sum, int32_t count, int64_t o) {
          const float avg = count > 0 ? sum / static_cast<float>(count) : 0.0f;
          out[o] = std::min(std::max(avg, lo), hi);
        });
    return OkStatus();
  }
  const ActivationRange range =
      QuantizedActivationRange(opt.activation, input.type, output.scale(), output.zero_point());
  if (input.type == DataType::kUInt8) {
    RunQuantizedAveragePool(g, input.as<const uint8_t>(), output.as<uint8_t>(), range);
  } else {
    RunQuantizedAveragePool(g, input.as<const int8_t>(), output.as<int8_t>(), range);
  }
  return OkStatus();
}

Status MaxPool2D(const Pool2DOptions& opt, const TensorView& input, const TensorView& output) {
  CORALPI_ASSIGN_OR_RETURN(PoolGeometry g, MakePoolGeometry("MAX_POOL_2D", opt, input, output));
  if (input.type == DataType::kFloat32) {
    float lo = 0, hi = 0;
    FloatActivationRange(opt.activation, &lo, &hi);
    RunMaxPool(g, input.as<const float>(), output.as<float>(), lo, hi);
    return OkStatus();
  }
  const ActivationRange range =
      QuantizedActivationRange(opt.activation, input.type, output.scale(), output.zero_point());
  if (input.type == DataType::kUInt8) {
    RunMaxPool(g, input.as<const uint8_t>(), output.as<uint8_t>(), static_cast<uint8_t>(range.lo),
               static_cast<uint8_t>(range.hi));
  } else {
    RunMaxPool(g, input.as<const int8_t>(), output.as<int8_t>(), static_cast<int8_t>(range.lo),
               static_cast<int8_t>(range.hi));
  }
  return OkStatus();
}

Status MeanHW(const TensorView& input, const TensorView& output) {
  constexpr const char* kOp = "MEAN";
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "output", output));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(kOp, "input", input, 4));
  const int32_t batch = input.dim(0), channels = input.dim(3);
  const int64_t spatial = static_cast<int64_t>(input.dim(1)) * input.dim(2);
  if (spatial <= 0 || spatial > INT32_MAX) {
    return MakeError(kOp, "input: no spatial extent in " + ShapeToString(input.shape));
  }
  if (output.shape != Shape{batch, 1, 1, channels} && output.shape != Shape{batch, channels}) {
    return MakeError(kOp, "output: shape " + ShapeToString(output.shape) + ", expected " +
                              ShapeToString({batch, 1, 1, channels}) + " or " +
                              ShapeToString({batch, channels}));
  }
  const DataType type = input.type;
  if (type != DataType::kFloat32 && !internal::IsQuantized(type)) {
    return MakeError(kOp, std::string("input: unsupported type ") + DataTypeName(type));
  }
  CORALPI_RETURN_IF_ERROR(internal::CheckType(kOp, "output", output, type));
  if (type == DataType::kFloat32) {
    const float* in = input.as<const float>();
    float* out = output.as<float>();
    for (int32_t n = 0; n < batch; ++n) {
      for (int32_t c = 0; c < channels; ++c) {
        float sum = 0.0f;
        for (int64_t i = 0; i < spatial; ++i) sum += in[(n * spatial + i) * channels + c];
        out[static_cast<int64_t>(n) * channels + c] = sum / static_cast<float>(spatial);
      }
    }
    return OkStatus();
  }
  CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "output", output));
  if (type == DataType::kUInt8) {
    RunQuantizedMean<uint8_t>(input, output, batch, spatial, channels);
  } else {
    RunQuantizedMean<int8_t>(input, output, batch, spatial, channels);
  }
  return OkStatus();
}

}  // namespace coralpi::reference
