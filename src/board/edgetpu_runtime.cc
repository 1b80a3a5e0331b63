// libedgetpu detection from files; see edgetpu_runtime.h.
#include "board/edgetpu_runtime.h"

#include <sstream>

namespace coralpi::board {
namespace {

const char* const kLibraryDirs[] = {
    "usr/lib/aarch64-linux-gnu",
    "lib/aarch64-linux-gnu",
    "usr/lib/x86_64-linux-gnu",
    "lib/x86_64-linux-gnu",
    "usr/lib/arm-linux-gnueabihf",
    "usr/local/lib",
    "usr/lib",
};
const char* const kLibraryNames[] = {"libedgetpu.so.1.0", "libedgetpu.so.1"};

// Large enough for libedgetpu (about 1.5 MB) with room to spare.
constexpr size_t kScanLimit = 64u << 20;

// The text after a "Field:" prefix of length n, without leading blanks.
std::string FieldValue(const std::string& line, size_t n) {
  size_t b = line.find_first_not_of(" \t", n);
  return b == std::string::npos ? "" : line.substr(b);
}

}  // namespace

std::optional<DpkgEntry> FindDpkgPackage(const std::string& status_text,
                                         const std::string& package) {
  std::istringstream in(status_text);
  std::string line;
  bool in_package = false;
  std::optional<DpkgEntry> found;
  DpkgEntry entry;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      if (in_package) return entry;
      continue;
    }
    if (line.rfind("Package:", 0) == 0) {
      in_package = FieldValue(line, 8) == package;
      entry = DpkgEntry{};
    } else if (in_package && line.rfind("Status:", 0) == 0) {
      entry.status = FieldValue(line, 7);
    } else if (in_package && line.rfind("Version:", 0) == 0) {
      entry.version = FieldValue(line, 8);
    }
  }
  if (in_package) found = entry;
  return found;
}

EdgeTpuRuntime DetectEdgeTpuRuntime(const RootFs& fs, std::optional<std::string> loaded_version) {
  EdgeTpuRuntime rt;
  rt.loaded_version = std::move(loaded_version);
  if (Result<std::string> status = fs.ReadText("var/lib/dpkg/status"); status.ok()) {
    for (const char* pkg : {"libedgetpu1-std", "libedgetpu1-max"}) {
      std::optional<DpkgEntry> e = FindDpkgPackage(*status, pkg);
      if (e && e->status == "install ok installed") {
        rt.package = pkg;
        rt.package_version = e->version;
      }
    }
  }
  for (const char* dir : kLibraryDirs) {
    for (const char* name : kLibraryNames) {
      std::string rel = JoinPath(dir, name);
      if (!fs.Exists(rel)) continue;
      rt.library = rel;
      break;
    }
    if (!rt.library.empty()) break;
  }
  if (!rt.library.empty()) {
    if (Result<std::string> bytes = fs.ReadPrefix(rt.library, kScanLimit); bytes.ok()) {
      if (bytes->find("PERFORMANCE=THROTTLED") != std::string::npos) {
        rt.flavour = EdgeTpuRuntime::Flavour::kThrottled;
      } else if (bytes->find("PERFORMANCE=DIRECT") != std::string::npos) {
        rt.flavour = EdgeTpuRuntime::Flavour::kDirect;
      }
      size_t v = bytes->find("RuntimeVersion(");
      if (v != std::string::npos) {
        size_t end = bytes->find(')', v);
        if (end != std::string::npos && end - v < 40) {
          rt.build_runtime_version = bytes->substr(v, end - v + 1);
        }
      }
    }
  }
  if (rt.flavour == EdgeTpuRuntime::Flavour::kUnknown) {
    if (rt.package == "libedgetpu1-std") rt.flavour = EdgeTpuRuntime::Flavour::kThrottled;
    if (rt.package == "libedgetpu1-max") rt.flavour = EdgeTpuRuntime::Flavour::kDirect;
  }
  return rt;
}

}  // namespace coralpi::board
