// coralpi doctor: checks every step of the Raspberry Pi 5 + Coral setup (see src/board/doctor.h)
// and prints a grouped report or JSON. Exit code 0 when nothing failed, 3 when a check failed.
// On the running machine (or with --edgetpu-lib) it also asks libedgetpu for its version and the
// Edge TPUs it lists (backend loader).
#include <sys/klog.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "backend/edgetpu_device.h"
#include "backend/runtime_loader.h"
#include "board/doctor.h"
#include "board/report_format.h"
#include "command.h"
#include "core/file.h"
#include "host/edgetpu_runtime.h"

namespace coralpi::cli {
namespace {

struct DoctorFlags {
  std::string root = "/";
  std::string user;
  std::string dtb;
  std::string dmesg;
  std::string edgetpu_lib;
  bool json = false;
  bool no_color = false;
};

// The running kernel's log buffer, when this process may read it.
std::optional<std::string> ReadKernelRing() {
  constexpr int kReadAll = 3, kSizeBuffer = 10;
  int size = ::klogctl(kSizeBuffer, nullptr, 0);
  if (size <= 0) return std::nullopt;
  std::string buf(static_cast<size_t>(size), '\0');
  int n = ::klogctl(kReadAll, buf.data(), size);
  if (n < 0) return std::nullopt;
  buf.resize(static_cast<size_t>(n));
  return buf;
}

int RunDoctorCommand(const DoctorFlags& f) {
  board::RootFs fs(f.root);
  if (!fs.IsDir("")) return ReportError(MakeError("--root " + f.root, "is not a directory"));
  board::DoctorOptions options;
  options.user = f.user.empty() ? board::DefaultTargetUser() : f.user;
  if (!f.dtb.empty()) options.dtb_file = f.dtb;
  if (!f.dmesg.empty()) {
    Result<std::string> log = ReadFileText(f.dmesg);
    if (!log.ok()) return ReportError(WithContext("--dmesg", log.error()));
    options.kernel_log = *log;
    options.kernel_log_source = f.dmesg;
  } else if (fs.IsRealRoot()) {
    options.kernel_log = ReadKernelRing();
    options.kernel_log_source = "the kernel ring buffer";
  }
  // On this machine, when its files say libedgetpu is installed (or with --edgetpu-lib), ask the
  // library itself for its version and devices (a load failure leaves the file-based report).
  if (!f.edgetpu_lib.empty() || (fs.IsRealRoot() && board::DetectEdgeTpuRuntime(fs).installed())) {
    if (Result<const EdgeTpuLibrary*> lib = LoadEdgeTpuLibrary(f.edgetpu_lib); lib.ok()) {
      options.edgetpu_runtime_version = (*lib)->version;
      std::vector<std::string> listed;
      for (const RuntimeEdgeTpu& d : ListRuntimeEdgeTpus(**lib)) listed.push_back(DeviceName(d));
      options.edgetpu_runtime_devices = listed;
    } else if (!f.edgetpu_lib.empty()) {
      return ReportError(lib.error());
    }
  }
  board::Report report = board::RunDoctor(fs, options);
  std::string text = f.json ? board::ReportToJson(report)
                            : board::FormatReport(report, !f.no_color && ::isatty(STDOUT_FILENO));
  std::fwrite(text.data(), 1, text.size(), stdout);
  return board::DoctorExitCode(report);
}

}  // namespace

RunFn AddDoctorCommand(CLI::App& sub) {
  auto flags = std::make_shared<DoctorFlags>();
  sub.add_option("--root", flags->root, "Check the tree under DIR instead of this machine")
      ->capture_default_str();
  sub.add_option("--user", flags->user,
                 "Whose access to the TPU to check (default: $SUDO_USER or you)");
  sub.add_option("--dtb", flags->dtb, "Also check this device tree blob's PCIe MSI routing");
  sub.add_option("--dmesg", flags->dmesg, "Read the kernel log from FILE");
  sub.add_option("--edgetpu-lib", flags->edgetpu_lib,
                 "Ask this libedgetpu.so.1 for its version and devices (default: the installed "
                 "one, on this machine)");
  sub.add_flag("--json", flags->json, "Print JSON, one entry per check");
  sub.add_flag("--no-color", flags->no_color, "Never colour the output");
  sub.footer(
      "Exit status: 0 ready, 3 problems found, 1 error, 2 usage.\n"
      "Config files are judged for the next boot, /proc and /sys for the running one.");
  return [flags] { return RunDoctorCommand(*flags); };
}

}  // namespace coralpi::cli
