// libedgetpu detection from files; see edgetpu_runtime.h.
#include "host/edgetpu_runtime.h"

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

int ParseRuntimeVersion(const std::string& text) {
  const std::string key = "RuntimeVersion(";
  size_t at = text.find(key);
  if (at == std::string::npos) return 0;
  size_t end = text.find(')', at);
  if (end == std::string::npos) return 0;
  std::string digits = text.substr(at + key.size(), end - at - key.size());
  if (digits.empty() || digits.size() > 6) return 0;
  int n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return 0;
    n = n * 10 + (c - '0');
  }
  return n;
}

int EdgeTpuRuntime::runtime_version() const {
  if (loaded_version) return ParseRuntimeVersion(*loaded_version);
  return ParseRuntimeVersion(build_runtime_version);
}

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
