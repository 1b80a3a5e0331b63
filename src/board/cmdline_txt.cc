// cmdline.txt parsing and editing; see cmdline_txt.h.
#include "board/cmdline_txt.h"

#include <algorithm>

namespace coralpi::board {
namespace {

struct Token {
  size_t begin;
  size_t end;
};

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\0'; }

std::vector<Token> Tokenize(std::string_view line) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && IsBlank(line[i])) ++i;
    if (i >= line.size()) break;
    size_t begin = i;
    bool quoted = false;
    while (i < line.size() && (quoted || !IsBlank(line[i]))) {
      if (line[i] == '"') quoted = !quoted;
      ++i;
    }
    out.push_back({begin, i});
  }
  return out;
}

bool IsBlankLine(std::string_view l) {
  for (char c : l) {
    if (!IsBlank(c) && c != '\0') return false;
  }
  return true;
}

std::string_view FirstLine(std::string_view text) {
  size_t nl = text.find('\n');
  return nl == std::string_view::npos ? text : text.substr(0, nl);
}

std::string_view Key(std::string_view token) { return token.substr(0, token.find('=')); }

}  // namespace

std::optional<std::string> Cmdline::KernelParam(std::string_view name) const {
  std::optional<std::string> value;
  for (const std::string& t : kernel_tokens) {
    if (Key(t) != name) continue;
    size_t eq = t.find('=');
    value = eq == std::string::npos ? "" : t.substr(eq + 1);
  }
  return value;
}

Cmdline ParseCmdline(std::string_view text) {
  Cmdline c;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view l = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    if (!IsBlankLine(l)) ++c.content_lines;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  std::string_view first = FirstLine(text);
  bool init = false;
  for (const Token& t : Tokenize(first)) {
    std::string tok(first.substr(t.begin, t.end - t.begin));
    if (!init && tok == "--") {
      init = true;
      continue;
    }
    (init ? c.init_tokens : c.kernel_tokens).push_back(tok);
  }
  return c;
}

Result<std::string> AddKernelParam(std::string_view text, std::string_view token) {
  Cmdline c = ParseCmdline(text);
  if (c.content_lines != 1 || IsBlankLine(FirstLine(text))) {
    return MakeError("cmdline.txt", c.content_lines == 0
                                        ? "is empty; refusing to edit"
                                        : "holds " + std::to_string(c.content_lines) +
                                              " lines; the kernel command line must be a "
                                              "single line, refusing to edit");
  }
  std::string_view line = FirstLine(text);
  if (std::count(line.begin(), line.end(), '"') % 2 != 0) {
    return MakeError("cmdline.txt", "has an unbalanced '\"'; refusing to edit");
  }
  size_t eq = token.find('=');
  std::string_view name = token.substr(0, eq);
  std::optional<std::string> have = c.KernelParam(name);
  std::string want = eq == std::string_view::npos ? "" : std::string(token.substr(eq + 1));
  if (have && *have == want) return std::string(text);

  std::string_view first = FirstLine(text);
  size_t insert_at = first.size();
  while (insert_at > 0 && (IsBlank(first[insert_at - 1]) || first[insert_at - 1] == '\0')) {
    --insert_at;
  }
  std::string piece = " " + std::string(token);
  for (const Token& t : Tokenize(first)) {
    if (first.substr(t.begin, t.end - t.begin) == "--") {
      insert_at = t.begin;
      piece = std::string(token) + " ";
      break;
    }
  }
  std::string out(text);
  out.insert(insert_at, piece);
  return out;
}

}  // namespace coralpi::board
