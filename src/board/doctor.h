// coralpi doctor: every step of the Raspberry Pi 5 + Coral Edge TPU setup as a check with a
// stable id, a status, one sentence on what is wrong and why it matters, and the fix. The rows
// follow the table at the end of docs/pi5-coral-facts.md (row numbers kept in `row`). Config
// files are judged for the next boot, proc and sys for the running one; when they disagree the
// check says a reboot is needed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "host/root_fs.h"

namespace coralpi::board {

enum class CheckStatus { kOk, kWarn, kFail, kSkip };
const char* StatusName(CheckStatus s);  // "ok", "warn", "fail", "skip"

enum class CheckGroup { kBoard, kBootConfig, kRunning, kDevice, kAccess, kRuntime, kHealth };
const char* GroupName(CheckGroup g);  // "Board", "Boot configuration (next boot)", ...

struct CheckResult {
  int row = 0;        // row in the facts table; 0 for checks beyond it
  std::string id;     // stable: "kernel.4k-config"
  std::string title;  // short: "4K-page kernel configured"
  CheckGroup group = CheckGroup::kBoard;
  bool config = false;  // judged on boot configuration files (next boot)
  CheckStatus status = CheckStatus::kSkip;
  std::string message;  // what is wrong and why, what was found, or why it does not apply
  std::string fix;      // what `coralpi setup` changes, or what to do by hand
  std::vector<std::string> commands;  // exact manual commands, in order
  bool setup_fixes = false;           // `coralpi setup` can fix it
  bool reboot_required = false;       // the fix is configured but not running yet
};

struct DoctorOptions {
  std::string user;                                  // whose access is checked; "" = only the group
  std::optional<std::string> dtb_file;               // an offline .dtb to check (a host path)
  std::optional<std::string> kernel_log;             // dmesg text, when the caller has it
  std::string kernel_log_source = "the kernel log";  // named in messages
  // The version string edgetpu_version() returned when the dlopen loader loaded
  // libedgetpu; nullopt when it was not loaded (the seam for the Edge TPU backend).
  std::optional<std::string> edgetpu_runtime_version;
  // What that library's edgetpu_list_devices returned ("pci /dev/apex_0"), when it was loaded.
  std::optional<std::vector<std::string>> edgetpu_runtime_devices;
};

struct Report {
  std::string root;
  bool is_pi5 = false;
  std::string board_model;
  std::vector<CheckResult> checks;

  int Count(CheckStatus s) const;
  bool RebootRequired() const;
  const CheckResult* Find(const std::string& id) const;
  // Exact manual commands from every failing or warning check, in order, without repeats,
  // ending with a reboot when one is needed.
  std::vector<std::string> ManualSteps() const;
};

// Runs every check against the tree under `fs`. Never fails: unreadable files become check
// results that say so.
Report RunDoctor(const RootFs& fs, const DoctorOptions& options);

// The user doctor and setup check by default: $SUDO_USER, else the invoking user's name.
std::string DefaultTargetUser();

// Process exit code for a report: 0 when nothing failed, 3 when a check failed.
int DoctorExitCode(const Report& r);

}  // namespace coralpi::board
