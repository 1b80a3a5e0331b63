// What the setup tests share: the options every run uses (doctor's user "pi") and a lookup of the
// plan's change to one file.
#pragma once

#include <string>

#include "board/setup.h"

namespace coralpi::board::testing {

inline SetupOptions PiSetupOptions() {
  SetupOptions o;
  o.doctor.user = "pi";
  return o;
}

// The plan's change to `path` (relative to the root), or null when the plan leaves it alone.
inline const FileChange* ChangeOf(const SetupPlan& p, const std::string& path) {
  for (const FileChange& c : p.changes) {
    if (c.path == path) return &c;
  }
  return nullptr;
}

}  // namespace coralpi::board::testing
