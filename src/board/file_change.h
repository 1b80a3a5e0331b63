// One file `setup` plans to change: its path in the root, the bytes before and after, and why.
#pragma once

#include <string>

namespace coralpi::board {

struct FileChange {
  std::string path;      // relative to the root
  std::string before;    // current content ("" when the file does not exist)
  std::string after;     // planned content
  bool created = false;  // the file does not exist yet
  bool binary = false;   // a device tree blob: summarised, not diffed
  std::string summary;   // one line: what changes and why
};

}  // namespace coralpi::board
