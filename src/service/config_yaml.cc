// coralpi.yaml -> ServiceConfig with yaml-cpp. A Section reads one mapping key by key, checking
// each value's type and range where it is read; what the section was never asked for is an
// unknown key. Every problem is kept (with the line yaml-cpp's Mark gives), so --check lists
// them all at once. yaml-cpp reports through exceptions: they are caught here and become
// errors, none leaves this file.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "service/config.h"
#include "video/source_spec.h"

namespace coralpi {
namespace {

// Names that are also paths under /api/ cannot be camera names.
const std::set<std::string> kReservedCameraNames = {"events", "stats", "version"};

int LineOf(const YAML::Node& node) {
  if (!node.IsDefined()) return 0;
  const YAML::Mark mark = node.Mark();
  return mark.is_null() ? 0 : mark.line + 1;
}

bool IsPlainName(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '-' || c == '_';
  });
}

// Edit distance, small strings only: for "did you mean" hints.
size_t Distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

class Parser {
 public:
  Parser(ServiceConfig& config) : config_(config) {}

  void Fail(const YAML::Node& node, const std::string& key_path, const std::string& what) {
    Fail(LineOf(node), key_path, what);
  }
  void Fail(int line, const std::string& key_path, const std::string& what) {
    std::string where = config_.path;
    if (line > 0) where += ":" + std::to_string(line);
    errors_.push_back(
        MakeError(OneLine(where), OneLine(key_path.empty() ? what : key_path + ": " + what))
            .message);
  }
  void Note(const std::string& key_path, const YAML::Node& node) {
    config_.lines[key_path] = LineOf(node);
  }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  ServiceConfig& config_;
  std::vector<std::string> errors_;
};

// One mapping of the file. Read* take the value of a key when it is there and well typed (and
// leave the default otherwise); Done reports the keys nobody read.
class Section {
 public:
  Section(Parser& p, const YAML::Node& node, std::string path) : p_(p), node_(node), path_(path) {
    if (node.IsNull()) return;  // "mqtt:" with everything below commented out: all defaults
    if (!node.IsMap()) {
      p_.Fail(node, path_, "expected a mapping of keys to values");
      return;
    }
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!it->first.IsScalar()) {
        p_.Fail(it->first, path_, "keys must be plain words");
        continue;
      }
      std::string key = it->first.Scalar();
      if (!seen.insert(key).second) {
        p_.Fail(it->first, Path(key), "given twice");
        continue;
      }
      keys_.push_back({key, it->first, it->second});
    }
  }

  std::string Path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  int line() const { return LineOf(node_); }

  // The value of `key` (an undefined node when absent); the key counts as known.
  YAML::Node Get(const std::string& key) {
    known_.insert(key);
    for (const Entry& e : keys_) {
      if (e.key == key) {
        p_.Note(Path(key), e.value);
        return e.value;
      }
    }
    return YAML::Node(YAML::NodeType::Undefined);
  }
  bool Require(const std::string& key) {
    if (Get(key).IsDefined()) return true;
    p_.Fail(node_, Path(key), "missing (required)");
    return false;
  }

  bool ReadString(const std::string& key, std::string& out) {
    YAML::Node v = Get(key);
    if (!v.IsDefined()) return false;
    if (!v.IsScalar()) return Wrong(v, key, "a string");
    out = v.Scalar();
    return true;
  }
  bool ReadBool(const std::string& key, bool& out) {
    YAML::Node v = Get(key);
    if (!v.IsDefined()) return false;
    if (!v.IsScalar() || !YAML::convert<bool>::decode(v, out))
      return Wrong(v, key, "true or false");
    return true;
  }
  bool ReadInt(const std::string& key, int& out, int lo, int hi) {
    YAML::Node v = Get(key);
    if (!v.IsDefined()) return false;
    long long value = 0;
    std::string range = "a whole number from " + std::to_string(lo) + " to " + std::to_string(hi);
    if (!v.IsScalar() || !YAML::convert<long long>::decode(v, value) || value < lo || value > hi)
      return Wrong(v, key, range);
    out = static_cast<int>(value);
    return true;
  }
  template <typename Real>
  bool ReadReal(const std::string& key, Real& out, double lo, double hi) {
    YAML::Node v = Get(key);
    if (!v.IsDefined()) return false;
    double value = 0;
    char range[96];
    std::snprintf(range, sizeof range, "a number from %g to %g", lo, hi);
    if (!v.IsScalar() || !YAML::convert<double>::decode(v, value) || !(value >= lo && value <= hi))
      return Wrong(v, key, range);
    out = static_cast<Real>(value);
    return true;
  }
  bool ReadStringList(const std::string& key, std::vector<std::string>& out) {
    YAML::Node v = Get(key);
    if (!v.IsDefined()) return false;
    if (!v.IsSequence()) return Wrong(v, key, "a list, e.g. [person, dog]");
    out.clear();
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].IsScalar() || v[i].Scalar().empty())
        return Wrong(v[i], key + "[" + std::to_string(i) + "]", "a label");
      out.push_back(v[i].Scalar());
    }
    return true;
  }
  // "640x480" -> 640, 480.
  bool ReadSize(const std::string& key, int& width, int& height) {
    std::string text;
    if (!ReadString(key, text)) return false;
    int w = 0, h = 0;
    char x = 0, extra = 0;
    if (std::sscanf(text.c_str(), "%d%c%d%c", &w, &x, &h, &extra) != 3 || x != 'x' || w < 2 ||
        h < 2 || w > 8192 || h > 8192) {
      return Wrong(Get(key), key, "WIDTHxHEIGHT, e.g. 640x480");
    }
    width = w, height = h;
    return true;
  }

  // The keys of this section that were never asked for.
  void Done() {
    for (const Entry& e : keys_) {
      if (known_.count(e.key)) continue;
      std::string what = "unknown key";
      for (const std::string& k : known_) {
        if (Distance(k, e.key) <= 2) {
          what += " (did you mean " + Quoted(k) + "?)";
          break;
        }
      }
      if (known_.size() <= 12) {
        what += "; known here: ";
        for (const std::string& k : known_) what += (k == *known_.begin() ? "" : ", ") + k;
      }
      p_.Fail(e.key_node, Path(e.key), what);
    }
  }

  Parser& parser() { return p_; }

 private:
  bool Wrong(const YAML::Node& v, const std::string& key, const std::string& expected) {
    std::string got = v.IsNull()       ? "nothing"
                      : v.IsScalar()   ? Quoted(v.Scalar())
                      : v.IsSequence() ? "a list"
                                       : "a mapping";
    p_.Fail(v, Path(key), "expected " + expected + ", got " + got);
    return false;
  }

  struct Entry {
    std::string key;
    YAML::Node key_node, value;
  };
  Parser& p_;
  YAML::Node node_;
  std::string path_;
  std::vector<Entry> keys_;
  std::set<std::string> known_;
};

void ReadCamera(Section& s, CameraConfig& c) {
  const std::string name_path = s.Path("name");
  if (s.Require("name") && s.ReadString("name", c.name)) {
    if (!IsPlainName(c.name) || c.name.size() > 64) {
      s.parser().Fail(s.Get("name"), name_path,
                      Quoted(c.name) +
                          ": use 1 to 64 letters, digits, '-' or '_' (it becomes "
                          "part of MQTT topics and URLs)");
    } else if (kReservedCameraNames.count(c.name)) {
      s.parser().Fail(s.Get("name"), name_path,
                      Quoted(c.name) + " is reserved (/api/" + c.name + " is another page)");
    }
  }
  if (s.Require("source") && s.ReadString("source", c.source)) {
    auto spec = ParseSourceSpec(c.source);
    if (!spec.ok()) s.parser().Fail(s.Get("source"), s.Path("source"), spec.error().message);
  }
  s.ReadInt("fps", c.fps, 0, 1000);
  s.ReadSize("size", c.width, c.height);
  s.Done();
}

void ReadCameras(Section& top, std::vector<CameraConfig>& cameras) {
  if (!top.Require("cameras")) return;
  YAML::Node list = top.Get("cameras");
  Parser& p = top.parser();
  if (!list.IsSequence() || list.size() == 0) {
    p.Fail(list, "cameras", "expected a list of cameras, each with a name and a source");
    return;
  }
  std::map<std::string, int> names;  // name -> line
  for (size_t i = 0; i < list.size(); ++i) {
    std::string path = "cameras[" + std::to_string(i) + "]";
    Section s(p, list[i], path);
    CameraConfig camera;
    ReadCamera(s, camera);
    if (camera.name.empty()) continue;
    auto [it, fresh] = names.emplace(camera.name, s.line());
    if (!fresh) {
      p.Fail(s.Get("name"), path + ".name",
             Quoted(camera.name) + " is already the name of the camera on line " +
                 std::to_string(it->second));
    }
    cameras.push_back(std::move(camera));
  }
}

void ReadDetector(Section& s, DetectorConfig& d) {
  static const std::set<std::string> kBackends = {"auto", "cpu", "tflite", "edgetpu", "stand-in"};
  if (s.ReadString("backend", d.backend) && !kBackends.count(d.backend)) {
    s.parser().Fail(s.Get("backend"), s.Path("backend"),
                    Quoted(d.backend) + ": expected auto, cpu, tflite, edgetpu or stand-in");
  }
  s.ReadString("device", d.device);
  s.ReadString("model", d.model);
  s.ReadString("labels", d.labels);
  s.ReadInt("threads", d.threads, 1, 64);
  s.ReadInt("count", d.count, 1, 16);
  s.ReadReal("stand_in_ms", d.stand_in_ms, 0.0, 10000.0);
  s.ReadReal("timeout_s", d.timeout_s, 0.0, 3600.0);
  bool hang = s.ReadInt("stand_in_hang_at", d.stand_in_hang_at, 0, 1000000000);
  hang = s.ReadReal("stand_in_hang_s", d.stand_in_hang_s, 0.0, 3600.0) || hang;
  s.ReadString("edgetpu_lib", d.edgetpu_lib);
  s.ReadString("tflite_lib", d.tflite_lib);
  if (hang && d.backend != "stand-in") {
    const std::string key =
        s.Get("stand_in_hang_at").IsDefined() ? "stand_in_hang_at" : "stand_in_hang_s";
    s.parser().Fail(s.Get(key), s.Path(key), "only the stand-in detector can be made to hang");
  }
  if (d.backend == "stand-in" && !d.model.empty()) {
    s.parser().Fail(s.Get("model"), s.Path("model"), "the stand-in detector takes no model");
  } else if (d.backend != "stand-in" && d.model.empty()) {
    s.parser().Fail(s.line(), s.Path("model"),
                    "missing (required: a detection model, or backend: stand-in)");
  }
  s.Done();
}

void ReadFilter(Section& s, ObjectFilter& f) {
  s.ReadReal("min_score", f.min_score, 0.0, 1.0);
  s.ReadReal("threshold", f.threshold, 0.0, 1.0);
}

void ReadObjects(Section& s, ObjectsConfig& o) {
  s.ReadStringList("track", o.track);
  ReadFilter(s, o.defaults);
  YAML::Node filters = s.Get("filters");
  if (filters.IsDefined()) {
    Section all(s.parser(), filters, s.Path("filters"));
    for (auto it = filters.begin(); filters.IsMap() && it != filters.end(); ++it) {
      if (!it->first.IsScalar()) continue;  // reported by `all`
      std::string label = it->first.Scalar();
      Section one(s.parser(), all.Get(label), all.Path(label));
      ObjectFilter f = o.defaults;  // what a filter leaves out comes from the objects' own
      ReadFilter(one, f);
      one.Done();
      o.filters[label] = f;
    }
  }
  s.Done();
}

void ReadTls(Section& s, TlsConfig& t) {
  s.ReadString("ca_file", t.ca_file);
  s.ReadString("cert_file", t.cert_file);
  s.ReadString("key_file", t.key_file);
  s.ReadBool("insecure", t.insecure);
  if (t.cert_file.empty() != t.key_file.empty()) {
    s.parser().Fail(s.line(), s.Path(t.cert_file.empty() ? "cert_file" : "key_file"),
                    "missing (cert_file and key_file go together)");
  }
  if (t.ca_file.empty() && (!t.cert_file.empty() || t.insecure)) {
    s.parser().Fail(s.line(), s.Path("ca_file"), "missing (TLS needs the broker's CA file)");
  }
  s.Done();
}

// MQTT topic levels the prefix may hold: no wildcards, no empty levels.
bool IsTopicPrefix(const std::string& p) {
  return !p.empty() && p.front() != '/' && p.back() != '/' &&
         p.find_first_of("+#") == std::string::npos && p.find("//") == std::string::npos &&
         std::none_of(p.begin(), p.end(), [](unsigned char c) { return c < 0x20; });
}

void ReadMqtt(Section& s, MqttConfig& m) {
  m.enabled = true;
  s.ReadBool("enabled", m.enabled);
  if (s.ReadString("host", m.host) && m.host.empty())
    s.parser().Fail(s.Get("host"), s.Path("host"), "empty");
  s.ReadInt("port", m.port, 1, 65535);
  if (s.ReadString("prefix", m.prefix) && !IsTopicPrefix(m.prefix)) {
    s.parser().Fail(s.Get("prefix"), s.Path("prefix"),
                    Quoted(m.prefix) + ": expected topic levels without + or # (e.g. coralpi)");
  }
  if (s.ReadString("client_id", m.client_id) && (m.client_id.empty() || m.client_id.size() > 128))
    s.parser().Fail(s.Get("client_id"), s.Path("client_id"), "expected 1 to 128 characters");
  s.ReadString("user", m.user);
  if (s.ReadString("password", m.password) && m.user.empty())
    s.parser().Fail(s.Get("password"), s.Path("password"), "a password needs a user");
  YAML::Node tls = s.Get("tls");
  if (tls.IsDefined()) {
    Section t(s.parser(), tls, s.Path("tls"));
    ReadTls(t, m.tls);
  }
  s.ReadInt("keepalive", m.keepalive_s, 5, 3600);
  s.ReadReal("stats_interval", m.stats_interval_s, 1.0, 86400.0);
  s.ReadBool("home_assistant", m.home_assistant);
  if (s.ReadString("discovery_prefix", m.discovery_prefix) && !IsTopicPrefix(m.discovery_prefix))
    s.parser().Fail(s.Get("discovery_prefix"), s.Path("discovery_prefix"),
                    "expected topic levels without + or #");
  s.Done();
}

void ReadHttp(Section& s, HttpConfig& h) {
  s.ReadBool("enabled", h.enabled);
  if (s.ReadString("bind", h.bind) && h.bind.empty())
    s.parser().Fail(s.Get("bind"), s.Path("bind"), "empty (127.0.0.1 serves this machine only)");
  s.ReadInt("port", h.port, 0, 65535);
  if (s.ReadString("token", h.token) &&
      (h.token.size() < 8 || std::any_of(h.token.begin(), h.token.end(),
                                         [](unsigned char c) { return c <= 0x20 || c >= 0x7f; }))) {
    s.parser().Fail(s.Get("token"), s.Path("token"),
                    "expected at least 8 printable characters without spaces");
  }
  s.ReadInt("max_stream_clients", h.max_stream_clients, 1, 64);
  s.Done();
}

template <typename T>
void ReadOptional(Section& top, const std::string& key, void (*read)(Section&, T&), T& out) {
  YAML::Node node = top.Get(key);
  if (!node.IsDefined()) return;
  Section s(top.parser(), node, key);
  read(s, out);
}

void ReadAll(const YAML::Node& root, Parser& p, ServiceConfig& c) {
  if (!root.IsDefined() || root.IsNull()) {
    p.Fail(0, "", "empty: expected at least cameras and a detector");
    return;
  }
  Section top(p, root, "");
  if (!root.IsMap()) return;  // reported by Section
  ReadCameras(top, c.cameras);
  if (top.Require("detector")) ReadOptional(top, "detector", ReadDetector, c.detector);
  ReadOptional(top, "objects", ReadObjects, c.objects);
  ReadOptional(top, "mqtt", ReadMqtt, c.mqtt);
  ReadOptional(top, "http", ReadHttp, c.http);
  top.Done();
}

}  // namespace

Result<ServiceConfig> ParseServiceConfig(std::string_view text, const std::string& path) {
  ServiceConfig config;
  config.path = path;
  Parser parser(config);
  try {
    YAML::Node root = YAML::Load(std::string(text));
    ReadAll(root, parser, config);
  } catch (const YAML::DeepRecursion& e) {
    parser.Fail(e.mark.is_null() ? 0 : e.mark.line + 1, "",
                "nested more than " + std::to_string(e.depth() - 1) + " levels deep");
  } catch (const YAML::Exception& e) {
    // A file YAML cannot read at all (a tab for indentation, an unclosed quote, a cut-off
    // file): yaml-cpp's own message, at its line.
    std::string what = e.msg;
    if (what == "illegal map value") {
      what += " (a value ending in ':', such as test:, needs quotes: \"test:\")";
    }
    parser.Fail(e.mark.is_null() ? 0 : e.mark.line + 1, "", what);
  }
  if (parser.errors().empty()) return config;
  std::string message;
  for (const std::string& e : parser.errors()) message += (message.empty() ? "" : "\n") + e;
  return Error{message, ErrorKind::kBadFile};  // the configuration itself is wrong
}

}  // namespace coralpi
