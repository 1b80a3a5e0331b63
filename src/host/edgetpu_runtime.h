// The Edge TPU user-space runtime (libedgetpu.so.1) as installed under a root: which package,
// which file, which flavour (std = throttled USB clocks, max = direct). The version the loaded
// library reports comes from the dlopen loader elsewhere; pass it in when there is one.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/root_fs.h"

namespace coralpi::board {

// coralpi runs libedgetpu's custom op itself from this RuntimeVersion on (libedgetpu 16.0, July
// 2021, and every later build); older builds lay TensorFlow Lite's tensor out differently.
inline constexpr int kMinDirectRuntimeVersion = 14;

// The N of "RuntimeVersion(N)" in an edgetpu_version() string or in the library's bytes; 0 when
// there is none.
int ParseRuntimeVersion(const std::string& text);

struct EdgeTpuRuntime {
  enum class Flavour { kUnknown, kThrottled, kDirect };
  std::string library;          // relative path of the .so found, "" when none
  std::string package;          // "libedgetpu1-std" / "libedgetpu1-max", "" when not in dpkg
  std::string package_version;  // dpkg Version, "16.0tf2.17.1-1.bookworm"
  Flavour flavour = Flavour::kUnknown;
  std::string build_runtime_version;  // "RuntimeVersion(14)" text embedded in the .so, if any
  std::optional<std::string> loaded_version;  // edgetpu_version() of the loaded library
  // What the loaded library's edgetpu_list_devices returned ("pci /dev/apex_0"), when loaded.
  std::optional<std::vector<std::string>> listed_devices;

  // A library file or package is there, or a library (perhaps given by path) was loaded.
  bool installed() const {
    return !library.empty() || !package.empty() || loaded_version.has_value();
  }
  // From the loaded version, else from the file's bytes; 0 when unknown.
  int runtime_version() const;
};

// Looks for the library in the usual library directories and for the packages in
// var/lib/dpkg/status. `loaded_version` is the seam for the dlopen loader: the string that
// edgetpu_version() returned, or nullopt when the runtime was not loaded.
EdgeTpuRuntime DetectEdgeTpuRuntime(const RootFs& fs,
                                    std::optional<std::string> loaded_version = std::nullopt);

// The status of an installed package in dpkg's status file text, e.g. {"install ok installed",
// "16.0"}; nullopt when the package has no entry.
struct DpkgEntry {
  std::string status;
  std::string version;
};
std::optional<DpkgEntry> FindDpkgPackage(const std::string& status_text,
                                         const std::string& package);

}  // namespace coralpi::board
