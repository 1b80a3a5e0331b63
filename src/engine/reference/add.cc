// ADD and SUB: elementwise sum and difference of two tensors of one type, of equal shape or
// broadcast by numpy rules up to 4-D, with a fused activation. Quantized inputs are rescaled
// with XNNPACK's 20-bit fixed-point multipliers and a rounding shift (reference.h); SUB cases
// XNNPACK rejects follow TensorFlow Lite's rescaling instead. SUB also takes int32 and int64.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>

#include "engine/reference/broadcast.h"
#include "engine/reference/fixed_point.h"
#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

using internal::Broadcast4D;

// XNNPACK's add/subtract parameters: b_mult is negative for SUB.
struct XnnAddSubParams {
  int32_t a_zp = 0, b_zp = 0, out_zp = 0;
  int32_t a_mult = 0, b_mult = 0, shift = 0;
  ActivationRange range{0, 0};
};

Result<XnnAddSubParams> MakeXnnParams(const char* op, const TensorView& a, const TensorView& b,
                                      const TensorView& out, Activation act, bool subtract) {
  XnnAddSubParams p;
  p.a_zp = a.zero_point();
  p.b_zp = b.zero_point();
  p.out_zp = out.zero_point();
  const float a_s = a.scale() / out.scale();
  const float b_s = b.scale() / out.scale();
  const float max_s = std::max(a_s, b_s);
  const int32_t exponent = static_cast<int32_t>(std::bit_cast<uint32_t>(max_s) >> 23) - 127;
  p.shift = 20 - exponent;
  if (!std::isfinite(max_s) || p.shift < 1 || p.shift > 30) {
    return MakeError(
        op, "input-to-output scale ratio " + std::to_string(max_s) + " outside [2^-10, 2^20)");
  }
  p.a_mult = static_cast<int32_t>(std::lrintf(std::ldexp(a_s, p.shift)));
  p.b_mult = static_cast<int32_t>(std::lrintf(std::ldexp(b_s, p.shift)));
  if (subtract) p.b_mult = -p.b_mult;
  p.range = QuantizedActivationRange(act, out.type, out.scale(), p.out_zp);
  return p;
}

template <typename T>
void RunXnnAddSub(const XnnAddSubParams& p, const Broadcast4D& bc, const TensorView& a,
                  const TensorView& b, const TensorView& out) {
  const int64_t rounding = int64_t{1} << (p.shift - 1);
  internal::BroadcastBinaryTabulated<T>(bc, a, b, out, [&](T x, T y) {
    // int32 wrap-around, as XNNPACK's int32 accumulator.
    const int32_t acc =
        static_cast<int32_t>((static_cast<int64_t>(x) - p.a_zp) * p.a_mult +
                             (static_cast<int64_t>(y) - p.b_zp) * p.b_mult + rounding);
    const int32_t v = std::clamp(acc >> p.shift, p.range.lo - p.out_zp, p.range.hi - p.out_zp);
    return static_cast<T>(v + p.out_zp);
  });
}

// TensorFlow Lite's general 8-bit SUB (reference.h).
struct TfliteSubParams {
  int32_t a_zp = 0, b_zp = 0, out_zp = 0;
  internal::FixedMultiplier a, b, out;
  ActivationRange range{0, 0};
};

TfliteSubParams MakeTfliteSubParams(const TensorView& a, const TensorView& b, const TensorView& out,
                                    Activation act) {
  TfliteSubParams p;
  p.a_zp = a.zero_point();
  p.b_zp = b.zero_point();
  p.out_zp = out.zero_point();
  const double twice = 2.0 * std::max(a.scale(), b.scale());
  p.a = internal::QuantizeMultiplier(a.scale() / twice);
  p.b = internal::QuantizeMultiplier(b.scale() / twice);
  p.out = internal::QuantizeMultiplier(twice / static_cast<double>((1 << 20) * out.scale()));
  p.range = internal::TfliteActivationRange(act, out.type, out.scale(), p.out_zp);
  return p;
}

template <typename T>
void RunTfliteSub(const TfliteSubParams& p, const Broadcast4D& bc, const TensorView& a,
                  const TensorView& b, const TensorView& out) {
  using internal::MultiplyByQuantizedMultiplier;
  internal::BroadcastBinaryTabulated<T>(bc, a, b, out, [&](T x, T y) {
    const int32_t xa = MultiplyByQuantizedMultiplier((x - p.a_zp) * (1 << 20), p.a);
    const int32_t xb = MultiplyByQuantizedMultiplier((y - p.b_zp) * (1 << 20), p.b);
    const int32_t v = MultiplyByQuantizedMultiplier(xa - xb, p.out) + p.out_zp;
    return static_cast<T>(std::clamp(v, p.range.lo, p.range.hi));
  });
}

template <typename T>
void RunInteger(Activation act, bool subtract, const Broadcast4D& bc, const TensorView& a,
                const TensorView& b, const TensorView& out) {
  T lo, hi;
  internal::IntegerActivationRange(act, &lo, &hi);
  internal::BroadcastBinary<T, T, T>(bc, a, b, out, [&](T x, T y) {
    const T v = subtract ? internal::WrappingSub(x, y) : internal::WrappingAdd(x, y);
    return std::clamp(v, lo, hi);
  });
}

Status AddSub(const char* op, bool subtract, const AddOptions& opt, const TensorView& a,
              const TensorView& b, const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckActivation(op, opt.activation));
  CORALPI_RETURN_IF_ERROR(internal::CheckBinaryTypes(op, a, b, output));
  const DataType type = output.type;
  const bool integer = type == DataType::kInt32 || type == DataType::kInt64;
  if (type != DataType::kFloat32 && !internal::IsQuantized(type) && !(subtract && integer)) {
    return MakeError(op, std::string("output: unsupported type ") + DataTypeName(type));
  }
  CORALPI_ASSIGN_OR_RETURN(const Broadcast4D bc, internal::MakeBroadcast4D(op, a, b, output));
  if (output.num_elements() == 0) return OkStatus();

  if (type == DataType::kFloat32) {
    float lo = 0, hi = 0;
    FloatActivationRange(opt.activation, &lo, &hi);
    internal::BroadcastBinary<float, float, float>(bc, a, b, output, [&](float x, float y) {
      return std::min(std::max(subtract ? x - y : x + y, lo), hi);
    });
    return OkStatus();
  }
  if (type == DataType::kInt32) {
    RunInteger<int32_t>(opt.activation, subtract, bc, a, b, output);
    return OkStatus();
  }
  if (type == DataType::kInt64) {
    RunInteger<int64_t>(opt.activation, subtract, bc, a, b, output);
    return OkStatus();
  }
  CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(op, "input 0", a));
  CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(op, "input 1", b));
  CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(op, "output", output));
  // ADD keeps XNNPACK's rule everywhere it is defined; SUB switches to TFLite's where XNNPACK
  // rejects the node.
  const bool xnn_rule =
      !subtract || XnnpackTakesAddSub(a.scale(), b.scale(), output.scale(),
                                      QuantizedActivationRange(opt.activation, type, output.scale(),
                                                               output.zero_point()));
  const bool uint8 = type == DataType::kUInt8;
  if (xnn_rule) {
    CORALPI_ASSIGN_OR_RETURN(const XnnAddSubParams p,
                             MakeXnnParams(op, a, b, output, opt.activation, subtract));
    uint8 ? RunXnnAddSub<uint8_t>(p, bc, a, b, output) : RunXnnAddSub<int8_t>(p, bc, a, b, output);
  } else {
    const TfliteSubParams p = MakeTfliteSubParams(a, b, output, opt.activation);
    uint8 ? RunTfliteSub<uint8_t>(p, bc, a, b, output) : RunTfliteSub<int8_t>(p, bc, a, b, output);
  }
  return OkStatus();
}

}  // namespace

bool XnnpackTakesAddSub(float a_scale, float b_scale, float out_scale, ActivationRange range) {
  if (!internal::IsNormalPositive(a_scale) || !internal::IsNormalPositive(b_scale) ||
      !internal::IsNormalPositive(out_scale) || range.lo >= range.hi) {
    return false;
  }
  for (float s : {a_scale / out_scale, b_scale / out_scale}) {
    if (!(s >= 0x1.0p-10f && s < 0x1.0p+8f)) return false;
  }
  return true;
}

Status Add(const AddOptions& opt, const TensorView& a, const TensorView& b,
           const TensorView& output) {
  return AddSub("ADD", false, opt, a, b, output);
}

Status Sub(const AddOptions& opt, const TensorView& a, const TensorView& b,
           const TensorView& output) {
  return AddSub("SUB", true, opt, a, b, output);
}

}  // namespace coralpi::reference
