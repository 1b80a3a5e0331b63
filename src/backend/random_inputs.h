// Deterministic pseudo-random input bytes for a backend's inputs, for measuring (bench: the
// latency does not depend on the values) and for comparing backends on the same input
// (compare: each backend filled with the same seed gets the same bytes).
#pragma once

#include <cstdint>
#include <random>

#include "backend/backend.h"

namespace coralpi {

// Float inputs get values uniform in [-1, 1], other types uniform bytes.
void FillRandomInputs(Backend& backend, uint32_t seed = 42);

// One tensor filled the same way from rng (for engines that are not a Backend, such as the CPU
// engine that bench --profile runs directly).
void FillRandomTensor(TensorView tensor, std::mt19937& rng);

}  // namespace coralpi
