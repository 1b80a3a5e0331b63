// MUL: elementwise product of two tensors of one type (float32, uint8, int8, int32, int64), of
// equal shape or broadcast up to 4-D, with a fused activation. Quantized products are
// requantized with XNNPACK's fp32 rule where XNNPACK takes the node, TensorFlow Lite's
// fixed-point rule elsewhere (reference.h).
#include <algorithm>
#include <cstdint>

#include "engine/reference/broadcast.h"
#include "engine/reference/fixed_point.h"
#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

constexpr const char* kOp = "MUL";

using internal::Broadcast4D;

template <typename T>
void RunQuantized(const AddOptions& opt, const Broadcast4D& bc, const TensorView& a,
                  const TensorView& b, const TensorView& out) {
  const int32_t a_zp = a.zero_point(), b_zp = b.zero_point(), out_zp = out.zero_point();
  const float scale = a.scale() * b.scale() / out.scale();
  const ActivationRange xnn_range =
      QuantizedActivationRange(opt.activation, out.type, out.scale(), out_zp);
  if (XnnpackTakesMul(a.scale(), b.scale(), out.scale(), xnn_range)) {
    internal::BroadcastBinaryTabulated<T>(bc, a, b, out, [&](T x, T y) {
      const int32_t acc = (x - a_zp) * (y - b_zp);
      return static_cast<T>(internal::RequantizeFp32(acc, scale, out_zp, xnn_range));
    });
    return;
  }
  const internal::FixedMultiplier m = internal::QuantizeMultiplier(scale);
  const ActivationRange range =
      internal::TfliteActivationRange(opt.activation, out.type, out.scale(), out_zp);
  internal::BroadcastBinaryTabulated<T>(bc, a, b, out, [&](T x, T y) {
    const int32_t v = internal::MultiplyByQuantizedMultiplier((x - a_zp) * (y - b_zp), m) + out_zp;
    return static_cast<T>(std::clamp(v, range.lo, range.hi));
  });
}

template <typename T>
void RunInteger(Activation act, const Broadcast4D& bc, const TensorView& a, const TensorView& b,
                const TensorView& out) {
  T lo, hi;
  internal::IntegerActivationRange(act, &lo, &hi);
  internal::BroadcastBinary<T, T, T>(
      bc, a, b, out, [&](T x, T y) { return std::clamp(internal::WrappingMul(x, y), lo, hi); });
}

}  // namespace

bool XnnpackTakesMul(float a_scale, float b_scale, float out_scale, ActivationRange range) {
  if (!internal::IsNormalPositive(a_scale) || !internal::IsNormalPositive(b_scale) ||
      !internal::IsNormalPositive(out_scale) || range.lo >= range.hi) {
    return false;
  }
  const float s = a_scale * b_scale / out_scale;
  return s >= 0x1.0p-16f && s < 0x1.0p+8f;
}

Status Mul(const AddOptions& opt, const TensorView& a, const TensorView& b,
           const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckActivation(kOp, opt.activation));
  CORALPI_RETURN_IF_ERROR(internal::CheckBinaryTypes(kOp, a, b, output));
  CORALPI_ASSIGN_OR_RETURN(const Broadcast4D bc, internal::MakeBroadcast4D(kOp, a, b, output));
  if (output.num_elements() == 0) return OkStatus();
  switch (output.type) {
    case DataType::kFloat32: {
      float lo = 0, hi = 0;
      FloatActivationRange(opt.activation, &lo, &hi);
      internal::BroadcastBinary<float, float, float>(
          bc, a, b, output, [&](float x, float y) { return std::min(std::max(x * y, lo), hi); });
      return OkStatus();
    }
    case DataType::kInt32:
      RunInteger<int32_t>(opt.activation, bc, a, b, output);
      return OkStatus();
    case DataType::kInt64:
      RunInteger<int64_t>(opt.activation, bc, a, b, output);
      return OkStatus();
    case DataType::kUInt8:
    case DataType::kInt8:
      CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "input 0", a));
      CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "input 1", b));
      CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "output", output));
      output.type == DataType::kUInt8 ? RunQuantized<uint8_t>(opt, bc, a, b, output)
                                      : RunQuantized<int8_t>(opt, bc, a, b, output);
      return OkStatus();
    default:
      return MakeError(kOp, std::string("output: unsupported type ") + DataTypeName(output.type));
  }
}

}  // namespace coralpi::reference
