// The smallest real .tflite the metadata tests append their zips to: input [1, 4] float -> RELU
// -> output, from the model builder.
#pragma once

#include <cstdint>
#include <vector>

#include "model/builder.h"

namespace coralpi::testing {

// The builder with the model in it, for tests that add metadata before Finish().
inline ModelBuilder TinyReluModelBuilder() {
  ModelBuilder b;
  int32_t in = b.AddTensor({"in", DataType::kFloat32, {1, 4}, {}, {}});
  int32_t out = b.AddTensor({"out", DataType::kFloat32, {1, 4}, {}, {}});
  b.AddOperator(OpCode::kRelu, {in}, {out});
  b.SetInputs({in});
  b.SetOutputs({out});
  return b;
}

inline std::vector<uint8_t> TinyReluModel() { return TinyReluModelBuilder().Finish(); }

}  // namespace coralpi::testing
