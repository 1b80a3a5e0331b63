// Test helpers for the engine: random one-operator models, and running a model through both
// the XNNPACK path and the reference kernels on the same input.
#pragma once

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "engine/cpu_engine.h"
#include "model/builder.h"
#include "model/model.h"

namespace coralpi::testing {

inline Quantization Q(float scale, int64_t zp) { return Quantization{{scale}, {zp}, 0}; }

// Random bytes (or floats in [-1, 1]) into every input of the engine, from `seed`.
void FillRandomInputs(CpuEngine& engine, uint32_t seed);

struct BothRuns {
  std::vector<std::vector<uint8_t>> xnnpack;  // raw output bytes
  std::vector<std::vector<uint8_t>> reference;
  std::vector<DataType> types;
  int xnnpack_nodes = 0;
};

// Builds the model, runs it once with XNNPACK (threads) and once on the reference kernels
// with identical inputs, and returns both outputs. Fails the test on any error.
BothRuns RunBoth(const std::vector<uint8_t>& model_bytes, uint32_t seed, int threads = 1);

// Largest absolute difference between two output buffers of the given type
// (in quantized steps for integer types).
double MaxAbsDiff(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b, DataType type);

}  // namespace coralpi::testing

namespace coralpi::testing {

// Every output of the two runs equal bit for bit on integer types, and within 1e-4 of the
// reference output's largest magnitude (at least 1) on float32.
void ExpectSameOutputs(const BothRuns& r, const std::string& what);

// Seeded random integers and floats, for generated shapes, indices and quantizations.
class RandomSource {
 public:
  explicit RandomSource(uint32_t seed) : rng_(seed) {}
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  float Real(float lo, float hi) { return std::uniform_real_distribution<float>(lo, hi)(rng_); }
  std::mt19937& engine() { return rng_; }

 private:
  std::mt19937 rng_;
};

// A random fused activation: NONE, RELU, RELU6 or RELU_N1_TO_1.
Activation RandomActivation(RandomSource& r);

// Random bytes (or floats in [-1, 1]) into one tensor.
void FillRandom(const TensorView& t, std::mt19937& rng);

}  // namespace coralpi::testing
