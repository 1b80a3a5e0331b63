// DEPTHWISE_CONV_2D: NHWC input, 1HW(C*M) filter; output channel ic * M + m reads input
// channel ic. Same arithmetic as CONV_2D (reference.h); per-channel quantization along axis 3.
// The multiplier M is derived from the shapes (filter channels / input channels), as TFLite does
// for models whose depth_multiplier option is unreliable.
#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

using internal::ChannelRequant;
using internal::Window2D;

constexpr const char* kOp = "DEPTHWISE_CONV_2D";

struct DepthwiseGeometry {
  int32_t batch, in_h, in_w, in_c;
  int32_t multiplier, out_c, filter_h, filter_w;
  int32_t stride_h, stride_w, dilation_h, dilation_w;
  Window2D window;
};

template <typename T>
void RunDepthwise(const DepthwiseGeometry& g, const T* in, const T* filter, const TensorView* bias,
                  T* out, const ChannelRequant& rq, Activation act) {
  using Acc = std::conditional_t<std::is_same_v<T, float>, float, int64_t>;
  float flo = 0, fhi = 0;
  FloatActivationRange(act, &flo, &fhi);
  const int32_t x_zp = rq.input_zero_point;
  for (int32_t n = 0; n < g.batch; ++n) {
    for (int32_t oy = 0; oy < g.window.out_h; ++oy) {
      for (int32_t ox = 0; ox < g.window.out_w; ++ox) {
        T* o =
            out + ((static_cast<int64_t>(n) * g.window.out_h + oy) * g.window.out_w + ox) * g.out_c;
        for (int32_t oc = 0; oc < g.out_c; ++oc) {
          const int32_t ic = oc / g.multiplier;
          Acc acc = internal::InitialAccumulator<T, Acc>(bias, oc);
          const int32_t w_zp = std::is_same_v<T, float> ? 0 : rq.filter_zero_point[oc];
          for (int32_t ky = 0; ky < g.filter_h; ++ky) {
            const int32_t iy = oy * g.stride_h - g.window.pad_top + ky * g.dilation_h;
            if (iy < 0 || iy >= g.in_h) continue;
            for (int32_t kx = 0; kx < g.filter_w; ++kx) {
              const int32_t ix = ox * g.stride_w - g.window.pad_left + kx * g.dilation_w;
              if (ix < 0 || ix >= g.in_w) continue;
              const T x = in[((static_cast<int64_t>(n) * g.in_h + iy) * g.in_w + ix) * g.in_c + ic];
              const T w = filter[(static_cast<int64_t>(ky) * g.filter_w + kx) * g.out_c + oc];
              if constexpr (std::is_same_v<T, float>) {
                acc += x * w;
              } else {
                acc += (static_cast<int32_t>(x) - x_zp) * (static_cast<int32_t>(w) - w_zp);
              }
            }
          }
          if constexpr (std::is_same_v<T, float>) {
            o[oc] = std::min(std::max(acc, flo), fhi);
          } else {
            // int32 wrap-around, as XNNPACK's int32 accumulators.
            o[oc] = static_cast<T>(internal::RequantizeFp32(static_cast<int32_t>(acc), rq.scale[oc],
                                                            rq.output_zero_point, rq.range));
          }
        }
      }
    }
  }
}

}  // namespace

Status DepthwiseConv2D(const DepthwiseConv2DOptions& opt, const TensorView& input,
                       const TensorView& filter, const TensorView* bias, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckActivation(kOp, opt.activation));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "filter", filter));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "output", output));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(kOp, "input", input, 4));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(kOp, "filter", filter, 4));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(kOp, "output", output, 4));
  if (filter.dim(0) != 1) {
    return MakeError(kOp, "filter: expected [1, H, W, C*M], got " + ShapeToString(filter.shape));
  }
  DepthwiseGeometry g{};
  g.batch = input.dim(0);
  g.in_h = input.dim(1);
  g.in_w = input.dim(2);
  g.in_c = input.dim(3);
  g.out_c = filter.dim(3);
  g.filter_h = filter.dim(1);
  g.filter_w = filter.dim(2);
  if (g.in_c <= 0 || g.out_c % g.in_c != 0 || g.out_c == 0) {
    return MakeError(kOp, "filter has " + std::to_string(g.out_c) +
                              " channels, not a positive multiple of the input's " +
                              std::to_string(g.in_c));
  }
  g.multiplier = g.out_c / g.in_c;
  g.stride_h = opt.stride_h;
  g.stride_w = opt.stride_w;
  g.dilation_h = opt.dilation_h;
  g.dilation_w = opt.dilation_w;
  CORALPI_ASSIGN_OR_RETURN(
      g.window, internal::ComputeWindow2D(kOp, opt.padding, g.in_h, g.in_w, g.filter_h, g.filter_w,
                                          g.stride_h, g.stride_w, g.dilation_h, g.dilation_w));
  CORALPI_RETURN_IF_ERROR(internal::CheckOutputNHWC(kOp, output, g.batch, g.window, g.out_c));
  CORALPI_RETURN_IF_ERROR(
      internal::CheckConvTypes(kOp, input, filter, bias, output, g.out_c, /*axis=*/3));
  if (output.num_elements() == 0) return OkStatus();

  switch (input.type) {
    case DataType::kFloat32:
      RunDepthwise(g, input.as<const float>(), filter.as<const float>(), bias, output.as<float>(),
                   {}, opt.activation);
      break;
    case DataType::kUInt8:
      RunDepthwise(g, input.as<const uint8_t>(), filter.as<const uint8_t>(), bias,
                   output.as<uint8_t>(),
                   internal::MakeChannelRequant(input, filter, output, g.out_c, opt.activation),
                   opt.activation);
      break;
    default:
      RunDepthwise(g, input.as<const int8_t>(), filter.as<const int8_t>(), bias,
                   output.as<int8_t>(),
                   internal::MakeChannelRequant(input, filter, output, g.out_c, opt.activation),
                   opt.activation);
      break;
  }
  return OkStatus();
}

}  // namespace coralpi::reference
