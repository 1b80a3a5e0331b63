// coralpi.yaml: defaults, a full file, and every kind of mistake with the line it is on.
#include "service/config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

namespace coralpi {
namespace {

ServiceConfig Parse(const std::string& text) {
  auto c = ParseServiceConfig(text, "coralpi.yaml");
  EXPECT_TRUE(c.ok()) << c.error().message;
  return c.ok() ? *c : ServiceConfig{};
}

std::string ErrorOf(const std::string& text) {
  auto c = ParseServiceConfig(text, "coralpi.yaml");
  EXPECT_FALSE(c.ok()) << "accepted:\n" << text;
  return c.ok() ? "" : c.error().message;
}

const char* kMinimal =
    "cameras:\n"
    "  - name: door\n"
    "    source: test:ball\n"
    "detector:\n"
    "  backend: stand-in\n";

TEST(ServiceConfigTest, MinimalFileGetsTheDefaults) {
  ServiceConfig c = Parse(kMinimal);
  ASSERT_EQ(c.cameras.size(), 1u);
  EXPECT_EQ(c.cameras[0].name, "door");
  EXPECT_EQ(c.cameras[0].source, "test:ball");
  EXPECT_EQ(c.cameras[0].fps, 0);
  EXPECT_EQ(c.cameras[0].width, 0);
  EXPECT_EQ(c.detector.backend, "stand-in");
  EXPECT_EQ(c.detector.count, 1);
  EXPECT_DOUBLE_EQ(c.detector.stand_in_ms, 3.0);
  EXPECT_TRUE(c.objects.track.empty());
  EXPECT_FLOAT_EQ(c.objects.For("dog").min_score, 0.5f);
  EXPECT_FLOAT_EQ(c.objects.For("dog").threshold, 0.7f);
  EXPECT_FALSE(c.mqtt.enabled);  // no mqtt: section
  EXPECT_TRUE(c.http.enabled);
  EXPECT_EQ(c.http.bind, "127.0.0.1");  // never every interface unless asked
  EXPECT_EQ(c.http.port, 5000);
  EXPECT_EQ(c.http.token, "");
  EXPECT_EQ(c.http.max_stream_clients, 4);
  EXPECT_EQ(c.lines.at("cameras[0].source"), 3);
}

TEST(ServiceConfigTest, EveryKey) {
  ServiceConfig c = Parse(R"(# a comment
cameras:
  - name: door
    source: rtsp://10.0.0.5:554/stream1
    fps: 5
    size: 640x480
  - name: bird-feeder_2
    source: file:/tmp/x.avi?loop=1
detector:
  backend: edgetpu
  device: pci:0
  model: /usr/share/coralpi/ssd_edgetpu.tflite
  labels: /usr/share/coralpi/coco_labels.txt
  threads: 2
  count: 2
  edgetpu_lib: /opt/libedgetpu.so.1
  tflite_lib: /opt/libtensorflowlite_c.so
objects:
  track: [person, dog]
  min_score: 0.4
  threshold: 0.6
  filters:
    dog: {threshold: 0.8}
    person:
      min_score: 0.55
mqtt:
  host: broker.lan
  port: 8883
  prefix: home/coralpi
  client_id: pi5
  user: coralpi
  password: "s3cret: yes"
  tls:
    ca_file: /etc/ssl/ca.pem
    cert_file: /etc/ssl/me.pem
    key_file: /etc/ssl/me.key
    insecure: true
  keepalive: 30
  stats_interval: 15
  home_assistant: yes
  discovery_prefix: ha
http:
  bind: 0.0.0.0
  port: 8080
  token: abcdefgh123
  max_stream_clients: 2
)");
  ASSERT_EQ(c.cameras.size(), 2u);
  EXPECT_EQ(c.cameras[0].fps, 5);
  EXPECT_EQ(c.cameras[0].width, 640);
  EXPECT_EQ(c.cameras[0].height, 480);
  EXPECT_EQ(c.cameras[1].name, "bird-feeder_2");
  EXPECT_EQ(c.detector.backend, "edgetpu");
  EXPECT_EQ(c.detector.device, "pci:0");
  EXPECT_EQ(c.detector.threads, 2);
  EXPECT_EQ(c.detector.count, 2);
  EXPECT_EQ(c.detector.edgetpu_lib, "/opt/libedgetpu.so.1");
  EXPECT_EQ(c.objects.track, (std::vector<std::string>{"person", "dog"}));
  // A filter takes what it leaves out from the objects' own values, not the built-in ones.
  EXPECT_FLOAT_EQ(c.objects.For("dog").min_score, 0.4f);
  EXPECT_FLOAT_EQ(c.objects.For("dog").threshold, 0.8f);
  EXPECT_FLOAT_EQ(c.objects.For("person").min_score, 0.55f);
  EXPECT_FLOAT_EQ(c.objects.For("person").threshold, 0.6f);
  EXPECT_FLOAT_EQ(c.objects.For("cat").threshold, 0.6f);
  EXPECT_TRUE(c.mqtt.enabled);
  EXPECT_EQ(c.mqtt.host, "broker.lan");
  EXPECT_EQ(c.mqtt.port, 8883);
  EXPECT_EQ(c.mqtt.prefix, "home/coralpi");
  EXPECT_EQ(c.mqtt.client_id, "pi5");
  EXPECT_EQ(c.mqtt.password, "s3cret: yes");
  EXPECT_TRUE(c.mqtt.tls.enabled());
  EXPECT_EQ(c.mqtt.tls.key_file, "/etc/ssl/me.key");
  EXPECT_TRUE(c.mqtt.tls.insecure);
  EXPECT_EQ(c.mqtt.keepalive_s, 30);
  EXPECT_DOUBLE_EQ(c.mqtt.stats_interval_s, 15);
  EXPECT_TRUE(c.mqtt.home_assistant);
  EXPECT_EQ(c.mqtt.discovery_prefix, "ha");
  EXPECT_EQ(c.http.bind, "0.0.0.0");
  EXPECT_EQ(c.http.port, 8080);
  EXPECT_EQ(c.http.token, "abcdefgh123");
  EXPECT_EQ(c.http.max_stream_clients, 2);
}

TEST(ServiceConfigTest, MqttSectionWithEverythingCommentedOutIsOnWithDefaults) {
  ServiceConfig c = Parse(std::string(kMinimal) + "mqtt:\n  # host: broker\n");
  EXPECT_TRUE(c.mqtt.enabled);
  EXPECT_EQ(c.mqtt.host, "127.0.0.1");
  EXPECT_EQ(c.mqtt.port, 1883);
  EXPECT_EQ(c.mqtt.prefix, "coralpi");
  EXPECT_DOUBLE_EQ(c.mqtt.stats_interval_s, 60);
  EXPECT_FALSE(c.mqtt.home_assistant);
  ServiceConfig off =
      Parse(std::string(kMinimal) + "mqtt:\n  enabled: false\nhttp:\n  enabled: no\n");
  EXPECT_FALSE(off.mqtt.enabled);
  EXPECT_FALSE(off.http.enabled);
}

TEST(ServiceConfigTest, UnknownKeyNamesItsLineAndTheLikelyKey) {
  std::string e = ErrorOf(std::string(kMinimal) + "objects:\n  treshold: 0.6\n");
  EXPECT_NE(e.find("coralpi.yaml:7: objects.treshold: unknown key (did you mean \"threshold\"?)"),
            std::string::npos)
      << e;
  e = ErrorOf(
      "cameras:\n"
      "  - name: door\n"
      "    source: test:ball\n"
      "    sise: 640x480\n"
      "detector: {backend: stand-in}\n"
      "colour: red\n");
  EXPECT_NE(e.find("coralpi.yaml:4: cameras[0].sise: unknown key (did you mean \"size\"?)"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("coralpi.yaml:6: colour: unknown key"), std::string::npos) << e;
}

TEST(ServiceConfigTest, WrongTypesAndRanges) {
  std::string e = ErrorOf(
      "cameras:\n"
      "  - name: door\n"
      "    source: test:ball\n"
      "    fps: fast\n"
      "    size: 640 by 480\n"
      "detector:\n"
      "  backend: stand-in\n"
      "  count: 0\n"
      "objects:\n"
      "  track: person\n"
      "  threshold: 1.5\n"
      "mqtt:\n"
      "  port: [1883]\n"
      "  home_assistant: maybe\n"
      "http:\n"
      "  port: 70000\n"
      "  token: short\n");
  for (const char* want : {
           "coralpi.yaml:4: cameras[0].fps: expected a whole number from 0 to 1000, got \"fast\"",
           "coralpi.yaml:5: cameras[0].size: expected WIDTHxHEIGHT, e.g. 640x480, got \"640 by "
           "480\"",
           "coralpi.yaml:8: detector.count: expected a whole number from 1 to 16, got \"0\"",
           "coralpi.yaml:10: objects.track: expected a list, e.g. [person, dog], got \"person\"",
           "coralpi.yaml:11: objects.threshold: expected a number from 0 to 1, got \"1.5\"",
           "coralpi.yaml:13: mqtt.port: expected a whole number from 1 to 65535, got a list",
           "coralpi.yaml:14: mqtt.home_assistant: expected true or false, got \"maybe\"",
           "coralpi.yaml:16: http.port: expected a whole number from 0 to 65535, got \"70000\"",
           "coralpi.yaml:17: http.token: expected at least 8 printable characters",
       }) {
    EXPECT_NE(e.find(want), std::string::npos) << "missing: " << want << "\nin:\n" << e;
  }
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 8) << e;  // nine problems, one line each
}

TEST(ServiceConfigTest, CamerasMistakes) {
  std::string e = ErrorOf(
      "cameras:\n"
      "  - name: door\n"
      "    source: test:ball\n"
      "  - name: yard\n"
      "    source: rtps://10.0.0.5/stream\n"
      "  - name: door\n"
      "    source: test:ball\n"
      "  - source: test:snow\n"
      "  - name: \"front door\"\n"
      "    source: test:ball\n"
      "  - name: events\n"
      "    source: test:ball\n"
      "detector:\n"
      "  backend: stand-in\n");
  for (const char* want : {
           "coralpi.yaml:5: cameras[1].source: rtps://10.0.0.5/stream: unknown source",
           "coralpi.yaml:6: cameras[2].name: \"door\" is already the name of the camera on line 2",
           "coralpi.yaml:8: cameras[3].name: missing (required)",
           "coralpi.yaml:9: cameras[4].name: \"front door\": use 1 to 64 letters",
           "coralpi.yaml:11: cameras[5].name: \"events\" is reserved",
       }) {
    EXPECT_NE(e.find(want), std::string::npos) << "missing: " << want << "\nin:\n" << e;
  }
}

TEST(ServiceConfigTest, MissingRequiredParts) {
  EXPECT_NE(ErrorOf("detector: {backend: stand-in}\n")
                .find("coralpi.yaml:1: cameras: missing (required)"),
            std::string::npos);
  EXPECT_NE(ErrorOf("cameras:\n  - name: a\n    source: test:ball\n")
                .find("coralpi.yaml:1: detector: missing (required)"),
            std::string::npos);
  std::string e =
      ErrorOf("cameras:\n  - name: a\n    source: test:ball\ndetector:\n  backend: cpu\n");
  EXPECT_NE(e.find("coralpi.yaml:5: detector.model: missing (required: a detection model, or "
                   "backend: stand-in)"),
            std::string::npos)
      << e;
  EXPECT_NE(ErrorOf("cameras: []\ndetector: {backend: stand-in}\n")
                .find("coralpi.yaml:1: cameras: expected a list of cameras"),
            std::string::npos);
  e = ErrorOf(std::string(kMinimal) + "mqtt:\n  tls:\n    cert_file: a.pem\n");
  EXPECT_NE(e.find("mqtt.tls.key_file: missing (cert_file and key_file go together)"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("mqtt.tls.ca_file: missing"), std::string::npos) << e;
  e = ErrorOf(std::string(kMinimal) + "mqtt:\n  password: x\n  prefix: a/#\n");
  EXPECT_NE(e.find("coralpi.yaml:7: mqtt.password: a password needs a user"), std::string::npos);
  EXPECT_NE(e.find("coralpi.yaml:8: mqtt.prefix: \"a/#\": expected topic levels"),
            std::string::npos)
      << e;
}

TEST(ServiceConfigTest, DuplicateKeys) {
  std::string e = ErrorOf(std::string(kMinimal) + "http:\n  port: 1\n  port: 2\n");
  EXPECT_NE(e.find("coralpi.yaml:8: http.port: given twice"), std::string::npos) << e;
}

TEST(ServiceConfigTest, FilesYamlCannotRead) {
  // Cut off inside a flow sequence.
  std::string e =
      ErrorOf("cameras:\n  - name: door\n    source: test:ball\ndetector: [stand-in,\n");
  EXPECT_EQ(e.rfind("coralpi.yaml:", 0), 0u) << e;
  EXPECT_NE(e.find("end of sequence"), std::string::npos) << e;
  // Cut off inside a quoted string.
  e = ErrorOf("cameras:\n  - name: \"door\n");
  EXPECT_EQ(e.rfind("coralpi.yaml:", 0), 0u) << e;
  // A bare value ending in ':' reads as a mapping: the message says to quote it.
  e = ErrorOf("cameras:\n  - name: door\n    source: test:\n");
  EXPECT_EQ(e.rfind("coralpi.yaml:3: illegal map value", 0), 0u) << e;
  EXPECT_NE(e.find("needs quotes"), std::string::npos) << e;
  // Nested without end: an error, not a stack overflow.
  e = ErrorOf("cameras: " + std::string(100000, '['));
  EXPECT_EQ(e.rfind("coralpi.yaml:1: nested more than", 0), 0u) << e.substr(0, 200);
  // A value with line breaks and control characters: still one line per problem, escaped.
  e = ErrorOf(
      "cameras:\n  - name: door\n    source: \"a\\nb\\r\\x01\"\ndetector: {backend: stand-in}\n"
      "http:\n  port: x\n");
  EXPECT_NE(e.find("cameras[0].source: a\\nb\\r\\x01: unknown source"), std::string::npos) << e;
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n'), 1) << e;  // two problems
  // A very long value is cut.
  e = ErrorOf(std::string(kMinimal) + "http:\n  port: " + std::string(5000, '9') + "\n");
  EXPECT_LT(e.size(), 400u);
  EXPECT_EQ(e.substr(e.size() - 3), "...") << e;
  // A tab where YAML wants spaces.
  e = ErrorOf("cameras:\n  - name: door\n\t source: test:ball\n");
  EXPECT_EQ(e.rfind("coralpi.yaml:3:", 0), 0u) << e;
  // Not a mapping at all, or nothing.
  EXPECT_NE(ErrorOf("just words\n").find("coralpi.yaml:1: expected a mapping"), std::string::npos);
  EXPECT_NE(ErrorOf("").find("coralpi.yaml: empty"), std::string::npos);
  EXPECT_NE(ErrorOf("# only a comment\n").find("coralpi.yaml: empty"), std::string::npos);
  // Binary junk.
  std::string junk = "\x01\xff\xfe{[\"\x00\x7f";
  junk.push_back('\0');
  EXPECT_FALSE(ParseServiceConfig(junk, "junk.yaml").ok());
}

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/coralpi-config-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }
  std::string dir_;
};

TEST_F(ConfigFileTest, UnreadableFiles) {
  auto missing = LoadServiceConfig(dir_ + "/nope.yaml");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, dir_ + "/nope.yaml: No such file or directory");
  EXPECT_EQ(missing.error().kind, ErrorKind::kNotFound);
  auto directory = LoadServiceConfig(dir_);
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().message, dir_ + ": is a directory");
  EXPECT_EQ(directory.error().kind, ErrorKind::kBadFile);
  std::string big = Write("big.yaml", std::string(2 << 20, '#'));
  auto too_big = LoadServiceConfig(big);
  ASSERT_FALSE(too_big.ok());
  EXPECT_NE(too_big.error().message.find("larger than 1 MiB"), std::string::npos);
  EXPECT_EQ(too_big.error().kind, ErrorKind::kBadFile);
  if (::geteuid() != 0) {  // root reads anything
    std::string locked = Write("locked.yaml", kMinimal);
    ::chmod(locked.c_str(), 0);
    auto denied = LoadServiceConfig(locked);
    ASSERT_FALSE(denied.ok());
    EXPECT_EQ(denied.error().message, locked + ": Permission denied");
  }
}

TEST_F(ConfigFileTest, LoadsAndNamesTheFileInErrors) {
  std::string good = Write("good.yaml", kMinimal);
  auto c = LoadServiceConfig(good);
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->path, good);
  std::string bad = Write("bad.yaml", std::string(kMinimal) + "http:\n  port: -1\n");
  auto e = LoadServiceConfig(bad);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message.rfind(bad + ":7: http.port:", 0), 0u) << e.error().message;
  EXPECT_EQ(e.error().kind, ErrorKind::kBadFile);
}

TEST_F(ConfigFileTest, CheckConfigFilesNamesTheKeyAndLine) {
  std::string model = Write("model.tflite", "x");
  auto c = ParseServiceConfig(
      "cameras:\n"
      "  - name: a\n"
      "    source: file:" +
          dir_ +
          "/missing.avi\n"
          "detector:\n"
          "  model: " +
          model +
          "\n"
          "  labels: " +
          dir_ +
          "/labels.txt\n"
          "mqtt:\n"
          "  tls:\n"
          "    ca_file: " +
          dir_ + "\n",
      "c.yaml");
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto status = CheckConfigFiles(*c);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().kind, ErrorKind::kNotFound);
  const std::string& e = status.error().message;
  EXPECT_NE(e.find("c.yaml:3: cameras[0].source: " + dir_ + "/missing.avi: No such file"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("c.yaml:6: detector.labels: " + dir_ + "/labels.txt: No such file"),
            std::string::npos)
      << e;
  EXPECT_NE(e.find("c.yaml:9: mqtt.tls.ca_file: " + dir_ + ": is a directory"), std::string::npos)
      << e;
  EXPECT_EQ(e.find("detector.model"), std::string::npos) << e;  // that one is there
}

}  // namespace
}  // namespace coralpi
