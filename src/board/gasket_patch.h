// The Coral PCIe driver's DKMS source (gasket-dkms 1.0-18, /usr/src/gasket-1.0) predates four
// kernel API changes: class_create lost its module argument (6.4), eventfd_signal its count
// (6.8), no_llseek was removed (6.12) and MODULE_IMPORT_NS takes a string (6.13). Each has a
// one-line fix. This file knows those lines and edits source text for the kernels it must build
// for: the failing line becomes its fixed form when every kernel needs it, or (for a fix older
// kernels cannot take) a LINUX_VERSION_CODE guard keeps both when older kernels are installed
// too. Nothing else of the file changes. Pure: strings in, strings out.
#pragma once

#include <compare>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace coralpi::board {

struct KernelVersion {
  int major = 0;
  int minor = 0;
  auto operator<=>(const KernelVersion&) const = default;
  std::string ToString() const;  // "6.12"
};

// "6.12.47+rpt-rpi-v8" -> 6.12; nullopt when the release does not start with "M.m".
std::optional<KernelVersion> ParseKernelRelease(const std::string& release);

struct GasketFix {
  const char* id;          // "no_llseek": what doctor names in make.log
  const char* file;        // "gasket_core.c", inside usr/src/gasket-<ver>/
  KernelVersion since;     // the first kernel that needs the fixed line
  const char* old_line;    // the statement as 1.0-18 has it (compared without blanks)
  const char* new_line;    // the statement that replaces it
  bool builds_everywhere;  // the new line also builds on kernels before `since`
};

// The four fixes, in kernel order.
const std::vector<GasketFix>& GasketFixes();
const GasketFix* FindGasketFix(const std::string& id);

// Where a source text stands for one fix: the failing line only (kNeeded), the fixed line
// (alone, or beside the old one under a version guard: kDone), or neither (kUnknown: not the
// source this fix knows).
enum class FixState { kNeeded, kDone, kUnknown };
FixState StateOf(const std::string& text, const GasketFix& fix);

// The text with `fix` applied for kernels `kernels`: unchanged when no kernel needs it or it is
// already done; an error (naming `fix.file`) when the line is not found, or when a guard is
// needed and the file does not include <linux/version.h>.
Result<std::string> ApplyGasketFix(const std::string& text, const GasketFix& fix,
                                   const std::vector<KernelVersion>& kernels);

// Every fix for the file named `file` ("gasket_core.c"), in order.
Result<std::string> PatchGasketFile(const std::string& file, const std::string& text,
                                    const std::vector<KernelVersion>& kernels);

}  // namespace coralpi::board
