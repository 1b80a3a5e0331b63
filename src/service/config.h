// What `coralpi serve` runs, as its YAML file (coralpi.yaml) says: cameras, the detector, the
// objects to track, MQTT and HTTP. The member initializers below are the defaults, given here
// and nowhere else; the README's sample and packaging/coralpi.yaml repeat them as comments.
//
// Parsing is pure (text in, value or errors out, no files): every problem is reported, each as
// "FILE:LINE: key.path: what" (`coralpi.yaml:7: cameras[1].source: ...`), and a key the format
// does not know is an error, so a typo is never silently ignored. CheckConfigFiles then looks at
// the files the configuration names (model, labels, TLS) without opening any camera.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace coralpi {

struct CameraConfig {
  std::string name;    // letters, digits, '-' and '_': it is part of MQTT topics and URLs
  std::string source;  // as `coralpi watch` takes it: file:, v4l2:, rtsp://, test:, ...
  int fps = 0;         // frames read per second at most (0: the source's own rate)
  int width = 0;       // frames are decoded at this size for detection and the live view
  int height = 0;      // (0 x 0: the source's own size)
};

struct DetectorConfig {
  std::string backend = "auto";  // auto, cpu, tflite, edgetpu, or stand-in (no model)
  std::string device;            // Edge TPU: "", pci, usb, :N, pci:N, usb:N
  std::string model;             // a detection .tflite (required unless stand-in)
  std::string labels;            // label file (optional)
  int threads = 1;               // CPU engine threads per detector
  int count = 1;                 // detectors side by side (one per Edge TPU)
  double stand_in_ms = 3.0;      // stand-in: the time each frame takes
  double timeout_s = 2.0;        // an invoke still running after this is a stall (0: no watchdog)
  int stand_in_hang_at = 0;      // stand-in, for tests: this invoke (from 1) hangs ...
  double stand_in_hang_s = 0.0;  // ... for this long
  std::string edgetpu_lib;       // libedgetpu.so.1 (default: the system's)
  std::string tflite_lib;        // libtensorflowlite_c.so (default: the system's)
};

struct ObjectFilter {
  float min_score = 0.5f;  // detections below are dropped
  float threshold = 0.7f;  // median score that makes a tracked object an event
};

struct ObjectsConfig {
  std::vector<std::string> track;  // labels to track (empty: every label)
  ObjectFilter defaults;           // for labels without a filter of their own
  std::map<std::string, ObjectFilter> filters;
  const ObjectFilter& For(const std::string& label) const;
};

struct TlsConfig {
  std::string ca_file;    // verify the broker with this CA (set to enable TLS)
  std::string cert_file;  // client certificate and key (both or neither)
  std::string key_file;
  bool insecure = false;  // do not check the broker's host name against its certificate
  bool enabled() const { return !ca_file.empty(); }
};

struct MqttConfig {
  bool enabled = false;  // an `mqtt:` section turns it on
  std::string host = "127.0.0.1";
  int port = 1883;
  std::string prefix = "coralpi";  // topics are <prefix>/...
  std::string client_id = "coralpi";
  std::string user;
  std::string password;
  TlsConfig tls;
  int keepalive_s = 60;
  double stats_interval_s = 60;  // <prefix>/stats every this many seconds
  bool home_assistant = false;   // publish Home Assistant discovery configs
  std::string discovery_prefix = "homeassistant";
};

struct HttpConfig {
  bool enabled = true;
  std::string bind = "127.0.0.1";  // 0.0.0.0 to serve other machines
  int port = 5000;                 // 0: any free port (printed at start)
  std::string token;               // when set, every request needs it
  int max_stream_clients = 4;      // MJPEG streams open at once
};

struct ServiceConfig {
  std::string path;  // the file it was read from, for messages
  std::vector<CameraConfig> cameras;
  DetectorConfig detector;
  ObjectsConfig objects;
  MqttConfig mqtt;
  HttpConfig http;
  // Line (1-based) of each key read, by key path ("cameras[1].source"), for later messages.
  std::map<std::string, int> lines;

  // "coralpi.yaml:7: cameras[1].source: " + what (the line left out when unknown).
  Error ErrorAt(const std::string& key_path, const std::string& what) const;
};

// `text` made fit for a one-line message: control characters escaped (\n, \r, \t, \xNN), and
// cut to 300 characters ("..." at the end), so that a problem always takes one line.
std::string OneLine(std::string_view text);

// Parses the text of a configuration; `path` names it in messages. The error lists every
// problem found, one per line.
Result<ServiceConfig> ParseServiceConfig(std::string_view text, const std::string& path);

// Reads and parses a file (unreadable, a directory, larger than 1 MiB: errors naming it).
Result<ServiceConfig> LoadServiceConfig(const std::string& path);

// Checks that the files the configuration names can be read: the model, the labels, the TLS
// files and local file: sources. One line per problem, with the key's line.
Status CheckConfigFiles(const ServiceConfig& config);

}  // namespace coralpi
