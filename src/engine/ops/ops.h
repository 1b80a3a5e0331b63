// The operator entries, one per file in this folder; op_table.cc lists them.
#pragma once

#include "engine/op_kernel.h"

namespace coralpi::ops {

extern const OpKernel kConv2D;
extern const OpKernel kDepthwiseConv2D;
extern const OpKernel kFullyConnected;
extern const OpKernel kAdd;
extern const OpKernel kAveragePool2D;
extern const OpKernel kMean;
extern const OpKernel kSoftmax;
extern const OpKernel kQuantize;
extern const OpKernel kDequantize;
extern const OpKernel kReshape;
extern const OpKernel kSqueeze;
extern const OpKernel kMaxPool2D;
extern const OpKernel kResizeBilinear;
extern const OpKernel kResizeNearestNeighbor;
extern const OpKernel kDetectionPostProcess;

}  // namespace coralpi::ops
