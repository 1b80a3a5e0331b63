// QUANTIZE (float32 -> uint8/int8/int16, or requantization between uint8/int8 tensors) and
// DEQUANTIZE (uint8/int8/int16 -> float32, per-tensor or per-channel along quant->axis; float16
// -> float32, exactly, as TensorFlow Lite's float16 exports use it).
#include <algorithm>
#include <cmath>
#include <cstring>

#include "engine/reference/fixed_point.h"
#include "engine/reference/float16.h"
#include "engine/reference/kernel_util.h"
#include "engine/reference/reference.h"

namespace coralpi::reference {
namespace {

Status CheckSameShape(const char* op, const TensorView& input, const TensorView& output) {
  if (input.shape != output.shape) {
    return MakeError(op, "input " + ShapeToString(input.shape) + " and output " +
                             ShapeToString(output.shape) + " differ");
  }
  return OkStatus();
}

bool IsIntegerType(DataType t) { return internal::IsQuantized(t) || t == DataType::kInt16; }

// Calls f(T{}) with the storage type of a uint8, int8 or int16 tensor (IsIntegerType), so that
// the per-element loops below are typed, not a type switch per element.
template <typename F>
void VisitIntegerType(DataType type, F&& f) {
  if (type == DataType::kUInt8) {
    f(uint8_t{});
  } else if (type == DataType::kInt8) {
    f(int8_t{});
  } else {
    f(int16_t{});
  }
}

}  // namespace

Status Quantize(const TensorView& input, const TensorView& output) {
  constexpr const char* kOp = "QUANTIZE";
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "output", output));
  CORALPI_RETURN_IF_ERROR(CheckSameShape(kOp, input, output));
  if (!IsIntegerType(output.type)) {
    return MakeError(kOp, std::string("output: unsupported type ") + DataTypeName(output.type));
  }
  CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "output", output));
  const float out_scale = output.scale();
  const int32_t out_zp = output.zero_point();
  const ActivationRange range = internal::TypeRange(output.type);
  const int64_t n = input.num_elements();

  if (input.type == DataType::kFloat32) {
    const float* in = input.as<const float>();
    VisitIntegerType(output.type, [&](auto t) {
      using T = decltype(t);
      T* out = output.as<T>();
      for (int64_t i = 0; i < n; ++i) {
        out[i] = static_cast<T>(internal::QuantizeRounded(in[i], out_scale, out_zp, range));
      }
    });
    return OkStatus();
  }
  if (!IsIntegerType(input.type)) {
    return MakeError(kOp, std::string("input: unsupported type ") + DataTypeName(input.type));
  }
  CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "input", input));
  const internal::FixedMultiplier m = internal::QuantizeMultiplier(
      static_cast<double>(input.scale()) / static_cast<double>(out_scale));
  const int32_t in_zp = input.zero_point();
  auto requantize = [&](int32_t q) {
    return std::clamp(internal::MultiplyByQuantizedMultiplier(q - in_zp, m) + out_zp, range.lo,
                      range.hi);
  };
  const bool byte_to_byte = ElementSize(input.type) == 1 && ElementSize(output.type) == 1;
  if (byte_to_byte) {
    // 8-bit to 8-bit (e.g. a model's uint8 input feeding an int8 graph): the same formula,
    // tabulated once for the 256 possible inputs; a single pass over 150k pixels then.
    // Indexed by the stored byte. When the table is the flip of the top bit (uint8 <-> int8 with
    // one scale and zero points 128 apart), a word-wide XOR does it instead of lookups.
    const bool is_signed = input.type == DataType::kInt8;
    uint8_t table[256];
    bool flip = true;
    for (int32_t b = 0; b < 256; ++b) {
      const int32_t q = is_signed ? static_cast<int8_t>(b) : b;
      table[b] = static_cast<uint8_t>(requantize(q));
      flip = flip && table[b] == (b ^ 0x80);
    }
    const uint8_t* in = static_cast<const uint8_t*>(input.data);
    uint8_t* out = static_cast<uint8_t*>(output.data);
    if (flip) {
      // Eight bytes at a time (the compiler does not vectorize the byte loop: in and out may
      // be the same memory).
      int64_t i = 0;
      for (; i + 8 <= n; i += 8) {
        uint64_t word;
        std::memcpy(&word, in + i, sizeof(word));
        word ^= 0x8080808080808080u;
        std::memcpy(out + i, &word, sizeof(word));
      }
      for (; i < n; ++i) out[i] = static_cast<uint8_t>(in[i] ^ 0x80);
    } else {
      for (int64_t i = 0; i < n; ++i) out[i] = table[in[i]];
    }
    return OkStatus();
  }
  for (int64_t i = 0; i < n; ++i) {
    internal::StoreInt(output, i, requantize(internal::LoadInt(input, i)));
  }
  return OkStatus();
}

Status Dequantize(const TensorView& input, const TensorView& output) {
  constexpr const char* kOp = "DEQUANTIZE";
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "input", input));
  CORALPI_RETURN_IF_ERROR(internal::CheckTensor(kOp, "output", output));
  CORALPI_RETURN_IF_ERROR(CheckSameShape(kOp, input, output));
  CORALPI_RETURN_IF_ERROR(internal::CheckType(kOp, "output", output, DataType::kFloat32));
  if (input.type == DataType::kFloat16) {
    const uint16_t* in = input.as<const uint16_t>();
    float* out = output.as<float>();
    for (int64_t i = 0, n = input.num_elements(); i < n; ++i) out[i] = HalfToFloat(in[i]);
    return OkStatus();
  }
  if (!IsIntegerType(input.type)) {
    return MakeError(kOp, std::string("input: unsupported type ") + DataTypeName(input.type));
  }
  const int64_t n = input.num_elements();
  float* out = output.as<float>();
  if (input.quant != nullptr &&
      (input.quant->scale.size() > 1 || input.quant->zero_point.size() > 1)) {
    const int32_t axis = input.quant->axis;
    if (axis < 0 || static_cast<size_t>(axis) >= input.shape.size()) {
      return MakeError(kOp, "input: quantization axis " + std::to_string(axis) + " outside shape " +
                                ShapeToString(input.shape));
    }
    CORALPI_RETURN_IF_ERROR(
        internal::CheckChannelQuant(kOp, "input", input, input.dim(axis), axis));
    int64_t inner = 1;
    for (size_t d = static_cast<size_t>(axis) + 1; d < input.shape.size(); ++d) {
      inner *= input.shape[d];
    }
    const int64_t channels = input.dim(axis);
    for (int64_t i = 0; i < n; ++i) {
      const size_t c = static_cast<size_t>((i / inner) % channels);
      out[i] =
          static_cast<float>(internal::LoadInt(input, i) - input.zero_point(c)) * input.scale(c);
    }
    return OkStatus();
  }
  CORALPI_RETURN_IF_ERROR(internal::CheckPerTensorQuant(kOp, "input", input));
  const float scale = input.scale();
  const int32_t zp = input.zero_point();
  VisitIntegerType(input.type, [&](auto t) {
    using T = decltype(t);
    const T* in = input.as<const T>();
    for (int64_t i = 0; i < n; ++i) out[i] = static_cast<float>(in[i] - zp) * scale;
  });
  return OkStatus();
}

}  // namespace coralpi::reference
