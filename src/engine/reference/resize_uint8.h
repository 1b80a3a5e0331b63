// TensorFlow Lite's uint8 RESIZE_BILINEAR (reference.h) with the arithmetic of each output pixel
// passed in, so that a faster version of that one step (engine/native) runs inside the same
// source coordinates, corner weights and row loop as the reference kernel. Internal to the engine.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "model/types.h"

namespace coralpi::reference::internal {

// One output pixel: out[k] = (uint8) (int32) (tl[k] * w0 + tr[k] * w1 + bl[k] * w2 + br[k] * w3
// + 0.5f) for k < channels, in float, left to right, no fused multiply-add.
using WeighCornersFn = void (*)(const uint8_t* tl, const uint8_t* tr, const uint8_t* bl,
                                const uint8_t* br, float w0, float w1, float w2, float w3,
                                int64_t channels, uint8_t* out);

// The portable WeighCornersFn that ResizeBilinear runs.
void WeighCorners(const uint8_t* tl, const uint8_t* tr, const uint8_t* bl, const uint8_t* br,
                  float w0, float w1, float w2, float w3, int64_t channels, uint8_t* out);

// RESIZE_BILINEAR of a uint8 NHWC tensor with `weigh` for every output pixel; output rows split
// over the lent pool (parallel.h). The same checks and errors as ResizeBilinear.
Status ResizeBilinearUInt8(const ResizeOptions& opt, const TensorView& input,
                           const TensorView& output, WeighCornersFn weigh);

}  // namespace coralpi::reference::internal
