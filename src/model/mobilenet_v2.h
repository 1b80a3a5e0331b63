// The built-in benchmark network: MobileNet v2 1.0 224, uint8, with deterministic weights.
//
// Same architecture and operator sequence as the published mobilenet_v2_1.0_224_quant model
// (36 CONV_2D, 17 DEPTHWISE_CONV_2D, 10 ADD, AVERAGE_POOL_2D, RESHAPE, SOFTMAX), so it costs
// the same to run; its weights come from a fixed pseudo-random sequence, so its answers mean
// nothing. `coralpi bench` uses it when given no model.
#pragma once

#include <cstdint>
#include <vector>

namespace coralpi {

std::vector<uint8_t> BuildMobileNetV2Uint8(uint64_t seed = 1);

}  // namespace coralpi
