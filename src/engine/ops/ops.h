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
extern const OpKernel kConcatenation;
extern const OpKernel kPack;
extern const OpKernel kUnpack;
extern const OpKernel kSplit;
extern const OpKernel kSplitV;
extern const OpKernel kStridedSlice;
extern const OpKernel kSlice;
extern const OpKernel kTranspose;
extern const OpKernel kPad;
extern const OpKernel kPadV2;
extern const OpKernel kGather;
extern const OpKernel kGatherNd;
extern const OpKernel kArgMax;
extern const OpKernel kExpandDims;
extern const OpKernel kSub;
extern const OpKernel kMul;
extern const OpKernel kDiv;
extern const OpKernel kFloorDiv;
extern const OpKernel kMaximum;
extern const OpKernel kMinimum;
extern const OpKernel kSqrt;
extern const OpKernel kRsqrt;
extern const OpKernel kLogistic;
extern const OpKernel kTanh;
extern const OpKernel kHardSwish;
extern const OpKernel kRelu;
extern const OpKernel kRelu6;
extern const OpKernel kReluN1To1;
extern const OpKernel kLeakyRelu;
extern const OpKernel kCast;
extern const OpKernel kMaxPool2D;
extern const OpKernel kResizeBilinear;
extern const OpKernel kResizeNearestNeighbor;
extern const OpKernel kDetectionPostProcess;
// Internal nodes of hybrid_rewrite.h.
extern const OpKernel kDynamicQuantizePerImage;
extern const OpKernel kDynamicQuantizePerRow;

}  // namespace coralpi::ops
