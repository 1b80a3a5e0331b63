// TensorFlow Lite's uint8 RESIZE_BILINEAR (reference.h) with the arithmetic of each output row
// passed in, so that a faster version of that one step (engine/native) runs on the same source
// coordinates and rows as the reference kernel. Internal to the engine.
#pragma once

#include <cstdint>

#include "core/result.h"
#include "engine/tensor_view.h"
#include "model/types.h"

namespace coralpi::reference::internal {

// Where output column (or row) o reads: corners i0 <= i1 and the weight f of i1 (negative
// before the first half-pixel centre), TensorFlow Lite's source position (reference.h).
struct BilinearTap {
  int32_t i0 = 0, i1 = 0;
  float frac = 0.0f;
};

// One output row of `out_w` pixels of `channels` bytes, between input rows `top` and `bottom`
// (weight y_frac of bottom): pixel x of column tap t = xs[x] weighs its corners
// tl = top + t.i0 * channels, tr = top + t.i1 * channels, bl, br likewise in bottom, by
//   w0 = (1 - y_frac) * (1 - t.frac), w1 = (1 - y_frac) * t.frac,
//   w2 = y_frac * (1 - t.frac),       w3 = y_frac * t.frac
// and writes (uint8) (int32) (tl[k] * w0 + tr[k] * w1 + bl[k] * w2 + br[k] * w3 + 0.5f) for
// every channel k, in float, left to right, no fused multiply-add.
using WeighRowFn = void (*)(const uint8_t* top, const uint8_t* bottom, const BilinearTap* xs,
                            int32_t out_w, float y_frac, int64_t channels, uint8_t* out);

// The portable WeighRowFn that ResizeBilinear runs.
void WeighRow(const uint8_t* top, const uint8_t* bottom, const BilinearTap* xs, int32_t out_w,
              float y_frac, int64_t channels, uint8_t* out);

// RESIZE_BILINEAR of a uint8 NHWC tensor with `weigh` for every output row; rows split over
// the lent pool (parallel.h). The same checks and errors as ResizeBilinear.
Status ResizeBilinearUInt8(const ResizeOptions& opt, const TensorView& input,
                           const TensorView& output, WeighRowFn weigh);

}  // namespace coralpi::reference::internal
