// coralpi doctor: checks every step of the Raspberry Pi 5 + Coral setup (see src/board/doctor.h)
// and prints a grouped report or JSON. Exit code 0 when nothing failed, 3 when a check failed.
// On the running machine (or with --edgetpu-lib) it also asks libedgetpu for its version and the
// Edge TPUs it lists (backend loader).
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>

#include "board/report_format.h"
#include "command.h"
#include "system/doctor_run.h"

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

int RunDoctorCommand(const DoctorFlags& f) {
  Result<board::Report> report =
      RunDoctorRequest({f.root, f.user, f.dtb, f.dmesg, f.edgetpu_lib});
  if (!report.ok()) return ReportError(report.error());
  std::string text = f.json ? board::ReportToJson(*report)
                            : board::FormatReport(*report, !f.no_color && ::isatty(STDOUT_FILENO));
  std::fwrite(text.data(), 1, text.size(), stdout);
  return board::DoctorExitCode(*report);
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
