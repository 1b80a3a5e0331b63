// Zip archives written byte by byte for the metadata tests and fuzz seeds: the layout of the
// zip specification (local headers, central directory, end record), with every field that the
// reader checks open to a lie, so that broken and hostile archives can be made on purpose.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace coralpi::testing {

struct ZipFileSpec {
  std::string name;
  std::string data;
  bool deflate = true;  // method 8, else stored (method 0)
  // Lies the headers may tell (both the local header and the central directory tell them).
  std::optional<uint32_t> crc;                // default: the CRC-32 of data
  std::optional<uint32_t> uncompressed_size;  // default: data.size()
  std::optional<uint16_t> method;             // default: 8 or 0 as `deflate` says
  uint16_t flags = 0;                         // bit 0: encrypted
};

// A zip of `files` whose offsets count from `base_offset`: the length of the bytes it will be
// appended to, as Python's zipfile (and so Ultralytics) writes them, or 0 for offsets that
// count from the archive's own start.
std::vector<uint8_t> MakeZip(const std::vector<ZipFileSpec>& files, uint64_t base_offset);

// `file` with a zip of `files` appended, its offsets counted from the file's start.
std::vector<uint8_t> AppendZip(std::vector<uint8_t> file, const std::vector<ZipFileSpec>& files);

// Where the central directory starts in bytes that end with a zip without a comment.
size_t CentralDirectoryOffset(const std::vector<uint8_t>& zip_at_end);

}  // namespace coralpi::testing
