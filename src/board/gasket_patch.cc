// The gasket source fixes per kernel API change; see gasket_patch.h.
#include "board/gasket_patch.h"

#include <algorithm>
#include <cstdlib>

namespace coralpi::board {
namespace {

std::string WithoutBlanks(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch != ' ' && ch != '\t' && ch != '\r') out += ch;
  }
  return out;
}

// The text split into lines, each keeping its '\n' (the last one may have none).
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return lines;
}

bool LineIs(const std::string& line, const char* statement) {
  return WithoutBlanks(line) == WithoutBlanks(std::string(statement) + "\n");
}

bool HasLine(const std::string& text, const char* statement) {
  std::vector<std::string> lines = Lines(text);
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return LineIs(l, statement); });
}

bool IncludesVersionHeader(const std::string& text) {
  for (const std::string& line : Lines(text)) {
    if (WithoutBlanks(line).rfind("#include<linux/version.h>", 0) == 0) return true;
  }
  return false;
}

// `line` with its statement replaced by `statement`, keeping the indentation and line end.
std::string Rewrite(const std::string& line, const char* statement) {
  size_t indent = line.find_first_not_of(" \t");
  std::string end = line.size() >= 2 && line.compare(line.size() - 2, 2, "\r\n") == 0 ? "\r\n"
                    : !line.empty() && line.back() == '\n'                            ? "\n"
                                                                                      : "";
  return line.substr(0, indent == std::string::npos ? 0 : indent) + statement + end;
}

std::string Guard(const std::string& line, const GasketFix& fix) {
  std::string end = line.empty() || line.back() != '\n' ? "\n" : "";
  return "#if LINUX_VERSION_CODE >= KERNEL_VERSION(" + std::to_string(fix.since.major) + ", " +
         std::to_string(fix.since.minor) + ", 0)\n" + Rewrite(line + end, fix.new_line) +
         "#else\n" + line + end + "#endif" + (end.empty() ? "\n" : "");
}

}  // namespace

std::string KernelVersion::ToString() const {
  return std::to_string(major) + "." + std::to_string(minor);
}

std::optional<KernelVersion> ParseKernelRelease(const std::string& release) {
  const char* s = release.c_str();
  char* end = nullptr;
  long major = std::strtol(s, &end, 10);
  if (end == s || *end != '.') return std::nullopt;
  const char* m = end + 1;
  long minor = std::strtol(m, &end, 10);
  if (end == m || major <= 0 || major > 99 || minor < 0 || minor > 999) return std::nullopt;
  return KernelVersion{static_cast<int>(major), static_cast<int>(minor)};
}

const std::vector<GasketFix>& GasketFixes() {
  static const std::vector<GasketFix> kFixes = {
      {"class_create",
       "gasket_core.c",
       {6, 4},
       "class_create(driver_desc->module, driver_desc->name);",
       "class_create(driver_desc->name);",
       false},
      {"eventfd_signal",
       "gasket_interrupt.c",
       {6, 8},
       "eventfd_signal(ctx, 1);",
       "eventfd_signal(ctx);",
       false},
      {"no_llseek",
       "gasket_core.c",
       {6, 12},
       ".llseek = no_llseek,",
       ".llseek = noop_llseek,",
       true},
      {"DMA_BUF",
       "gasket_page_table.c",
       {6, 13},
       "MODULE_IMPORT_NS(DMA_BUF);",
       "MODULE_IMPORT_NS(\"DMA_BUF\");",
       false},
  };
  return kFixes;
}

const GasketFix* FindGasketFix(const std::string& id) {
  for (const GasketFix& f : GasketFixes()) {
    if (id == f.id) return &f;
  }
  return nullptr;
}

FixState StateOf(const std::string& text, const GasketFix& fix) {
  if (HasLine(text, fix.new_line)) return FixState::kDone;
  return HasLine(text, fix.old_line) ? FixState::kNeeded : FixState::kUnknown;
}

Result<std::string> ApplyGasketFix(const std::string& text, const GasketFix& fix,
                                   const std::vector<KernelVersion>& kernels) {
  bool needed = std::any_of(kernels.begin(), kernels.end(),
                            [&](const KernelVersion& k) { return k >= fix.since; });
  if (!needed) return text;
  FixState state = StateOf(text, fix);
  if (state == FixState::kDone) return text;
  if (state == FixState::kUnknown) {
    return MakeError(fix.file, std::string("neither '") + fix.old_line + "' nor '" + fix.new_line +
                                   "' found: not the gasket 1.0-18 source");
  }
  bool older = std::any_of(kernels.begin(), kernels.end(),
                           [&](const KernelVersion& k) { return k < fix.since; });
  bool guard = older && !fix.builds_everywhere;
  if (guard && !IncludesVersionHeader(text)) {
    return MakeError(fix.file, "kernels older than " + fix.since.ToString() +
                                   " are installed too, and a guard for both needs "
                                   "<linux/version.h>, which this file does not include");
  }
  std::string out;
  for (const std::string& line : Lines(text)) {
    if (!LineIs(line, fix.old_line)) {
      out += line;
    } else {
      out += guard ? Guard(line, fix) : Rewrite(line, fix.new_line);
    }
  }
  return out;
}

Result<std::string> PatchGasketFile(const std::string& file, const std::string& text,
                                    const std::vector<KernelVersion>& kernels) {
  std::string out = text;
  for (const GasketFix& fix : GasketFixes()) {
    if (file != fix.file) continue;
    CORALPI_ASSIGN_OR_RETURN(out, ApplyGasketFix(out, fix, kernels));
  }
  return out;
}

}  // namespace coralpi::board
