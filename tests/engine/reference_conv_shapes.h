// TFLite's output-size rule, written out independently of the engine for the tests:
// SAME: ceil(in / stride); VALID: ceil((in - (k - 1) * dilation) / stride).
#pragma once

#include "model/types.h"

namespace coralpi::testing {

inline int OutSize(Padding p, int in, int k, int stride, int dilation) {
  int effective = (k - 1) * dilation + 1;
  if (p == Padding::kSame) return (in + stride - 1) / stride;
  return in >= effective ? (in - effective + stride) / stride : 0;
}

}  // namespace coralpi::testing
