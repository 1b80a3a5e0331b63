// Hand-made YOLO output tensors for the decoder tests: values given as reals, stored as float32 or
// quantized to uint8 / int8 with a chosen scale and zero point.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "engine/tensor_view.h"

namespace coralpi::testing {

struct FakeTensor {
  Shape shape;
  DataType type = DataType::kFloat32;
  Quantization quant;
  std::vector<float> f;
  std::vector<uint8_t> bytes;  // uint8 or int8 values

  // `real` in memory order, as float32.
  static FakeTensor Float(Shape shape, std::vector<float> real) {
    FakeTensor t;
    t.shape = std::move(shape);
    t.f = std::move(real);
    return t;
  }
  // `real` in memory order, quantized: q = round(real / scale) + zero_point, saturated.
  static FakeTensor Quantized(DataType type, float scale, int zero_point, Shape shape,
                              const std::vector<float>& real) {
    FakeTensor t;
    t.shape = std::move(shape);
    t.type = type;
    t.quant.scale = {scale};
    t.quant.zero_point = {zero_point};
    const long lo = type == DataType::kInt8 ? -128 : 0, hi = type == DataType::kInt8 ? 127 : 255;
    for (float r : real) {
      long q = std::clamp(std::lround(r / scale) + zero_point, lo, hi);
      t.bytes.push_back(static_cast<uint8_t>(static_cast<int8_t>(q)));
    }
    return t;
  }
  TensorView view() {
    TensorView v;
    v.type = type;
    v.shape = shape;
    if (type == DataType::kFloat32) {
      v.data = f.data();
    } else {
      v.quant = &quant;
      v.data = bytes.data();
    }
    return v;
  }
};

// Rows of attributes (one vector per anchor) -> memory order of [1, attrs, anchors].
inline std::vector<float> AttributeMajor(const std::vector<std::vector<float>>& anchors) {
  std::vector<float> out;
  for (size_t a = 0; a < anchors[0].size(); ++a) {
    for (const auto& row : anchors) out.push_back(row[a]);
  }
  return out;
}

// Rows of attributes -> memory order of [1, anchors, attrs].
inline std::vector<float> AnchorMajor(const std::vector<std::vector<float>>& anchors) {
  std::vector<float> out;
  for (const auto& row : anchors) out.insert(out.end(), row.begin(), row.end());
  return out;
}

}  // namespace coralpi::testing
