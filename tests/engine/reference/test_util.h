// Small owning tensors for the reference kernel tests: a TensorView needs its shape, its
// quantization and its data to live somewhere.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "model/types.h"

namespace coralpi::reference::testing {

template <typename T>
struct Tensor {
  DataType type = DataType::kFloat32;
  Shape shape;
  Quantization quant;
  std::vector<T> data;

  TensorView view() {
    return TensorView{type, CopyShape(shape), quant.empty() ? nullptr : &quant, data.data()};
  }

 private:
  // Not inlined: GCC 14 inlines the vector copy into tests whose shapes it knows and then warns
  // (-Warray-bounds) about a memmove one element past a one-element shape, which never runs.
  [[gnu::noinline]] static Shape CopyShape(const Shape& s) { return s; }
};

template <typename T>
constexpr DataType TypeOf() {
  if constexpr (std::is_same_v<T, float>) return DataType::kFloat32;
  if constexpr (std::is_same_v<T, uint8_t>) return DataType::kUInt8;
  if constexpr (std::is_same_v<T, int8_t>) return DataType::kInt8;
  if constexpr (std::is_same_v<T, int16_t>) return DataType::kInt16;
  if constexpr (std::is_same_v<T, int64_t>) return DataType::kInt64;
  return DataType::kInt32;
}

// An unquantized tensor (float, or int32 bias).
template <typename T>
Tensor<T> Make(Shape shape, std::vector<T> data) {
  return Tensor<T>{TypeOf<T>(), std::move(shape), {}, std::move(data)};
}

// A per-tensor quantized tensor.
template <typename T>
Tensor<T> MakeQ(Shape shape, std::vector<T> data, float scale, int64_t zero_point) {
  Tensor<T> t{TypeOf<T>(), std::move(shape), {}, std::move(data)};
  t.quant.scale = {scale};
  t.quant.zero_point = {zero_point};
  return t;
}

// A per-channel quantized tensor (zero points all 0) along `axis`.
template <typename T>
Tensor<T> MakePerChannel(Shape shape, std::vector<T> data, std::vector<float> scales,
                         int32_t axis) {
  Tensor<T> t{TypeOf<T>(), std::move(shape), {}, std::move(data)};
  t.quant.zero_point.assign(scales.size(), 0);
  t.quant.scale = std::move(scales);
  t.quant.axis = axis;
  return t;
}

// A zero-filled output of the given shape, quantized like `MakeQ` when scale > 0.
template <typename T>
Tensor<T> Output(Shape shape, float scale = 0.0f, int64_t zero_point = 0) {
  const int64_t n = NumElements(shape);
  Tensor<T> t{TypeOf<T>(), std::move(shape), {}, std::vector<T>(static_cast<size_t>(n))};
  if (scale > 0.0f) {
    t.quant.scale = {scale};
    t.quant.zero_point = {zero_point};
  }
  return t;
}

// The error message of a failed status, or "ok".
inline std::string Message(const Status& s) { return s.ok() ? "ok" : s.error().message; }

// Widens int8/uint8 vectors so that gtest prints numbers rather than characters.
template <typename T>
std::vector<int32_t> Ints(const std::vector<T>& v) {
  return std::vector<int32_t>(v.begin(), v.end());
}

}  // namespace coralpi::reference::testing
