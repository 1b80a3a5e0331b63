// FULLY_CONNECTED: the input flattened to [batch, in] (in = weights' second dimension) times
// weights [out, in], plus bias. Output [batch, out], or with keep_num_dims the input's leading
// dimensions followed by out. Same arithmetic as CONV_2D (reference.h); per-channel int8
// weights along axis 0 are accepted although XNNPACK needs them rewritten as a 1x1 conv.
#include <algorithm>
#include <cstdint>
#include <type_traits>

#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

using internal::ChannelRequant;

constexpr const char* kOp = "FULLY_CONNECTED";

template <typename T>
void RunFullyConnected(int64_t batch, int32_t in_n, int32_t out_n, const T* in, const T* weights,
                       const TensorView* bias, T* out, const ChannelRequant& rq, Activation act) {
  using Acc = std::conditional_t<std::is_same_v<T, float>, float, int64_t>;
  float flo = 0, fhi = 0;
  FloatActivationRange(act, &flo, &fhi);
  for (int64_t b = 0; b < batch; ++b) {
    const T* x = in + b * in_n;
    for (int32_t oc = 0; oc < out_n; ++oc) {
      const T* w = weights + static_cast<int64_t>(oc) * in_n;
      Acc acc = internal::InitialAccumulator<T, Acc>(bias, oc);
      if constexpr (std::is_same_v<T, float>) {
        for (int32_t i = 0; i < in_n; ++i) acc += x[i] * w[i];
        out[b * out_n + oc] = std::min(std::max(acc, flo), fhi);
      } else {
        const int32_t x_zp = rq.input_zero_point;
        const int32_t w_zp = rq.filter_zero_point[oc];
        for (int32_t i = 0; i < in_n; ++i) {
          acc += (static_cast<int32_t>(x[i]) - x_zp) * (static_cast<int32_t>(w[i]) - w_zp);
        }
        // int32 wrap-around, as XNNPACK's int32 accumulators.
        out[b * out_n + oc] = static_cast<T>(internal::RequantizeFp32(
            static_cast<int32_t>(acc), rq.scale[oc], rq.output_zero_point, rq.range));
      }
    }
  }
}

}  // namespace

Status FullyConnected(const FullyConnectedOptions& opt, const TensorView& input,
                      const TensorView& weights, const TensorView* bias, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckActivation(kOp, opt.activation));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "weights", weights));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "output", output));
  CORALPI_RETURN_IF_ERROR(internal::CheckRank(kOp, "weights", weights, 2));
  const int32_t out_n = weights.dim(0);
  const int32_t in_n = weights.dim(1);
  if (in_n <= 0 || out_n <= 0) {
    return MakeError(kOp, "weights: empty shape " + ShapeToString(weights.shape));
  }
  if (input.shape.empty() || input.num_elements() % in_n != 0) {
    return MakeError(kOp, "input " + ShapeToString(input.shape) + " does not split into rows of " +
                              std::to_string(in_n));
  }
  if (opt.keep_num_dims && input.shape.back() != in_n) {
    return MakeError(kOp, "keep_num_dims: input " + ShapeToString(input.shape) + " must end in " +
                              std::to_string(in_n));
  }
  const int64_t batch = input.num_elements() / in_n;
  if (output.shape.empty() || output.shape.back() != out_n ||
      output.num_elements() != batch * out_n) {
    return MakeError(kOp, "output: shape " + ShapeToString(output.shape) + ", expected " +
                              std::to_string(batch) + " rows of " + std::to_string(out_n));
  }
  CORALPI_RETURN_IF_ERROR(
      internal::CheckConvTypes(kOp, input, weights, bias, output, out_n, /*axis=*/0));
  if (batch == 0) return OkStatus();

  switch (input.type) {
    case DataType::kFloat32:
      RunFullyConnected(batch, in_n, out_n, input.as<const float>(), weights.as<const float>(),
                        bias, output.as<float>(), {}, opt.activation);
      break;
    case DataType::kUInt8:
      RunFullyConnected(batch, in_n, out_n, input.as<const uint8_t>(), weights.as<const uint8_t>(),
                        bias, output.as<uint8_t>(),
                        internal::MakeChannelRequant(input, weights, output, out_n, opt.activation),
                        opt.activation);
      break;
    default:
      RunFullyConnected(batch, in_n, out_n, input.as<const int8_t>(), weights.as<const int8_t>(),
                        bias, output.as<int8_t>(),
                        internal::MakeChannelRequant(input, weights, output, out_n, opt.activation),
                        opt.activation);
      break;
  }
  return OkStatus();
}

}  // namespace coralpi::reference
