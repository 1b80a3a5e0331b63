// The coralpi binary: `serve --check` on good and broken files, and `serve` itself with the
// stand-in detector on a test: source, publishing to a real mosquitto on 127.0.0.1 and
// serving HTTP, until kill -9 (the broker then says "offline" for it).
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli_runner.h"
#include "service/mqtt_test_support.h"

namespace coralpi {
namespace {

using testing::Broker;
using testing::Received;
using testing::RunCoralpi;
using testing::Subscriber;

std::string WriteFile(const std::string& name, const std::string& text) {
  std::string path = std::string(::testing::TempDir()) + name;
  std::ofstream(path) << text;
  return path;
}

TEST(ServeCliTest, CheckAcceptsAGoodFileAndSummarizesIt) {
  std::string path = WriteFile("serve-good.yaml",
                               "cameras:\n"
                               "  - name: door\n"
                               "    source: \"test:ball\"\n"
                               "detector:\n"
                               "  backend: stand-in\n"
                               "mqtt:\n"
                               "  port: 1884\n");
  auto r = RunCoralpi({"serve", "--config", path, "--check"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ok: 1 camera, detector stand-in, mqtt 127.0.0.1:1884, http "
                       "127.0.0.1:5000"),
            std::string::npos)
      << r.out;
}

TEST(ServeCliTest, CheckExplainsEveryProblemWithItsLine) {
  std::string path = WriteFile("serve-bad.yaml",
                               "cameras:\n"
                               "  - name: door\n"
                               "    source: \"test:ball\"\n"
                               "    fps: fast\n"
                               "detector:\n"
                               "  backend: stand-in\n"
                               "http:\n"
                               "  prot: 5000\n");
  auto r = RunCoralpi({"serve", "--config", path, "--check"});
  EXPECT_EQ(r.exit_code, 4);  // a configuration file that cannot be used: bad file
  EXPECT_NE(r.err.find("coralpi: error: " + path +
                       ":4: cameras[0].fps: expected a whole number from 0 to 1000, got \"fast\""),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(path + ":8: http.prot: unknown key (did you mean \"port\"?)"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(ServeCliTest, CheckNamesFilesItCannotRead) {
  std::string path = WriteFile("serve-nomodel.yaml",
                               "cameras:\n"
                               "  - name: door\n"
                               "    source: \"test:ball\"\n"
                               "detector:\n"
                               "  backend: cpu\n"
                               "  model: /nonexistent/model.tflite\n");
  auto r = RunCoralpi({"serve", "--config", path, "--check"});
  EXPECT_EQ(r.exit_code, 4);  // a file it names is missing: not found
  EXPECT_NE(
      r.err.find(path + ":6: detector.model: /nonexistent/model.tflite: No such file or directory"),
      std::string::npos)
      << r.err;
  r = RunCoralpi({"serve", "--config", "/nonexistent/coralpi.yaml", "--check"});
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("/nonexistent/coralpi.yaml: No such file or directory"), std::string::npos)
      << r.err;
}

// What the .deb ships: the sample /etc/coralpi/coralpi.yaml passes --check, and the systemd
// unit is valid (systemd-analyze verify, with the unit's /usr/bin/coralpi pointed at the build).
TEST(ServeCliTest, PackagedConfigAndUnit) {
  const std::string source = CORALPI_SOURCE_DIR;
  auto r = RunCoralpi({"serve", "--config", source + "/packaging/coralpi.yaml", "--check"});
  EXPECT_EQ(r.exit_code, 0) << r.err;

  std::ifstream in(source + "/packaging/coralpi.service");
  std::stringstream unit;
  unit << in.rdbuf();
  std::string text = unit.str();
  EXPECT_NE(text.find("ExecStart=/usr/bin/coralpi serve --config /etc/coralpi/coralpi.yaml\n"),
            std::string::npos);
  EXPECT_NE(text.find("ExecStartPre=/usr/bin/coralpi serve --config /etc/coralpi/coralpi.yaml "
                      "--check\n"),
            std::string::npos);
  if (::access("/usr/bin/systemd-analyze", X_OK) != 0) {
    GTEST_SKIP() << "systemd-analyze is not installed";
  }
  const std::string binary = std::string(CORALPI_BINARY_DIR) + "/cli/coralpi";
  for (size_t at; (at = text.find("/usr/bin/coralpi")) != std::string::npos;) {
    text.replace(at, std::strlen("/usr/bin/coralpi"), binary);
  }
  text.erase(text.find("Documentation="), text.find('\n', text.find("Documentation=")) -
                                              text.find("Documentation=") + 1);  // no man page
  const std::string dir =
      std::string(::testing::TempDir()) + "coralpi-unit-" + std::to_string(::getpid());
  ::mkdir(dir.c_str(), 0755);
  std::ofstream(dir + "/coralpi.service") << text;
  const std::string log = dir + "/verify.txt";
  int rc = std::system(
      ("/usr/bin/systemd-analyze verify '" + dir + "/coralpi.service' >'" + log + "' 2>&1")
          .c_str());
  std::ifstream verify(log);
  std::stringstream said;
  said << verify.rdbuf();
  EXPECT_EQ(rc, 0) << said.str();
  EXPECT_EQ(said.str(), "");
  std::remove((dir + "/coralpi.service").c_str());
  std::remove(log.c_str());
  ::rmdir(dir.c_str());
}

class ServeRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(testing::kMosquitto, X_OK) != 0) {
      GTEST_SKIP() << testing::kMosquitto << " is not installed (Debian package mosquitto)";
    }
    ASSERT_TRUE(broker_.Start());
    http_port_ = testing::FreePort();
    config_ = WriteFile("serve-run-" + std::to_string(::getpid()) + ".yaml",
                        "cameras:\n"
                        "  - name: door\n"
                        "    source: \"test:ball?size=320x240&fps=15&live=1\"\n"
                        "detector:\n"
                        "  backend: stand-in\n"
                        "objects:\n"
                        "  track: [object]\n"
                        "mqtt:\n"
                        "  port: " +
                            std::to_string(broker_.port()) +
                            "\n"
                            "  prefix: cpserve\n"
                            "  stats_interval: 1\n"
                            "http:\n"
                            "  port: " +
                            std::to_string(http_port_) + "\n");
  }
  void TearDown() override {
    if (child_ > 0) {
      ::kill(child_, SIGKILL);
      ::waitpid(child_, nullptr, 0);
    }
  }
  void StartServe() {
    child_ = ::fork();
    if (child_ == 0) {
      std::string binary = std::string(CORALPI_BINARY_DIR) + "/cli/coralpi";
      ::execl(binary.c_str(), binary.c_str(), "serve", "--config", config_.c_str(),
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  Broker broker_;
  int http_port_ = 0;
  std::string config_;
  pid_t child_ = -1;
};

TEST_F(ServeRunTest, PublishesEventsCountsSnapshotsStatsAndServesHttpThenDiesOffline) {
  Subscriber sub(broker_.port(), "cpserve/#", "serve-test");
  ASSERT_TRUE(sub.WaitSubscribed(1));
  StartServe();
  EXPECT_FALSE(sub.WaitTopic("cpserve/available", "online").topic.empty());
  // The two stand-in boxes become two events; the count goes 0 -> 1 -> 2.
  EXPECT_FALSE(sub.WaitTopic("cpserve/door/object", "0").topic.empty());
  EXPECT_FALSE(sub.WaitTopic("cpserve/door/object", "2", 20).topic.empty());
  Received snapshot =
      sub.WaitFor([](const Received& r) { return r.topic == "cpserve/door/object/snapshot"; });
  EXPECT_EQ(snapshot.payload.substr(0, 2), "\xff\xd8");
  int news = 0;
  for (const Received& r : sub.messages()) {
    if (r.topic != "cpserve/events") continue;
    auto j = nlohmann::json::parse(r.payload);
    if (j["type"] == "new") ++news;
    EXPECT_EQ(j["after"]["camera"], "door");
    EXPECT_EQ(j["after"]["label"], "object");
  }
  EXPECT_EQ(news, 2);
  Received stats = sub.WaitFor([](const Received& r) { return r.topic == "cpserve/stats"; }, 15);
  ASSERT_FALSE(stats.topic.empty()) << "no stats";
  auto j = nlohmann::json::parse(stats.payload);
  EXPECT_GT(j["cameras"]["door"]["process_fps"].get<double>(), 0.0);

  httplib::Client http("127.0.0.1", http_port_);
  auto latest = http.Get("/api/door/latest.jpg");
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->status, 200);
  EXPECT_EQ(latest->body.substr(0, 2), "\xff\xd8");

  ::kill(child_, SIGKILL);
  ::waitpid(child_, nullptr, 0);
  child_ = -1;
  EXPECT_FALSE(sub.WaitTopic("cpserve/available", "offline").topic.empty());
}

}  // namespace
}  // namespace coralpi
