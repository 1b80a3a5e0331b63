// Source specifications -> GStreamer source elements; see source_spec.h.
#include "video/source_spec.h"

#include <charconv>
#include <set>

namespace coralpi {
namespace {

struct SchemeInfo {
  const char* prefix;
  SourceKind kind;
  std::set<std::string> options;  // the ?key=value keys this kind takes
};

const SchemeInfo kSchemes[] = {
    {"file:", SourceKind::kFile, {"loop"}},
    {"v4l2:", SourceKind::kV4l2, {"size", "fps", "format"}},
    {"rtsp://", SourceKind::kRtsp, {}},
    {"rtsps://", SourceKind::kRtsp, {}},
    {"libcamera:", SourceKind::kLibcamera, {"size", "fps"}},
    {"exec:", SourceKind::kExec, {"raw", "format", "fps"}},
    {"test:", SourceKind::kTest, {"size", "fps", "live", "frames"}},
    {"gst:", SourceKind::kGst, {}},
};

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\n");
  return s.substr(b, e - b + 1);
}

bool ParseInt(const std::string& s, int& out) {
  const char* end = s.data() + s.size();
  auto [p, ec] = std::from_chars(s.data(), end, out);
  return ec == std::errc() && p == end;
}

// "a=1&b=2" -> {a: 1, b: 2} when every key is one of `known`; false otherwise.
bool ParseQuery(const std::string& query, const std::set<std::string>& known,
                std::map<std::string, std::string>& out) {
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find('&', start);
    std::string item =
        query.substr(start, amp == std::string::npos ? std::string::npos : amp - start);
    size_t eq = item.find('=');
    if (eq == std::string::npos || !known.count(item.substr(0, eq))) return false;
    out[item.substr(0, eq)] = item.substr(eq + 1);
    if (amp == std::string::npos) break;
    start = amp + 1;
  }
  return true;
}

// Splits "location?query" at the last '?' when the query is made of known keys. A '?' that is
// part of a path or command (followed by anything else) stays in the location.
void SplitOptions(const std::string& rest, const std::set<std::string>& known, SourceSpec& spec) {
  spec.location = rest;
  if (known.empty()) return;
  size_t q = rest.rfind('?');
  if (q == std::string::npos) return;
  std::map<std::string, std::string> options;
  if (!ParseQuery(rest.substr(q + 1), known, options)) return;
  spec.location = rest.substr(0, q);
  spec.options = std::move(options);
}

Status ParseSize(const std::string& key, const std::string& value, SourceSpec& spec) {
  size_t x = value.find('x');
  if (x == std::string::npos || !ParseInt(value.substr(0, x), spec.width) ||
      !ParseInt(value.substr(x + 1), spec.height) || spec.width < 2 || spec.height < 2 ||
      spec.width > 16384 || spec.height > 16384) {
    return MakeError(spec.text, key + "=" + value + ": expected WIDTHxHEIGHT, e.g. 640x480");
  }
  return OkStatus();
}

Status ParseCount(const std::string& key, const std::string& value, int max, int& out,
                  const SourceSpec& spec) {
  if (!ParseInt(value, out) || out < 0 || out > max) {
    return MakeError(spec.text, key + "=" + value + ": expected a whole number from 0 to " +
                                    std::to_string(max));
  }
  return OkStatus();
}

Status ParseBool(const std::string& key, const std::string& value, bool& out,
                 const SourceSpec& spec) {
  if (value == "1" || value == "true" || value == "yes") {
    out = true;
  } else if (value == "0" || value == "false" || value == "no") {
    out = false;
  } else {
    return MakeError(spec.text, key + "=" + value + ": expected 1 or 0");
  }
  return OkStatus();
}

Status ParseTypedOptions(SourceSpec& spec) {
  for (const auto& [key, value] : spec.options) {
    if (key == "size" || key == "raw") {
      CORALPI_RETURN_IF_ERROR(ParseSize(key, value, spec));
    } else if (key == "fps") {
      CORALPI_RETURN_IF_ERROR(ParseCount(key, value, 1000, spec.fps, spec));
    } else if (key == "frames") {
      CORALPI_RETURN_IF_ERROR(ParseCount(key, value, 1'000'000'000, spec.frames, spec));
    } else if (key == "loop") {
      CORALPI_RETURN_IF_ERROR(ParseBool(key, value, spec.loop, spec));
    } else if (key == "live") {
      CORALPI_RETURN_IF_ERROR(ParseBool(key, value, spec.live, spec));
    } else if (key == "format" && spec.kind == SourceKind::kV4l2 && value != "raw" &&
               value != "mjpeg") {
      return MakeError(spec.text, "format=" + value + ": expected raw or mjpeg");
    }
  }
  if (spec.kind == SourceKind::kExec && spec.options.count("format") &&
      !spec.options.count("raw")) {
    return MakeError(spec.text, "format= needs raw=WxH (the size of the raw frames)");
  }
  return OkStatus();
}

Status CheckLocation(SourceSpec& spec) {
  switch (spec.kind) {
    case SourceKind::kFile:
      if (spec.location.empty()) return MakeError(spec.text, "no file name after file:");
      break;
    case SourceKind::kV4l2:
      if (spec.location.rfind("/dev/", 0) != 0)
        return MakeError(spec.text, "expected a device such as v4l2:/dev/video0");
      break;
    case SourceKind::kRtsp: {
      size_t host = spec.location.find("://") + 3;
      size_t end = spec.location.find_first_of("/?#", host);
      std::string authority =
          spec.location.substr(host, end == std::string::npos ? end : end - host);
      if (authority.empty() || authority.back() == '@' || authority.back() == ':')
        return MakeError(spec.text, "bad URI: no host, expected rtsp://HOST[:PORT]/PATH");
      if (spec.location.find_first_of(" \t\n") != std::string::npos)
        return MakeError(spec.text, "bad URI: it contains white space");
      break;
    }
    case SourceKind::kExec:
      if (Trim(spec.location).empty()) return MakeError(spec.text, "no command after exec:");
      break;
    case SourceKind::kTest:
      if (spec.location.empty()) spec.location = "smpte";
      if (spec.width == 0) spec.width = 640, spec.height = 480;
      if (spec.fps == 0) spec.fps = 30;
      break;
    case SourceKind::kGst: {
      size_t bang = spec.location.rfind('!');
      std::string last =
          Trim(bang == std::string::npos ? spec.location : spec.location.substr(bang + 1));
      if (last.rfind("appsink", 0) != 0 || bang == std::string::npos)
        return MakeError(spec.text, "the pipeline must end in \"! appsink\"");
      spec.location = Trim(spec.location.substr(0, bang));
      if (spec.location.empty()) return MakeError(spec.text, "nothing before the appsink");
      break;
    }
    case SourceKind::kLibcamera:
      break;
  }
  return OkStatus();
}

std::string Caps(const SourceSpec& spec, const std::string& media) {
  std::string caps = media;
  if (spec.width > 0)
    caps += ",width=" + std::to_string(spec.width) + ",height=" + std::to_string(spec.height);
  if (spec.fps > 0) caps += ",framerate=" + std::to_string(spec.fps) + "/1";
  return caps;
}

SourcePipeline ExecPipeline(const SourceSpec& spec, int exec_fd) {
  SourcePipeline p;
  p.elements.push_back({"fdsrc", "coralpi_src", {{"fd", std::to_string(exec_fd)}}});
  if (spec.options.count("raw")) {
    std::string format = spec.options.count("format") ? spec.options.at("format") : "i420";
    std::string fps = std::to_string(spec.fps > 0 ? spec.fps : 30) + "/1";
    p.elements.push_back({"rawvideoparse",
                          "coralpi_parse",
                          {{"width", std::to_string(spec.width)},
                           {"height", std::to_string(spec.height)},
                           {"format", format},
                           {"framerate", fps}}});
    p.description = "fdsrc name=coralpi_src ! rawvideoparse name=coralpi_parse";
  } else {
    p.elements.push_back({"decodebin", "", {}});
    p.description = "fdsrc name=coralpi_src ! decodebin";
  }
  return p;
}

}  // namespace

const char* SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kFile:
      return "file";
    case SourceKind::kV4l2:
      return "v4l2";
    case SourceKind::kRtsp:
      return "rtsp";
    case SourceKind::kLibcamera:
      return "libcamera";
    case SourceKind::kExec:
      return "exec";
    case SourceKind::kTest:
      return "test";
    case SourceKind::kGst:
      return "gst";
  }
  return "?";
}

Result<SourceSpec> ParseSourceSpec(const std::string& text) {
  SourceSpec spec;
  spec.text = text;
  for (const SchemeInfo& scheme : kSchemes) {
    std::string prefix = scheme.prefix;
    if (text.rfind(prefix, 0) != 0) continue;
    spec.kind = scheme.kind;
    if (spec.kind == SourceKind::kRtsp) {
      spec.location = text;
    } else {
      SplitOptions(text.substr(prefix.size()), scheme.options, spec);
    }
    CORALPI_RETURN_IF_ERROR(ParseTypedOptions(spec));
    CORALPI_RETURN_IF_ERROR(CheckLocation(spec));
    return spec;
  }
  return MakeError(text,
                   "unknown source: expected file:PATH, v4l2:/dev/videoN, rtsp://..., "
                   "libcamera:[NAME], exec:COMMAND, test:[PATTERN] or gst:PIPELINE ! appsink");
}

bool IsLiveSource(const SourceSpec& spec) {
  switch (spec.kind) {
    case SourceKind::kFile:
      return false;
    case SourceKind::kTest:
      return spec.live;
    case SourceKind::kGst:
      return false;
    default:
      return true;
  }
}

Result<SourcePipeline> BuildSourcePipeline(const SourceSpec& spec, int exec_fd) {
  SourcePipeline p;
  switch (spec.kind) {
    case SourceKind::kFile:
      p.elements = {{"filesrc", "coralpi_src", {{"location", spec.location}}},
                    {"decodebin", "", {}}};
      p.description = "filesrc name=coralpi_src ! decodebin";
      break;
    case SourceKind::kV4l2: {
      p.elements = {{"v4l2src", "coralpi_src", {{"device", spec.location}}}, {"decodebin", "", {}}};
      std::string format = spec.options.count("format") ? spec.options.at("format") : "";
      std::string media = format == "mjpeg" ? "image/jpeg" : format == "raw" ? "video/x-raw" : "";
      bool caps = !media.empty() || spec.width > 0 || spec.fps > 0;
      p.description = "v4l2src name=coralpi_src";
      if (caps) p.description += " ! " + Caps(spec, media.empty() ? "video/x-raw" : media);
      p.description += " ! decodebin";
      break;
    }
    case SourceKind::kRtsp:
      p.elements = {{"rtspsrc", "coralpi_src", {{"location", spec.location}, {"latency", "200"}}},
                    {"decodebin", "", {}}};
      p.description = "rtspsrc name=coralpi_src ! decodebin";
      break;
    case SourceKind::kLibcamera: {
      SourceElement src{"libcamerasrc", "coralpi_src", {}};
      if (!spec.location.empty()) src.properties["camera-name"] = spec.location;
      p.elements = {src};
      p.description = "libcamerasrc name=coralpi_src";
      if (spec.width > 0 || spec.fps > 0) p.description += " ! " + Caps(spec, "video/x-raw");
      break;
    }
    case SourceKind::kExec:
      if (exec_fd < 0) return MakeError(spec.text, "the command's output is not open");
      p = ExecPipeline(spec, exec_fd);
      break;
    case SourceKind::kTest: {
      SourceElement src{"videotestsrc", "coralpi_src", {{"pattern", spec.location}}};
      src.properties["is-live"] = spec.live ? "true" : "false";
      if (spec.frames > 0) src.properties["num-buffers"] = std::to_string(spec.frames);
      p.elements = {src};
      p.description = "videotestsrc name=coralpi_src ! " + Caps(spec, "video/x-raw");
      break;
    }
    case SourceKind::kGst:
      p.description = spec.location;
      break;
  }
  return p;
}

const char* PackageForElement(const std::string& factory) {
  static const std::map<std::string, const char*> kPackages = {
      {"filesrc", "libgstreamer1.0-0"},
      {"fdsrc", "libgstreamer1.0-0"},
      {"decodebin", "gstreamer1.0-plugins-base"},
      {"videoconvert", "gstreamer1.0-plugins-base"},
      {"videoscale", "gstreamer1.0-plugins-base"},
      {"videorate", "gstreamer1.0-plugins-base"},
      {"videotestsrc", "gstreamer1.0-plugins-base"},
      {"rawvideoparse", "gstreamer1.0-plugins-base"},
      {"appsink", "gstreamer1.0-plugins-base"},
      {"v4l2src", "gstreamer1.0-plugins-good"},
      {"rtspsrc", "gstreamer1.0-plugins-good"},
      {"jpegdec", "gstreamer1.0-plugins-good"},
      {"libcamerasrc", "gstreamer1.0-libcamera"},
  };
  auto it = kPackages.find(factory);
  return it == kPackages.end() ? "" : it->second;
}

}  // namespace coralpi
