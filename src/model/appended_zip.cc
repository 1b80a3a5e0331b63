// Finding the appended zip (its end record at the end of the bytes), then minizip over memory:
// its file functions (zlib_filefunc64_def) read the span in place, without a copy.
#include "model/appended_zip.h"

#include <unzip.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

namespace coralpi {
namespace {

constexpr uint8_t kEndSignature[4] = {'P', 'K', 5, 6};
constexpr size_t kEndRecordBytes = 22;  // without the comment
constexpr size_t kMaxCommentBytes = 65535;

enum class EndRecord { kNone, kFound, kCutShort };

// Where the end-of-central-directory record is: found when one ends the bytes exactly (its
// comment length reaching the last byte); cut short when its signature is in the last 21 bytes.
EndRecord FindEndRecord(std::span<const uint8_t> b) {
  const size_t n = b.size();
  const size_t tail_start = n >= kEndRecordBytes ? n - kEndRecordBytes + 1 : 0;
  for (size_t at = tail_start; at + 4 <= n; ++at) {
    if (std::memcmp(b.data() + at, kEndSignature, 4) == 0) return EndRecord::kCutShort;
  }
  if (n < kEndRecordBytes) return EndRecord::kNone;
  const size_t last = n - kEndRecordBytes;
  const size_t first = last > kMaxCommentBytes ? last - kMaxCommentBytes : 0;
  for (size_t at = last + 1; at-- > first;) {
    if (std::memcmp(b.data() + at, kEndSignature, 4) != 0) continue;
    const size_t comment = b[at + 20] | (size_t{b[at + 21]} << 8);
    if (at + kEndRecordBytes + comment == n) return EndRecord::kFound;
  }
  return EndRecord::kNone;
}

// minizip's file functions over a span.
struct MemoryFile {
  std::span<const uint8_t> bytes;
  uint64_t pos = 0;
};

voidpf ZCALLBACK MemoryOpen(voidpf opaque, const void*, int) { return opaque; }

uLong ZCALLBACK MemoryRead(voidpf, voidpf stream, void* buf, uLong size) {
  auto* f = static_cast<MemoryFile*>(stream);
  const uint64_t left = f->pos < f->bytes.size() ? f->bytes.size() - f->pos : 0;
  const uLong n = static_cast<uLong>(std::min<uint64_t>(size, left));
  if (n > 0) std::memcpy(buf, f->bytes.data() + f->pos, n);
  f->pos += n;
  return n;
}

uLong ZCALLBACK MemoryWrite(voidpf, voidpf, const void*, uLong) { return 0; }

ZPOS64_T ZCALLBACK MemoryTell(voidpf, voidpf stream) {
  return static_cast<MemoryFile*>(stream)->pos;
}

long ZCALLBACK MemorySeek(voidpf, voidpf stream, ZPOS64_T offset, int origin) {
  auto* f = static_cast<MemoryFile*>(stream);
  if (origin != ZLIB_FILEFUNC_SEEK_SET && origin != ZLIB_FILEFUNC_SEEK_CUR &&
      origin != ZLIB_FILEFUNC_SEEK_END) {
    return -1;
  }
  const uint64_t base = origin == ZLIB_FILEFUNC_SEEK_SET   ? 0
                        : origin == ZLIB_FILEFUNC_SEEK_CUR ? f->pos
                                                           : f->bytes.size();
  if (offset > f->bytes.size() || base > f->bytes.size() - offset) return -1;
  f->pos = base + offset;
  return 0;
}

int ZCALLBACK MemoryClose(voidpf, voidpf) { return 0; }
int ZCALLBACK MemoryError(voidpf, voidpf) { return 0; }

struct ZipCloser {
  void operator()(void* zip) const { unzClose(zip); }
};
using ZipHandle = std::unique_ptr<void, ZipCloser>;

Error ZipError(const std::string& what) { return MakeError("appended zip", what); }

// Reads every central directory entry (so that a corrupt one is an error wherever it is) and
// returns the index in `names` of the most preferred one present, or names.size().
Result<size_t> FindWanted(unzFile zip, std::span<const std::string_view> names) {
  size_t best = names.size();
  unz_global_info64 global{};
  if (unzGetGlobalInfo64(zip, &global) != UNZ_OK) return ZipError("corrupt end record");
  if (global.number_entry == 0) return best;  // an empty archive
  size_t entry = 0;
  int err = unzGoToFirstFile(zip);
  for (; err == UNZ_OK; ++entry, err = unzGoToNextFile(zip)) {
    unz_file_info64 info{};
    char name[256];
    if (unzGetCurrentFileInfo64(zip, &info, name, sizeof(name), nullptr, 0, nullptr, 0) != UNZ_OK) {
      return ZipError("central directory entry " + std::to_string(entry) + " is corrupt");
    }
    if (info.size_filename >= sizeof(name)) continue;
    for (size_t i = 0; i < best; ++i) {
      if (names[i] == std::string_view(name, info.size_filename)) best = i;
    }
  }
  if (err != UNZ_END_OF_LIST_OF_FILE) {
    return ZipError("central directory entry " + std::to_string(entry) + " is corrupt");
  }
  return best;
}

// Checks what the central directory says of the current entry before inflating anything.
Result<uint64_t> CheckEntryHeader(unzFile zip, const std::string& name, size_t max_bytes) {
  unz_file_info64 info{};
  if (unzGetCurrentFileInfo64(zip, &info, nullptr, 0, nullptr, 0, nullptr, 0) != UNZ_OK) {
    return ZipError(name + ": corrupt entry");
  }
  if (info.flag & 1) return ZipError(name + ": encrypted");
  if (info.compression_method != 0 && info.compression_method != Z_DEFLATED) {
    return ZipError(name + ": compression method " + std::to_string(info.compression_method) +
                    " (only stored and deflate are read)");
  }
  if (info.uncompressed_size > max_bytes) {
    return ZipError(name + ": declares " + std::to_string(info.uncompressed_size) +
                    " bytes uncompressed, more than the limit of " + std::to_string(max_bytes));
  }
  return info.uncompressed_size;
}

// Inflates the current entry, never more than max_bytes, and checks its size and CRC.
Result<std::string> InflateEntry(unzFile zip, const std::string& name, uint64_t declared,
                                 size_t max_bytes) {
  if (unzOpenCurrentFile(zip) != UNZ_OK) return ZipError(name + ": corrupt local header");
  std::string data;
  std::vector<char> chunk(64 * 1024);
  int n = 0;
  while ((n = unzReadCurrentFile(zip, chunk.data(), static_cast<unsigned>(chunk.size()))) > 0) {
    if (static_cast<size_t>(n) > max_bytes - data.size()) {
      unzCloseCurrentFile(zip);
      return ZipError(name + ": inflates to more than the limit of " + std::to_string(max_bytes) +
                      " bytes");
    }
    data.append(chunk.data(), static_cast<size_t>(n));
  }
  const int closed = unzCloseCurrentFile(zip);
  if (n < 0)
    return ZipError(name + ": corrupt or truncated data (minizip error " + std::to_string(n) + ")");
  if (data.size() != declared) {
    return ZipError(name + ": holds " + std::to_string(data.size()) + " bytes, its header says " +
                    std::to_string(declared));
  }
  if (closed == UNZ_CRCERROR) return ZipError(name + ": CRC mismatch");
  if (closed != UNZ_OK) return ZipError(name + ": corrupt data");
  return data;
}

}  // namespace

Result<std::optional<ZipEntry>> ReadAppendedZipEntry(std::span<const uint8_t> file_bytes,
                                                     std::span<const std::string_view> names,
                                                     size_t max_bytes) {
  const EndRecord end = FindEndRecord(file_bytes);
  if (end == EndRecord::kNone) return std::optional<ZipEntry>();
  if (end == EndRecord::kCutShort) return ZipError("end of central directory record cut short");
  MemoryFile file{file_bytes, 0};
  zlib_filefunc64_def functions{MemoryOpen, MemoryRead,  MemoryWrite, MemoryTell,
                                MemorySeek, MemoryClose, MemoryError, &file};
  ZipHandle zip(unzOpen2_64("", &functions));
  if (!zip) return ZipError("truncated or corrupt (its central directory cannot be read)");
  CORALPI_ASSIGN_OR_RETURN(size_t wanted, FindWanted(zip.get(), names));
  if (wanted == names.size()) return std::optional<ZipEntry>();
  ZipEntry entry{std::string(names[wanted]), {}};
  if (unzLocateFile(zip.get(), entry.name.c_str(), 1) != UNZ_OK) {
    return ZipError(entry.name + ": cannot be found again");
  }
  CORALPI_ASSIGN_OR_RETURN(uint64_t declared, CheckEntryHeader(zip.get(), entry.name, max_bytes));
  CORALPI_ASSIGN_OR_RETURN(entry.data, InflateEntry(zip.get(), entry.name, declared, max_bytes));
  return std::optional<ZipEntry>(std::move(entry));
}

}  // namespace coralpi
