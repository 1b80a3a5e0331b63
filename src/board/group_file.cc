// Group file edits; see group_file.h.
#include "board/group_file.h"

#include <cstdlib>
#include <set>
#include <vector>

namespace coralpi::board {
namespace {

struct Line {
  size_t begin = 0;  // offset of the line in the text
  size_t end = 0;    // offset of its '\n' (or the text's end)
};

std::vector<Line> SplitLines(const std::string& text) {
  std::vector<Line> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string::npos ? text.size() : nl;
    lines.push_back({pos, end});
    pos = end + 1;
  }
  return lines;
}

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> f;
  size_t pos = 0;
  for (;;) {
    size_t colon = line.find(':', pos);
    f.push_back(line.substr(pos, colon == std::string::npos ? std::string::npos : colon - pos));
    if (colon == std::string::npos) break;
    pos = colon + 1;
  }
  return f;
}

bool IsMember(const std::string& members, const std::string& user) {
  size_t pos = 0;
  while (pos <= members.size()) {
    size_t comma = members.find(',', pos);
    size_t end = comma == std::string::npos ? members.size() : comma;
    if (members.compare(pos, end - pos, user) == 0 && end - pos == user.size()) return true;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return false;
}

// Appends `user` to the fourth field of `group`'s line, or adds `new_line` at the end.
std::string AddMember(const std::string& text, const std::string& group, const std::string& user,
                      const std::string& new_line) {
  for (const Line& l : SplitLines(text)) {
    std::string line = text.substr(l.begin, l.end - l.begin);
    std::vector<std::string> f = Fields(line);
    if (f.empty() || f[0] != group) continue;
    std::string members = f.size() >= 4 ? f[3] : "";
    if (IsMember(members, user)) return text;
    std::string edited = line;
    while (Fields(edited).size() < 4) edited += ':';
    size_t fourth = 0;
    for (int i = 0; i < 3; ++i) fourth = edited.find(':', fourth) + 1;
    size_t fourth_end = edited.find(':', fourth);
    if (fourth_end == std::string::npos) fourth_end = edited.size();
    // Keep a trailing '\r' (a CRLF file) outside the member list.
    if (fourth_end == edited.size() && fourth_end > fourth && edited.back() == '\r') --fourth_end;
    bool empty = fourth_end == fourth;
    edited.insert(fourth_end, (empty ? "" : ",") + user);
    return text.substr(0, l.begin) + edited + text.substr(l.end);
  }
  std::string out = text;
  if (!out.empty() && out.back() != '\n') out += '\n';
  return out + new_line + "\n";
}

}  // namespace

std::optional<std::string> GroupMembers(const std::string& text, const std::string& group) {
  for (const Line& l : SplitLines(text)) {
    std::vector<std::string> f = Fields(text.substr(l.begin, l.end - l.begin));
    if (f.size() >= 3 && f[0] == group) return f.size() >= 4 ? f[3] : "";
  }
  return std::nullopt;
}

Result<unsigned> FreeSystemGid(const std::string& group_text) {
  std::set<unsigned long> used;
  for (const Line& l : SplitLines(group_text)) {
    std::vector<std::string> f = Fields(group_text.substr(l.begin, l.end - l.begin));
    if (f.size() >= 3 && !f[2].empty()) used.insert(std::strtoul(f[2].c_str(), nullptr, 10));
  }
  for (unsigned gid = 999; gid >= 100; --gid) {
    if (used.count(gid) == 0) return gid;
  }
  return MakeError("etc/group", "no free system gid between 100 and 999");
}

std::string AddToGroupFile(const std::string& text, const std::string& group,
                           const std::string& user, unsigned gid) {
  return AddMember(text, group, user, group + ":x:" + std::to_string(gid) + ":" + user);
}

std::string AddToGshadowFile(const std::string& text, const std::string& group,
                             const std::string& user) {
  return AddMember(text, group, user, group + ":!::" + user);
}

bool ValidUserName(const std::string& name) {
  if (name.empty() || name[0] == '-') return false;
  for (char ch : name) {
    if (ch == ':' || ch == ',' || ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') return false;
  }
  return true;
}

}  // namespace coralpi::board
