// cmdline.txt: the kernel command line the Raspberry Pi firmware passes on. It must be a single
// line; parameters after a bare "--" go to init, not to the kernel. Pure functions over text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace coralpi::board {

struct Cmdline {
  int content_lines = 0;                   // lines holding anything but whitespace
  std::vector<std::string> kernel_tokens;  // first line's tokens before a bare "--"
  std::vector<std::string> init_tokens;    // tokens after "--"

  // The value of the last kernel parameter `name` ("pcie_aspm" -> "off"); "" for a bare flag;
  // nullopt when absent.
  std::optional<std::string> KernelParam(std::string_view name) const;
};

// Parses cmdline.txt or /proc/cmdline text. Tokens split on spaces and tabs, keeping
// double-quoted spans together.
Cmdline ParseCmdline(std::string_view text);

// Returns the text with kernel parameter `token` ("pcie_aspm=off") on its single line, before
// any " -- ", every other byte kept. Unchanged when the parameter already has that value. An
// error when the text does not hold exactly one line (it would be mangled, not fixed).
Result<std::string> AddKernelParam(std::string_view text, std::string_view token);

}  // namespace coralpi::board
