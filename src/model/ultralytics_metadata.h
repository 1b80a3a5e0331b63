// Ultralytics metadata: what a YOLO .tflite exported by Ultralytics says about itself.
//
// Ultralytics appends a zip archive to the .tflite file, after the FlatBuffer; the Edge TPU
// compiler keeps it. The zip holds one text entry: `metadata.json` (newer versions, JSON) or
// `temp_meta.txt` (older versions, a Python dict literal: {'task': 'detect', 0: 'person', ...}).
// Both hold the same keys: task, names (class id -> name), imgsz ([height, width]), stride,
// kpt_shape (pose models), and description, author, date, version, license, batch, ...
//
// ReadUltralyticsMetadata finds the zip, reads the entry (at most kMaxUltralyticsEntryBytes
// uncompressed: checked against the zip's headers and while inflating) and parses it. A file
// without an appended zip, or whose zip holds neither entry, has no metadata (nullopt); a zip
// that is there but truncated, corrupt or too large, and an entry with bad content, are errors.
// Error messages read "ultralytics metadata: <entry>: <what>"; callers prefix the file name.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace coralpi {

enum class UltralyticsTask { kDetect, kSegment, kPose, kClassify, kObb };

// "detect", "segment", "pose", "classify", "obb": the spelling of Ultralytics' `task` key.
std::string_view UltralyticsTaskName(UltralyticsTask task);

struct UltralyticsMetadata {
  std::string source;  // the zip entry it came from: "metadata.json" or "temp_meta.txt"
  UltralyticsTask task = UltralyticsTask::kDetect;
  std::vector<std::string> names;  // names[id]; ids are 0..C-1 without gaps, C >= 1
  int input_height = 0;            // imgsz[0], > 0
  int input_width = 0;             // imgsz[1], > 0
  std::optional<int> stride;       // > 0 when given
  struct KeypointShape {
    int count = 0;  // keypoints per person (17 for COCO)
    int dims = 0;   // 2 (x, y) or 3 (x, y, visibility)
  };
  std::optional<KeypointShape> kpt_shape;  // given for pose models (and required there)
  std::string version;                     // Ultralytics' version, "" when absent
  // Every other key: strings as they are, other values as compact JSON ("batch" -> "1").
  std::map<std::string, std::string> other;
};

// The most an entry may hold uncompressed.
inline constexpr size_t kMaxUltralyticsEntryBytes = size_t{1} << 20;

// The metadata appended to a .tflite file's bytes, nullopt when there is none.
Result<std::optional<UltralyticsMetadata>> ReadUltralyticsMetadata(
    std::span<const uint8_t> file_bytes);

// The two text forms, parsed and checked (for tests and fuzzing; the reader calls them).
Result<UltralyticsMetadata> ParseUltralyticsMetadataJson(std::string_view text);
Result<UltralyticsMetadata> ParseUltralyticsTempMeta(std::string_view text);

}  // namespace coralpi
