// TensorView: what a kernel sees of a tensor: its element type, shape, quantization and memory.
#pragma once

#include <cstdint>

#include "model/types.h"

namespace coralpi {

struct TensorView {
  DataType type = DataType::kFloat32;
  Shape shape;
  const Quantization* quant = nullptr;  // null or empty for float tensors
  void* data = nullptr;

  template <typename T>
  T* as() const {
    return static_cast<T*>(data);
  }
  int64_t num_elements() const { return NumElements(shape); }
  int32_t dim(int i) const { return shape[static_cast<size_t>(i)]; }
  float scale(size_t i = 0) const { return quant->scale[quant->per_channel() ? i : 0]; }
  int32_t zero_point(size_t i = 0) const {
    return static_cast<int32_t>(quant->zero_point[quant->zero_point.size() > 1 ? i : 0]);
  }
};

}  // namespace coralpi
