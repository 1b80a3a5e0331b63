// Repairing the Coral PCIe driver in a root: the installed DKMS source (usr/src/gasket-<ver>/)
// patched for the kernels installed in lib/modules (gasket_patch.h), then `dkms build` and
// `dkms install` for each installed kernel that lacks the modules and has its headers. Files
// are only planned here (setup writes them); commands run through a CommandRunner.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "board/command_runner.h"
#include "board/file_change.h"
#include "board/gasket_patch.h"
#include "host/root_fs.h"

namespace coralpi::board {

struct GasketSource {
  std::string dir;                // "usr/src/gasket-1.0"
  std::string module = "gasket";  // dkms.conf PACKAGE_NAME
  std::string version;            // dkms.conf PACKAGE_VERSION, else the directory's suffix
};
std::vector<GasketSource> FindGasketSources(const RootFs& fs);

// Kernel releases installed in the root: lib/modules/<release>/ with kernel/ or modules.dep.
std::vector<std::string> InstalledKernels(const RootFs& fs);
// apex and gasket modules (.ko, .ko.xz, .ko.zst, .ko.gz) somewhere below lib/modules/<release>.
bool ModulesBuiltFor(const RootFs& fs, const std::string& release);
// lib/modules/<release>/build exists (a link is followed inside the root).
bool KernelHeadersInstalled(const RootFs& fs, const std::string& release);
// The package that brings them: linux-headers-rpi-v8 for "6.12.47+rpt-rpi-v8".
std::string KernelHeadersPackage(const std::string& release);

// The state of `fix` in the installed source (the first usr/src/gasket-* holding its file), or
// nullopt when there is no such file.
std::optional<FixState> InstalledFixState(const RootFs& fs, const GasketFix& fix);

struct DkmsCommand {
  std::string kernel;  // "" for `dkms add`
  std::vector<std::string> argv;
};

struct DriverRepair {
  std::vector<FileChange> changes;        // patched source files
  std::vector<DkmsCommand> dkms;          // in order
  std::vector<std::string> notes;         // what was left alone, and why
  std::vector<std::string> manual_steps;  // kernel headers to install
};
DriverRepair PlanDriverRepair(const RootFs& fs);

struct DkmsOutcome {
  DkmsCommand command;
  bool ran = false;  // false: skipped after an earlier failure, or could not start
  int exit_code = 0;
  std::string output;  // the command's output
  std::string error;   // why it did not run or failed
  bool ok() const { return ran && exit_code == 0; }
};
// Runs the commands in order; after a failure the rest for that kernel are skipped.
std::vector<DkmsOutcome> RunDkms(const std::vector<DkmsCommand>& commands, CommandRunner& runner);

}  // namespace coralpi::board
