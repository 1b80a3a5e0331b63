// RootFs: every file the board checks read or write goes through a root directory, so the
// same code inspects the running machine ("/") or a fake tree built by a test. It can also
// overlay planned file contents in memory, which lets `setup` ask "what would doctor say after
// these edits?" without writing anything.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace coralpi::board {

struct FileInfo {
  bool exists = false;
  bool is_dir = false;
  bool is_char_device = false;
  bool is_symlink = false;
  mode_t mode = 0;  // permission bits only
  uid_t uid = 0;
  gid_t gid = 0;
};

class RootFs {
 public:
  // `root` is a directory ("/" for the running machine). Relative paths given to the methods
  // below are taken under it; a leading '/' is allowed and means the same.
  explicit RootFs(std::string root);

  const std::string& root() const { return root_; }
  bool IsRealRoot() const { return root_ == "/"; }

  // The host path of `rel` ("boot/firmware/config.txt" -> "<root>/boot/firmware/config.txt").
  std::string Path(const std::string& rel) const;

  Result<std::string> ReadText(const std::string& rel) const;
  // Reads at most `limit` bytes (for large binaries such as shared libraries).
  Result<std::string> ReadPrefix(const std::string& rel, size_t limit) const;
  // The first line of a small sysfs/proc file with surrounding whitespace and NULs removed;
  // nullopt when the file is missing or unreadable.
  std::optional<std::string> ReadTrimmed(const std::string& rel) const;
  bool Exists(const std::string& rel) const;
  bool IsDir(const std::string& rel) const;
  FileInfo Stat(const std::string& rel) const;  // lstat
  // Names in a directory, sorted, without "." and ".."; empty when missing.
  std::vector<std::string> List(const std::string& rel) const;
  // The target of a symbolic link, or nullopt.
  std::optional<std::string> ReadLink(const std::string& rel) const;

  // In-memory replacement of a file's content (used to preview `setup`).
  void Override(const std::string& rel, std::string content);

 private:
  static std::string Normalize(const std::string& rel);
  std::string root_;
  std::map<std::string, std::string> overrides_;
};

// Joins two relative path pieces with exactly one '/'.
std::string JoinPath(const std::string& a, const std::string& b);

// Decodes a big-endian u32 from the first four bytes, or nullopt when shorter.
std::optional<uint32_t> BigEndianU32(const std::string& bytes);

}  // namespace coralpi::board
