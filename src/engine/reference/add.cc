// ADD: elementwise sum of two tensors of one type (float32, uint8, int8), of equal shape or
// broadcast by numpy rules up to 4-D, with a fused activation. Quantized inputs are rescaled
// with XNNPACK's 20-bit fixed-point multipliers and a rounding shift (reference.h).
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>

#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

constexpr const char* kOp = "ADD";

// A shape right-aligned into 4 dimensions, leading ones.
std::array<int32_t, 4> Pad4(const Shape& s) {
  std::array<int32_t, 4> d{1, 1, 1, 1};
  for (size_t i = 0; i < s.size(); ++i) d[4 - s.size() + i] = s[i];
  return d;
}

// Element strides of a padded input against the output: 0 along broadcast dimensions.
std::array<int64_t, 4> BroadcastStrides(const std::array<int32_t, 4>& in) {
  std::array<int64_t, 4> stride{};
  int64_t s = 1;
  for (int i = 3; i >= 0; --i) {
    stride[i] = in[i] == 1 ? 0 : s;
    s *= in[i];
  }
  return stride;
}

struct AddParams {
  int32_t a_zp = 0, b_zp = 0, out_zp = 0;
  int32_t a_mult = 0, b_mult = 0, shift = 0;
  ActivationRange range{0, 0};
};

// f(a_index, b_index, out_index) over the 4-D output.
template <typename F>
void ForEachBroadcast(const std::array<int32_t, 4>& out, const std::array<int64_t, 4>& sa,
                      const std::array<int64_t, 4>& sb, F&& f) {
  int64_t o = 0;
  for (int32_t i0 = 0; i0 < out[0]; ++i0) {
    for (int32_t i1 = 0; i1 < out[1]; ++i1) {
      for (int32_t i2 = 0; i2 < out[2]; ++i2) {
        const int64_t a = i0 * sa[0] + i1 * sa[1] + i2 * sa[2];
        const int64_t b = i0 * sb[0] + i1 * sb[1] + i2 * sb[2];
        for (int32_t i3 = 0; i3 < out[3]; ++i3) f(a + i3 * sa[3], b + i3 * sb[3], o++);
      }
    }
  }
}

Result<AddParams> MakeAddParams(const TensorView& a, const TensorView& b, const TensorView& out,
                                Activation act) {
  AddParams p;
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
        kOp, "input-to-output scale ratio " + std::to_string(max_s) + " outside [2^-10, 2^20)");
  }
  p.a_mult = static_cast<int32_t>(std::lrintf(std::ldexp(a_s, p.shift)));
  p.b_mult = static_cast<int32_t>(std::lrintf(std::ldexp(b_s, p.shift)));
  p.range = QuantizedActivationRange(act, out.type, out.scale(), p.out_zp);
  return p;
}

template <typename T>
void RunQuantizedAdd(const AddParams& p, const T* a, const T* b, T* out,
                     const std::array<int32_t, 4>& shape, const std::array<int64_t, 4>& sa,
                     const std::array<int64_t, 4>& sb) {
  const int64_t rounding = int64_t{1} << (p.shift - 1);
  ForEachBroadcast(shape, sa, sb, [&](int64_t ia, int64_t ib, int64_t io) {
    // int32 wrap-around, as XNNPACK's int32 accumulator.
    const int32_t acc =
        static_cast<int32_t>((static_cast<int64_t>(a[ia]) - p.a_zp) * p.a_mult +
                             (static_cast<int64_t>(b[ib]) - p.b_zp) * p.b_mult + rounding);
    int32_t v = acc >> p.shift;
    v = std::clamp(v, p.range.lo - p.out_zp, p.range.hi - p.out_zp);
    out[io] = static_cast<T>(v + p.out_zp);
  });
}

}  // namespace

Status Add(const AddOptions& opt, const TensorView& a, const TensorView& b,
           const TensorView& output) {
  CORALPI_RETURN_IF_ERROR(internal::CheckActivation(kOp, opt.activation));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "input 0", a));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "input 1", b));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "output", output));
  const DataType type = output.type;
  if (type != DataType::kFloat32 && !internal::IsQuantized(type)) {
    return MakeError(kOp, std::string("output: unsupported type ") + DataTypeName(type));
  }
  CORALPI_RETURN_IF_ERROR(internal::CheckType(kOp, "input 0", a, type));
  CORALPI_RETURN_IF_ERROR(internal::CheckType(kOp, "input 1", b, type));
  if (a.shape.size() > 4 || b.shape.size() > 4) {
    return MakeError(kOp, "inputs " + ShapeToString(a.shape) + " and " + ShapeToString(b.shape) +
                              ": more than 4 dimensions");
  }
  const std::array<int32_t, 4> da = Pad4(a.shape), db = Pad4(b.shape);
  Shape expected(std::max(a.shape.size(), b.shape.size()));
  std::array<int32_t, 4> dout{};
  for (int i = 0; i < 4; ++i) {
    if (da[i] != db[i] && da[i] != 1 && db[i] != 1) {
      return MakeError(kOp, "shapes " + ShapeToString(a.shape) + " and " + ShapeToString(b.shape) +
                                " do not broadcast");
    }
    dout[i] = da[i] == 1 ? db[i] : da[i];
  }
  for (size_t i = 0; i < expected.size(); ++i) expected[i] = dout[4 - expected.size() + i];
  if (output.shape != expected) {
    return MakeError(kOp, "output: shape " + ShapeToString(output.shape) + ", expected " +
                              ShapeToString(expected));
  }
  const std::array<int64_t, 4> sa = BroadcastStrides(da), sb = BroadcastStrides(db);
  if (output.num_elements() == 0) return OkStatus();

  if (type == DataType::kFloat32) {
    float lo = 0, hi = 0;
    FloatActivationRange(opt.activation, &lo, &hi);
    const float* pa = a.as<const float>();
    const float* pb = b.as<const float>();
    float* po = output.as<float>();
    ForEachBroadcast(dout, sa, sb, [&](int64_t ia, int64_t ib, int64_t io) {
      po[io] = std::min(std::max(pa[ia] + pb[ib], lo), hi);
    });
    return OkStatus();
  }
  CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "input 0", a));
  CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "input 1", b));
  CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "output", output));
  CORALPI_ASSIGN_OR_RETURN(const AddParams p, MakeAddParams(a, b, output, opt.activation));
  if (type == DataType::kUInt8) {
    RunQuantizedAdd(p, a.as<const uint8_t>(), b.as<const uint8_t>(), output.as<uint8_t>(), dout, sa,
                    sb);
  } else {
    RunQuantizedAdd(p, a.as<const int8_t>(), b.as<const int8_t>(), output.as<int8_t>(), dout, sa,
                    sb);
  }
  return OkStatus();
}

}  // namespace coralpi::reference
