// RootFs: file access under a configurable root; see root_fs.h.
#include "host/root_fs.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "core/file.h"

namespace coralpi::board {

RootFs::RootFs(std::string root) : root_(std::move(root)) {
  if (root_.empty()) root_ = "/";
  while (root_.size() > 1 && root_.back() == '/') root_.pop_back();
}

std::string RootFs::Normalize(const std::string& rel) {
  size_t i = 0;
  while (i < rel.size() && rel[i] == '/') ++i;
  std::string out = rel.substr(i);
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out;
}

std::string JoinPath(const std::string& a, const std::string& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  std::string out = a;
  if (out.back() != '/') out += '/';
  size_t i = 0;
  while (i < b.size() && b[i] == '/') ++i;
  return out + b.substr(i);
}

std::string RootFs::Path(const std::string& rel) const {
  std::string n = Normalize(rel);
  if (n.empty()) return root_;
  return root_ == "/" ? "/" + n : root_ + "/" + n;
}

Result<std::string> RootFs::ReadText(const std::string& rel) const {
  auto it = overrides_.find(Normalize(rel));
  if (it != overrides_.end()) return it->second;
  return ReadFileText(Path(rel));
}

Result<std::string> RootFs::ReadPrefix(const std::string& rel, size_t limit) const {
  auto it = overrides_.find(Normalize(rel));
  if (it != overrides_.end()) return it->second.substr(0, limit);
  std::string path = Path(rel);
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) return MakeError(path, "cannot open");
  std::string data(limit, '\0');
  size_t n = std::fread(data.data(), 1, limit, f);
  std::fclose(f);
  data.resize(n);
  return data;
}

std::optional<std::string> RootFs::ReadTrimmed(const std::string& rel) const {
  Result<std::string> text = ReadText(rel);
  if (!text.ok()) return std::nullopt;
  std::string s = *text;
  size_t nl = s.find('\n');
  if (nl != std::string::npos) s.resize(nl);
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\0'; };
  while (!s.empty() && is_space(s.back())) s.pop_back();
  size_t b = 0;
  while (b < s.size() && is_space(s[b])) ++b;
  return s.substr(b);
}

FileInfo RootFs::Stat(const std::string& rel) const {
  FileInfo info;
  if (overrides_.count(Normalize(rel)) != 0) {
    info.exists = true;
  }
  struct stat st {};
  if (::lstat(Path(rel).c_str(), &st) != 0) return info;
  info.exists = true;
  info.is_symlink = S_ISLNK(st.st_mode);
  if (info.is_symlink) {
    struct stat target {};
    if (::stat(Path(rel).c_str(), &target) == 0) st = target;
  }
  info.is_dir = S_ISDIR(st.st_mode);
  info.is_char_device = S_ISCHR(st.st_mode);
  info.mode = st.st_mode & 07777;
  info.uid = st.st_uid;
  info.gid = st.st_gid;
  return info;
}

bool RootFs::Exists(const std::string& rel) const {
  if (overrides_.count(Normalize(rel)) != 0) return true;
  struct stat st {};
  return ::stat(Path(rel).c_str(), &st) == 0;
}

bool RootFs::IsDir(const std::string& rel) const {
  struct stat st {};
  return ::stat(Path(rel).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::vector<std::string> RootFs::List(const std::string& rel) const {
  std::vector<std::string> names;
  DIR* dir = ::opendir(Path(rel).c_str());
  if (dir != nullptr) {
    while (dirent* e = ::readdir(dir)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    ::closedir(dir);
  }
  std::string prefix = Normalize(rel);
  for (const auto& [path, content] : overrides_) {
    size_t slash = path.rfind('/');
    std::string parent = slash == std::string::npos ? "" : path.substr(0, slash);
    std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    if (parent == prefix) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::optional<std::string> RootFs::ReadLink(const std::string& rel) const {
  char buf[4096];
  ssize_t n = ::readlink(Path(rel).c_str(), buf, sizeof buf - 1);
  if (n < 0) return std::nullopt;
  return std::string(buf, static_cast<size_t>(n));
}

void RootFs::Override(const std::string& rel, std::string content) {
  overrides_[Normalize(rel)] = std::move(content);
}

std::optional<uint32_t> BigEndianU32(const std::string& bytes) {
  if (bytes.size() < 4) return std::nullopt;
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(bytes[i])); };
  return (b(0) << 24) | (b(1) << 16) | (b(2) << 8) | b(3);
}

}  // namespace coralpi::board
