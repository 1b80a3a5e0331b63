// coralpi setup: fixes what software can fix in the Pi 5 + Coral setup, safely. It plans every
// file change first (shown as a unified diff), writes nothing unless asked, backs each file up
// next to itself (NAME.coralpi-YYYYmmdd-HHMMSS.bak; a file it creates gets an empty
// NAME.coralpi-YYYYmmdd-HHMMSS.new marker instead), writes atomically keeping mode and owner,
// is idempotent, and can undo. It patches the driver's DKMS source for the installed kernels and
// builds it with dkms (on the running system only). What it cannot do (install packages,
// reboot) it lists as exact commands.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "board/doctor.h"
#include "board/driver_repair.h"
#include "board/file_change.h"
#include "core/result.h"
#include "host/root_fs.h"

namespace coralpi::board {

struct SetupOptions {
  DoctorOptions doctor;
  // A board .dtb (host path inside the root) whose pcie1 msi-parent to patch, for kernels
  // without the pineboards-hat-ai overlay. Ignored, with a note, when the overlay exists.
  std::optional<std::string> patch_dtb;
  // Create the apex group if needed and add this user to it (etc/group, etc/gshadow).
  std::optional<std::string> add_user;
};

struct SetupPlan {
  std::vector<FileChange> changes;
  std::vector<std::string> notes;         // what setup chose not to do, and why
  Report after;                           // doctor's view once the changes are written
  std::vector<std::string> manual_steps;  // exact commands, in order
  // dkms build / install for the kernels that lack the driver, run after the files are written
  // (RunDkms), and only on the running system; under another root they are manual steps.
  std::vector<DkmsCommand> dkms;
};

// Plans the changes for the tree under `fs`. Errors only for unusable options (a --patch-dtb
// file outside the root, a file that cannot be parsed as a device tree, an --add-user name that
// is not in etc/passwd).
Result<SetupPlan> PlanSetup(const RootFs& fs, const SetupOptions& options);

// The diff (or, for a binary file, a one-line summary) of one change.
std::string RenderChange(const FileChange& change);

// Writes the plan: backups first, then each file atomically. When anything fails, files already
// written are put back and the backups removed, so the tree is as before. Refuses to write the
// running system ("/") without root privileges. Returns the backup paths written.
Result<std::vector<std::string>> ApplySetup(const RootFs& fs, const SetupPlan& plan,
                                            std::time_t now);

// Restores the files from the latest setup run's backups (byte for byte) and removes those
// backups; files that run created are deleted. `extra_dirs` (relative to the root) are searched
// besides the boot directory, etc, etc/udev/rules.d, etc/apt and usr/src/gasket-*. Returns the
// restored paths. (Modules dkms built and installed stay; `dkms remove` takes them away.)
Result<std::vector<std::string>> UndoSetup(const RootFs& fs,
                                           const std::vector<std::string>& extra_dirs = {});

// "NAME.coralpi-YYYYmmdd-HHMMSS.bak" for `path` at time `now` (local time).
std::string BackupPath(const std::string& path, std::time_t now, const char* suffix = ".bak");

// The root-relative path of host path `file`, or an error when it lies outside the root.
Result<std::string> PathInsideRoot(const RootFs& fs, const std::string& file);

}  // namespace coralpi::board
