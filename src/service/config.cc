// Reading the configuration file and checking the files it names; the YAML itself is parsed in
// config_yaml.cc.
#include "service/config.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/file.h"
#include "video/source_spec.h"

namespace coralpi {
namespace {

constexpr size_t kMaxConfigBytes = 1 << 20;

// "" when `path` is a readable regular file, else why not.
// Why `path` cannot be read ("" when it can), and whether that is because it is missing.
struct Unreadability {
  std::string why;
  ErrorKind kind = ErrorKind::kBadFile;
};
Unreadability Unreadable(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    const bool missing = errno == ENOENT || errno == ENOTDIR;
    return {std::strerror(errno), missing ? ErrorKind::kNotFound : ErrorKind::kBadFile};
  }
  if (S_ISDIR(st.st_mode)) return {"is a directory"};
  if (::access(path.c_str(), R_OK) != 0) return {std::strerror(errno)};
  return {};
}

}  // namespace

std::string OneLine(std::string_view text) {
  constexpr size_t kMaxChars = 300;
  std::string out;
  for (unsigned char c : text) {
    if (out.size() >= kMaxChars) return out + "...";
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

const ObjectFilter& ObjectsConfig::For(const std::string& label) const {
  auto it = filters.find(label);
  return it == filters.end() ? defaults : it->second;
}

Error ServiceConfig::ErrorAt(const std::string& key_path, const std::string& what) const {
  std::string where = path;
  auto it = lines.find(key_path);
  if (it != lines.end() && it->second > 0) where += ":" + std::to_string(it->second);
  return MakeError(OneLine(where), OneLine(key_path + ": " + what));
}

Result<ServiceConfig> LoadServiceConfig(const std::string& path) {
  Unreadability unreadable = Unreadable(path);
  if (!unreadable.why.empty()) return MakeError(unreadable.kind, path, unreadable.why);
  CORALPI_ASSIGN_OR_RETURN(std::string text, ReadFileText(path));
  if (text.size() > kMaxConfigBytes) {
    return MakeError(ErrorKind::kBadFile, path, "larger than 1 MiB; is this the configuration file?");
  }
  return ParseServiceConfig(text, path);
}

Status CheckConfigFiles(const ServiceConfig& config) {
  std::vector<std::pair<std::string, std::string>> files = {
      {"detector.model", config.detector.model},
      {"detector.labels", config.detector.labels},
      {"detector.edgetpu_lib", config.detector.edgetpu_lib},
      {"detector.tflite_lib", config.detector.tflite_lib},
  };
  if (config.mqtt.enabled) {
    files.push_back({"mqtt.tls.ca_file", config.mqtt.tls.ca_file});
    files.push_back({"mqtt.tls.cert_file", config.mqtt.tls.cert_file});
    files.push_back({"mqtt.tls.key_file", config.mqtt.tls.key_file});
  }
  for (size_t i = 0; i < config.cameras.size(); ++i) {
    auto spec = ParseSourceSpec(config.cameras[i].source);
    if (spec.ok() && spec->kind == SourceKind::kFile) {
      files.push_back({"cameras[" + std::to_string(i) + "].source", spec->location});
    }
  }
  std::string message;
  for (const auto& [key, file] : files) {
    if (file.empty()) continue;
    std::string why = Unreadable(file).why;
    if (why.empty()) continue;
    message += (message.empty() ? "" : "\n") + config.ErrorAt(key, file + ": " + why).message;
  }
  if (message.empty()) return OkStatus();
  // Files the configuration names that are missing or unreadable.
  return Error{message, ErrorKind::kNotFound};
}

}  // namespace coralpi
