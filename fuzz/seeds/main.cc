// make_fuzz_seeds OUTDIR [TESTDATA]: writes the seed corpus of every fuzz target into
// OUTDIR/<target>/ (see seeds.h). A new fuzz target gets its seeds from one line in kTargets
// (or from tiny files committed in fuzz/corpus/<target>/, which scripts/fuzz.sh adds).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "seeds.h"

namespace fs = std::filesystem;

namespace coralpi::fuzz {
namespace {

struct Target {
  const char* name;
  std::vector<Seed> (*make)(const std::string& testdata);
};

const Target kTargets[] = {
    {"fuzz_model", ModelSeeds},
    {"fuzz_image", ImageSeeds},
    {"fuzz_config_txt", ConfigTxtSeeds},
    {"fuzz_cmdline_txt", CmdlineTxtSeeds},
    {"fuzz_edgetpu_payload", EdgeTpuPayloadSeeds},
    {"fuzz_ultralytics_metadata", UltralyticsMetadataSeeds},
};

bool WriteSeed(const fs::path& path, const std::vector<uint8_t>& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

int WriteAll(const fs::path& outdir, const std::string& testdata) {
  for (const Target& t : kTargets) {
    fs::path dir = outdir / t.name;
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir, ec);
    if (ec) {
      std::fprintf(stderr, "make_fuzz_seeds: error: %s: %s\n", dir.c_str(), ec.message().c_str());
      return 1;
    }
    std::vector<Seed> seeds = t.make(testdata);
    for (const Seed& s : seeds) {
      if (!WriteSeed(dir / s.name, s.bytes)) {
        std::fprintf(stderr, "make_fuzz_seeds: error: %s: cannot write\n", (dir / s.name).c_str());
        return 1;
      }
    }
    std::printf("%s: %zu seeds\n", dir.c_str(), seeds.size());
  }
  return 0;
}

}  // namespace

std::vector<Seed> SmallFiles(const std::string& dir, size_t max_bytes) {
  std::vector<Seed> out;
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) return out;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (!e.is_regular_file(ec) || e.file_size(ec) > max_bytes) continue;
    std::ifstream in(e.path(), std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    out.push_back({"testdata_" + e.path().filename().string(), std::move(bytes)});
  }
  std::sort(out.begin(), out.end(), [](const Seed& a, const Seed& b) { return a.name < b.name; });
  return out;
}

Seed TextSeed(std::string name, const std::string& text) {
  return {std::move(name), std::vector<uint8_t>(text.begin(), text.end())};
}

}  // namespace coralpi::fuzz

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3) {
    std::fprintf(stderr, "usage: make_fuzz_seeds OUTDIR [TESTDATA_DIR]\n");
    return 2;
  }
  std::string testdata = argc == 3 ? argv[2] : "";
  if (!testdata.empty() && !fs::is_directory(testdata)) testdata.clear();
  return coralpi::fuzz::WriteAll(argv[1], testdata);
}
