// Whole-file reading and atomic writing; see file.h.
#include "core/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace coralpi {
namespace {

// A path that does not exist (or runs through a non-directory) is kNotFound; any other failure
// (no permission, an I/O error, a full disk) makes the file unusable: kBadFile.
Error ErrnoError(const std::string& path, const char* what) {
  const ErrorKind kind =
      errno == ENOENT || errno == ENOTDIR ? ErrorKind::kNotFound : ErrorKind::kBadFile;
  return MakeError(kind, path, std::string(what) + ": " + std::strerror(errno));
}

template <typename Container>
Result<Container> ReadAll(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(path, "cannot open");
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Error e = ErrnoError(path, "cannot stat");
    ::close(fd);
    return e;
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return MakeError(ErrorKind::kBadFile, path, "is a directory, not a file");
  }
  Container data;
  char chunk[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      Error e = ErrnoError(path, "cannot read");
      ::close(fd);
      return e;
    }
    if (n == 0) break;
    data.insert(data.end(), chunk, chunk + n);
  }
  ::close(fd);
  return data;
}

}  // namespace

Result<std::vector<uint8_t>> ReadFileBytes(const std::string& path) {
  return ReadAll<std::vector<uint8_t>>(path);
}

Result<std::string> ReadFileText(const std::string& path) { return ReadAll<std::string>(path); }

Status WriteFileAtomic(const std::string& path, const std::string& data) {
  std::string tmp = path + ".coralpi-tmp-XXXXXX";
  int fd = ::mkstemp(tmp.data());
  if (fd < 0) return ErrnoError(path, "cannot create a temporary file beside it");
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) ::fchmod(fd, st.st_mode & 07777);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Error e = ErrnoError(path, "cannot write");
      ::close(fd);
      ::unlink(tmp.c_str());
      return e;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    Error e = ErrnoError(path, "cannot flush");
    ::unlink(tmp.c_str());
    return e;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Error e = ErrnoError(path, "cannot replace");
    ::unlink(tmp.c_str());
    return e;
  }
  return OkStatus();
}

}  // namespace coralpi
