// Whole-file reading and atomic writing, with errors that name the file and the reason.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace coralpi {

// Reads a whole file. Errors name the path and the reason (missing, a directory, unreadable).
Result<std::vector<uint8_t>> ReadFileBytes(const std::string& path);
Result<std::string> ReadFileText(const std::string& path);

// Writes `data` to `path` through a temporary file in the same directory, fsync and rename,
// so a reader never sees a half-written file. Keeps the mode of an existing file.
Status WriteFileAtomic(const std::string& path, const std::string& data);

}  // namespace coralpi
