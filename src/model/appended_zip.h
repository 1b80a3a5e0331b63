// A zip archive appended to a file, read from memory: Ultralytics appends one to its .tflite
// exports (ultralytics_metadata.h), and the FlatBuffer in front of it does not mind.
//
// The archive is looked for at the end of the bytes only: its end-of-central-directory record
// must end the file (after its comment, if any), as it does when a zip is appended. A file
// whose last bytes are no such record holds no zip. The rest is zlib's minizip, over the bytes
// in memory; it tolerates the data in front of the archive whether the archive's offsets count
// from the start of the file (as Python's zipfile writes them) or from the archive's start.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"

namespace coralpi {

struct ZipEntry {
  std::string name;
  std::string data;  // the entry uncompressed
};

// The first of `names` (in that order of preference) that the zip appended to `file_bytes`
// holds, read whole. nullopt: no zip at the end of the bytes, or none of the names in it.
// Errors: a zip that is there but truncated or corrupt (every central directory entry is
// read), and a wanted entry that is encrypted, compressed by other than store or deflate,
// declares or inflates to more than `max_bytes`, holds another size than it declares, or fails
// its CRC.
Result<std::optional<ZipEntry>> ReadAppendedZipEntry(std::span<const uint8_t> file_bytes,
                                                     std::span<const std::string_view> names,
                                                     size_t max_bytes);

}  // namespace coralpi
