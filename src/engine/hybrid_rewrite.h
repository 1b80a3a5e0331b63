// Dynamic-range nodes on XNNPACK. XNNPACK 2022 has no dynamically quantized convolution, so when
// the engine may use XNNPACK, a hybrid CONV_2D or FULLY_CONNECTED (reference/hybrid.h) becomes two
// nodes: an internal dynamic-quantization node that quantizes its input by TensorFlow Lite's
// XNNPACK rule and writes it back dequantized (reference::DynamicFakeQuantize), then the same
// node in float with its int8 weights dequantized at load (w * scale[c]), which XNNPACK runs. The
// result is the integer formula's up to float rounding. DEPTHWISE_CONV_2D (TensorFlow Lite's own
// per-image rule) and nodes the checks refuse stay as they are; without XNNPACK nothing changes,
// so the reference path keeps the exact integer kernels.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/constant_folding.h"
#include "model/model.h"

namespace coralpi {

// Custom codes of the internal nodes: rows of one image (all but the first dimension), or rows
// of the last dimension.
inline constexpr char kDynamicQuantizePerImageCode[] = "coralpi-dynamic-quantize-per-image";
inline constexpr char kDynamicQuantizePerRowCode[] = "coralpi-dynamic-quantize-per-row";

// Rewrites the hybrid nodes of `g` (above). The dequantized weights go to `constants.data`.
// Returns, by position in the rewritten g.operators, whether an operator is an inserted internal
// node (true) or one of the model's.
std::vector<bool> RewriteHybridForXnnpack(Subgraph& g, FoldedConstants& constants);

}  // namespace coralpi
