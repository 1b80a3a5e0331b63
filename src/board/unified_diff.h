// Unified diffs ("diff -u" style) of two texts, for `coralpi setup` to show what it would change.
#pragma once

#include <string>

namespace coralpi::board {

// A unified diff of `before` -> `after` with three lines of context, headed
// "--- a/<name>" / "+++ b/<name>" ("--- /dev/null" when `before_exists` is false).
// Empty when the texts are equal.
std::string UnifiedDiff(const std::string& name, const std::string& before,
                        const std::string& after, bool before_exists = true);

}  // namespace coralpi::board
