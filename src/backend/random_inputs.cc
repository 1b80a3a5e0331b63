#include "backend/random_inputs.h"

namespace coralpi {

void FillRandomTensor(TensorView in, std::mt19937& rng) {
  size_t bytes = static_cast<size_t>(in.num_elements()) * ElementSize(in.type);
  auto* p = static_cast<uint8_t*>(in.data);
  if (in.type == DataType::kFloat32) {
    std::uniform_real_distribution<float> d(-1.0f, 1.0f);
    for (int64_t k = 0; k < in.num_elements(); ++k) in.as<float>()[k] = d(rng);
  } else {
    for (size_t k = 0; k < bytes; ++k) p[k] = static_cast<uint8_t>(rng());
  }
}

void FillRandomInputs(Backend& e, uint32_t seed) {
  std::mt19937 rng(seed);
  for (size_t i = 0; i < e.input_count(); ++i) FillRandomTensor(e.input(i), rng);
}

}  // namespace coralpi
