// The seed corpus of the fuzz targets: small, valid inputs of every kind each parser reads, so
// a short fuzz run starts deep inside the formats instead of from empty input. Written by the
// make_fuzz_seeds tool (main.cc) into one folder per fuzz target; scripts/fuzz.sh fuzzes from
// there and the fuzz replay tests run every seed through the targets' checks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace coralpi::fuzz {

struct Seed {
  std::string name;  // file name inside the target's folder
  std::vector<uint8_t> bytes;
};

// Each takes ../shared/testdata's path ("" when absent) and may add its small files.
std::vector<Seed> ModelSeeds(const std::string& testdata);
std::vector<Seed> ImageSeeds(const std::string& testdata);
std::vector<Seed> ConfigTxtSeeds(const std::string& testdata);
std::vector<Seed> CmdlineTxtSeeds(const std::string& testdata);
std::vector<Seed> EdgeTpuPayloadSeeds(const std::string& testdata);
std::vector<Seed> UltralyticsMetadataSeeds(const std::string& testdata);

// The files of `dir` of at most `max_bytes` bytes, sorted by name; none when `dir` is absent.
std::vector<Seed> SmallFiles(const std::string& dir, size_t max_bytes);

// Text as seed bytes.
Seed TextSeed(std::string name, const std::string& text);

}  // namespace coralpi::fuzz
