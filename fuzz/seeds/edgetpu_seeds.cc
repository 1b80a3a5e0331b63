// Seeds for fuzz_edgetpu_payload: small Edge TPU custom-op payloads laid out as the Edge TPU
// compiler writes them (the tests' MakeEdgeTpuPayload: a FlexBuffer map holding a package with
// an execution and a parameter-caching executable), one per node signature of the fuzz target,
// each behind the byte that picks that signature. The real payloads of ../shared/testdata's
// *_edgetpu models are hundreds of KiB, too long for the fuzz runs' -max_len.
#include "backend/fake_host.h"
#include "seeds.h"

namespace coralpi::fuzz {

namespace {

using testing::PayloadTensor;

Seed PayloadSeed(std::string name, uint8_t signature, const std::vector<PayloadTensor>& inputs,
                 const std::vector<PayloadTensor>& outputs) {
  std::vector<uint8_t> bytes{signature};
  std::vector<uint8_t> payload = testing::MakeEdgeTpuPayload(24, 64, inputs, outputs);
  bytes.insert(bytes.end(), payload.begin(), payload.end());
  return {std::move(name), std::move(bytes)};
}

}  // namespace

// The signatures are those of fuzz_edgetpu_payload.cc, in its order.
std::vector<Seed> EdgeTpuPayloadSeeds(const std::string&) {
  const DataType u8 = DataType::kUInt8, i8 = DataType::kInt8;
  return {
      PayloadSeed("image_to_scores.bin", 0, {{u8, {1, 8, 8, 3}}}, {{u8, {1, 16}}}),
      PayloadSeed("vector.bin", 1, {{u8, {1, 16}}}, {{u8, {1, 16}}}),
      PayloadSeed("several.bin", 2, {{u8, {1, 4, 4, 2}}, {i8, {1, 6}}},
                  {{u8, {1, 10}}, {i8, {1, 6}}, {u8, {1, 4, 4, 2}}}),
      PayloadSeed("float_out.bin", 3, {{u8, {2, 16}}}, {{DataType::kFloat32, {2, 16}}}),
      PayloadSeed("no_inputs.bin", 4, {}, {{DataType::kInt16, {1, 3, 3, 1}}}),
  };
}

}  // namespace coralpi::fuzz
