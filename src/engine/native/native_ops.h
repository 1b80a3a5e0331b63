// The operators with own kernels, each in its own file; native_node.cc dispatches to them.
// Internal to src/engine/native.
#pragma once

#include <memory>
#include <span>

#include "engine/native/native_node.h"

namespace coralpi::native {

// CONV_2D and FULLY_CONNECTED (qconv.cc).
bool ConvSupports(const OperatorInfo& op, const Subgraph& g);
Result<std::unique_ptr<NativeNode>> CreateConvNode(const OperatorInfo& op, const Subgraph& g,
                                                   std::span<const TensorView> inputs,
                                                   std::span<const TensorView> outputs);

// DEPTHWISE_CONV_2D (qdwconv.cc).
bool DepthwiseSupports(const OperatorInfo& op, const Subgraph& g);
Result<std::unique_ptr<NativeNode>> CreateDepthwiseNode(const OperatorInfo& op, const Subgraph& g,
                                                        std::span<const TensorView> inputs,
                                                        std::span<const TensorView> outputs);

// RESIZE_BILINEAR (uint8) and ARG_MAX (8-bit, last axis of at most 64) (spatial.cc).
bool ResizeBilinearSupports(const OperatorInfo& op, const Subgraph& g);
bool ArgMaxSupports(const OperatorInfo& op, const Subgraph& g);
Result<std::unique_ptr<NativeNode>> CreateSpatialNode(const OperatorInfo& op, const Subgraph& g,
                                                      std::span<const TensorView> inputs,
                                                      std::span<const TensorView> outputs);

// PAD (8-bit, constant), TRANSPOSE (8-bit, batches of 2-D transposes), CONCATENATION and
// STRIDED_SLICE / SLICE (8-bit) (movement.cc).
bool PadSupports(const OperatorInfo& op, const Subgraph& g);
bool ConcatSupports(const OperatorInfo& op, const Subgraph& g);
bool SliceSupports(const OperatorInfo& op, const Subgraph& g);
bool TransposeSupports(const OperatorInfo& op, const Subgraph& g);
Result<std::unique_ptr<NativeNode>> CreateMovementNode(const OperatorInfo& op, const Subgraph& g,
                                                       std::span<const TensorView> inputs,
                                                       std::span<const TensorView> outputs);

// SOFTMAX, 8-bit input and output (softmax.cc).
bool SoftmaxSupports(const OperatorInfo& op, const Subgraph& g);
Result<std::unique_ptr<NativeNode>> CreateSoftmaxNode(const OperatorInfo& op, const Subgraph& g,
                                                      std::span<const TensorView> inputs,
                                                      std::span<const TensorView> outputs);

}  // namespace coralpi::native
