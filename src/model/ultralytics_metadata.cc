// Both text forms become one JSON value (the Python dict's int keys become the strings that
// metadata.json has: {0: 'person'} -> {"0": "person"}), which one function then checks and
// turns into UltralyticsMetadata.
#include "model/ultralytics_metadata.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "model/appended_zip.h"
#include "model/python_literal.h"

namespace coralpi {
namespace {

using Json = nlohmann::json;

constexpr int kMaxJsonDepth = 64;
constexpr int kMaxImageSide = 1 << 16;
constexpr std::array<UltralyticsTask, 5> kTasks = {
    UltralyticsTask::kDetect, UltralyticsTask::kSegment, UltralyticsTask::kPose,
    UltralyticsTask::kClassify, UltralyticsTask::kObb};

// --- temp_meta.txt: a Python literal as JSON ------------------------------------------------

Result<Json> ToJson(const PythonValue& v);

Result<std::string> KeyToJson(const PythonValue& key) {
  if (key.kind == PythonValue::Kind::kString) return key.text;
  if (key.kind == PythonValue::Kind::kInt) return std::to_string(key.integer);
  return Error{std::string("a dict key is a ") + PythonKindName(key.kind) + ", not an int or str"};
}

Result<Json> DictToJson(const PythonValue& v) {
  Json out = Json::object();
  for (size_t i = 0; i < v.keys.size(); ++i) {
    CORALPI_ASSIGN_OR_RETURN(std::string key, KeyToJson(v.keys[i]));
    if (out.contains(key)) return Error{"the dict key " + key + " appears twice"};
    CORALPI_ASSIGN_OR_RETURN(out[key], ToJson(v.items[i]));
  }
  return out;
}

Result<Json> ToJson(const PythonValue& v) {
  using Kind = PythonValue::Kind;
  switch (v.kind) {
    case Kind::kNone:
      return Json(nullptr);
    case Kind::kBool:
      return Json(v.boolean);
    case Kind::kInt:
      return Json(v.integer);
    case Kind::kFloat:
      return Json(v.number);
    case Kind::kString:
      return Json(v.text);
    case Kind::kDict:
      return DictToJson(v);
    case Kind::kList:
    case Kind::kTuple:
      break;
  }
  Json out = Json::array();
  for (const PythonValue& item : v.items) {
    CORALPI_ASSIGN_OR_RETURN(Json j, ToJson(item));
    out.push_back(std::move(j));
  }
  return out;
}

// --- metadata.json ---------------------------------------------------------------------------

// How deep the text's arrays and objects nest (strings skipped), before nlohmann parses it:
// nesting deeper than kMaxJsonDepth is refused, so that nothing later recurses too deep.
Status CheckJsonDepth(std::string_view text) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;  // the escaped character
      in_string = c != '"';
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxJsonDepth) {
        return Error{"offset " + std::to_string(i) + ": nested more than " +
                     std::to_string(kMaxJsonDepth) + " deep"};
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return OkStatus();
}

Result<Json> ParseJsonText(std::string_view text) {
  CORALPI_RETURN_IF_ERROR(CheckJsonDepth(text));
  try {
    return Json::parse(text);
  } catch (const Json::exception& e) {
    std::string what = e.what();  // "[json.exception.parse_error.101] parse error at ..."
    const size_t bracket = what.find("] ");
    return Error{bracket == std::string::npos ? what : what.substr(bracket + 2)};
  }
}

// --- the keys --------------------------------------------------------------------------------

std::string TypeName(const Json& j) { return j.type_name(); }

std::optional<int64_t> AsInt(const Json& j) {
  if (j.is_number_unsigned()) {
    const uint64_t u = j.get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
    return static_cast<int64_t>(u);
  }
  if (j.is_number_integer()) return j.get<int64_t>();
  return std::nullopt;
}

// A class id spelled as metadata.json spells it: "0", "17" (no sign, no leading zeros).
std::optional<int64_t> ParseClassId(const std::string& key) {
  if (key.empty() || key.size() > 9 || (key.size() > 1 && key[0] == '0')) return std::nullopt;
  if (!std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoll(key);
}

Result<UltralyticsTask> ReadTask(const Json& j) {
  if (!j.is_string()) return Error{"task: a " + TypeName(j) + ", not a string"};
  const std::string name = j.get<std::string>();
  for (UltralyticsTask t : kTasks) {
    if (name == UltralyticsTaskName(t)) return t;
  }
  return Error{"task: '" + name + "' is not one of detect, segment, pose, classify, obb"};
}

// Ids and names in id order, ids checked to be 0..C-1 without gaps.
Result<std::vector<std::string>> SortedNames(std::vector<std::pair<int64_t, std::string>> ids) {
  if (ids.empty()) return Error{"names: no classes"};
  std::sort(ids.begin(), ids.end());
  std::vector<std::string> names;
  for (auto& [id, name] : ids) {
    const auto expected = static_cast<int64_t>(names.size());
    if (id != expected) {
      return Error{"names: ids must be 0.." + std::to_string(ids.size() - 1) + " without gaps: " +
                   (id < expected ? "id " + std::to_string(id) + " appears twice"
                                  : "id " + std::to_string(expected) + " is missing")};
    }
    names.push_back(std::move(name));
  }
  return names;
}

Result<std::vector<std::string>> ReadNames(const Json& j) {
  std::vector<std::pair<int64_t, std::string>> ids;
  if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_string()) return Error{"names[" + std::to_string(i) + "]: not a string"};
      ids.emplace_back(static_cast<int64_t>(i), j[i].get<std::string>());
    }
  } else if (j.is_object()) {
    for (const auto& [key, value] : j.items()) {
      std::optional<int64_t> id = ParseClassId(key);
      if (!id) return Error{"names: key '" + key + "' is not a class id"};
      if (!value.is_string())
        return Error{"names: " + key + ": a " + TypeName(value) + ", not a string"};
      ids.emplace_back(*id, value.get<std::string>());
    }
  } else {
    return Error{"names: a " + TypeName(j) + ", not a dict of class names"};
  }
  return SortedNames(std::move(ids));
}

// A list of `count` integers in [min, max].
Result<std::vector<int>> ReadInts(const Json& j, const std::string& key, size_t count, int64_t min,
                                  int64_t max) {
  const std::string expected = "expected " + std::to_string(count) + " integers in " +
                               std::to_string(min) + ".." + std::to_string(max);
  if (!j.is_array() || j.size() != count) return Error{key + ": " + expected};
  std::vector<int> out;
  for (const Json& item : j) {
    std::optional<int64_t> v = AsInt(item);
    if (!v || *v < min || *v > max) return Error{key + ": " + expected + ", found " + j.dump()};
    out.push_back(static_cast<int>(*v));
  }
  return out;
}

Status ReadImageSize(const Json& j, UltralyticsMetadata& m) {
  Json pair = j;
  if (AsInt(j)) pair = Json::array({j, j});  // one number: a square
  if (pair.is_array() && pair.size() == 1) pair = Json::array({pair[0], pair[0]});
  CORALPI_ASSIGN_OR_RETURN(std::vector<int> hw, ReadInts(pair, "imgsz", 2, 1, kMaxImageSide));
  m.input_height = hw[0];
  m.input_width = hw[1];
  return OkStatus();
}

Status ReadKeypointShape(const Json& j, UltralyticsMetadata& m) {
  CORALPI_ASSIGN_OR_RETURN(std::vector<int> shape, ReadInts(j, "kpt_shape", 2, 1, 1024));
  if (shape[1] != 2 && shape[1] != 3) {
    return Error{"kpt_shape: " + j.dump() + ": each keypoint must have 2 or 3 values"};
  }
  m.kpt_shape = UltralyticsMetadata::KeypointShape{shape[0], shape[1]};
  return OkStatus();
}

Status ReadStride(const Json& j, UltralyticsMetadata& m) {
  std::optional<int64_t> stride = AsInt(j);
  if (!stride || *stride < 1 || *stride > kMaxImageSide) {
    return Error{"stride: expected a positive integer, found " + j.dump()};
  }
  m.stride = static_cast<int>(*stride);
  return OkStatus();
}

// The key `key` of the metadata, into `m`.
Status ReadKey(const std::string& key, const Json& value, UltralyticsMetadata& m) {
  if (key == "task") {
    CORALPI_ASSIGN_OR_RETURN(m.task, ReadTask(value));
  } else if (key == "names") {
    CORALPI_ASSIGN_OR_RETURN(m.names, ReadNames(value));
  } else if (key == "imgsz") {
    return ReadImageSize(value, m);
  } else if (key == "stride") {
    return ReadStride(value, m);
  } else if (key == "kpt_shape") {
    return ReadKeypointShape(value, m);
  } else if (key == "version") {
    if (!value.is_string()) return Error{"version: a " + TypeName(value) + ", not a string"};
    m.version = value.get<std::string>();
  } else {
    m.other[key] = value.is_string() ? value.get<std::string>()
                                     : value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  return OkStatus();
}

Result<UltralyticsMetadata> FromJson(const Json& j, const std::string& source) {
  if (!j.is_object()) return MakeError(source, "a " + TypeName(j) + ", not a dict of keys");
  UltralyticsMetadata m;
  m.source = source;
  for (const auto& [key, value] : j.items()) {
    Status status = ReadKey(key, value, m);
    if (!status.ok()) return WithContext(source, status.error());
  }
  for (const char* required : {"task", "names", "imgsz"}) {
    if (!j.contains(required)) return MakeError(source, std::string("no '") + required + "' key");
  }
  if (m.task == UltralyticsTask::kPose && !m.kpt_shape) {
    return MakeError(source, "task pose without kpt_shape");
  }
  return m;
}

}  // namespace

std::string_view UltralyticsTaskName(UltralyticsTask task) {
  switch (task) {
    case UltralyticsTask::kDetect:
      return "detect";
    case UltralyticsTask::kSegment:
      return "segment";
    case UltralyticsTask::kPose:
      return "pose";
    case UltralyticsTask::kClassify:
      return "classify";
    case UltralyticsTask::kObb:
      return "obb";
  }
  return "?";
}

Result<UltralyticsMetadata> ParseUltralyticsMetadataJson(std::string_view text) {
  const std::string source = "metadata.json";
  Result<Json> j = ParseJsonText(text);
  if (!j.ok()) return WithContext(source, j.error());
  return FromJson(*j, source);
}

Result<UltralyticsMetadata> ParseUltralyticsTempMeta(std::string_view text) {
  const std::string source = "temp_meta.txt";
  Result<PythonValue> literal = ParsePythonLiteral(text);
  if (!literal.ok()) return WithContext(source, literal.error());
  Result<Json> j = ToJson(*literal);
  if (!j.ok()) return WithContext(source, j.error());
  return FromJson(*j, source);
}

Result<std::optional<UltralyticsMetadata>> ReadUltralyticsMetadata(
    std::span<const uint8_t> file_bytes) {
  const std::string where = "ultralytics metadata";
  constexpr std::string_view kEntries[] = {"metadata.json", "temp_meta.txt"};
  Result<std::optional<ZipEntry>> entry =
      ReadAppendedZipEntry(file_bytes, kEntries, kMaxUltralyticsEntryBytes);
  if (!entry.ok()) return WithContext(where, entry.error());
  if (!entry->has_value()) return std::optional<UltralyticsMetadata>();
  const ZipEntry& e = **entry;
  Result<UltralyticsMetadata> m = e.name == kEntries[0] ? ParseUltralyticsMetadataJson(e.data)
                                                        : ParseUltralyticsTempMeta(e.data);
  if (!m.ok()) return WithContext(where, m.error());
  return std::optional<UltralyticsMetadata>(std::move(*m));
}

}  // namespace coralpi
