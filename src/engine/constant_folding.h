// Constant folding when a model is loaded: a DEQUANTIZE whose input is a float16 constant (how
// TensorFlow Lite's float16 exports store every weight and bias) becomes a float32 constant, so
// that its consumers (CONV_2D, ADD, ...) see float weights, as in a float32 model, and run on
// XNNPACK. TensorFlow Lite's XNNPACK delegate does the same (its DEQUANTIZE nodes never run: the
// float16 static tensors are unpacked to float32 when the delegate is built).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/cpu_engine.h"
#include "model/model.h"

namespace coralpi {

struct FoldedConstants {
  std::vector<NodePlacement> nodes;        // one per operator folded away, in execution order
  std::vector<std::vector<uint8_t>> data;  // the new constants' bytes; the graph points into them
};

// Folds the DEQUANTIZE operators of `g` whose input is a float16 constant and whose output is a
// float32 tensor of the same shape that is not a graph output: each output gets the float32
// values as its constant data and the operator leaves g.operators. The spans into `data` stay
// valid when the result is moved. Operators it cannot fold stay for the load-time checks.
FoldedConstants FoldFloat16Constants(Subgraph& g);

}  // namespace coralpi
