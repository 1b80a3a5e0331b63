// libFuzzer target for the cmdline.txt parser and editor: any bytes must parse without a crash;
// an accepted edit keeps one line, sets pcie_aspm=off for the kernel, and is idempotent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "board/cmdline_txt.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  coralpi::board::Cmdline c = coralpi::board::ParseCmdline(text);
  (void)c.KernelParam("pcie_aspm");
  coralpi::Result<std::string> out = coralpi::board::AddKernelParam(text, "pcie_aspm=off");
  if (!out.ok()) return 0;
  coralpi::board::Cmdline after = coralpi::board::ParseCmdline(*out);
  if (after.content_lines != 1) std::abort();
  if (after.KernelParam("pcie_aspm") != "off") std::abort();
  coralpi::Result<std::string> again = coralpi::board::AddKernelParam(*out, "pcie_aspm=off");
  if (!again.ok() || *again != *out) std::abort();
  return 0;
}
