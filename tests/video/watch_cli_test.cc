// coralpi watch and coralpi bench --source, run as the user runs them, on test patterns and on
// videos the tests make with GStreamer.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli/cli_runner.h"
#include "image/test_images.h"
#include "json_lines_output.h"
#include "test_video.h"
#include "testutil/testdata.h"

extern char** environ;

namespace coralpi {
namespace {

using testing::Lines;
using testing::OfType;
using testing::RunCoralpi;

TEST(WatchCliTest, TestPatternEveryFrame) {
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "appsink");
  auto r = RunCoralpi(
      {"watch", "test:ball?size=320x240&frames=15", "--stand-in-ms", "0", "--every-frame"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = Lines(r.out);
  auto frames = OfType(lines, "frame");
  ASSERT_EQ(frames.size(), 15u);
  for (size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(frames[i]["camera"], "cam0");
    EXPECT_EQ(frames[i]["frame"], i + 1);
    EXPECT_GT(frames[i]["time"].get<double>(), 1.5e9);  // seconds since the epoch
    EXPECT_TRUE(frames[i]["inference_ms"].is_number());
    ASSERT_EQ(frames[i]["detections"].size(), 2u);  // the stand-in's two boxes
    // In pixels of the 320x240 frame: the first box spans x 10%..35%, y 20%..50%.
    auto box = frames[i]["detections"][0]["box"];
    EXPECT_NEAR(box["xmin"].get<double>(), 32, 0.05);
    EXPECT_NEAR(box["ymax"].get<double>(), 120, 0.05);
  }
  auto events = OfType(lines, "event");
  std::map<std::string, std::vector<std::string>> per_object;
  for (const auto& e : events) per_object[e["after"]["id"]].push_back(e["event"]);
  ASSERT_EQ(per_object.size(), 2u);
  for (auto& [id, kinds] : per_object) {
    EXPECT_EQ(kinds, (std::vector<std::string>{"new", "end"})) << id;
  }
  ASSERT_EQ(OfType(lines, "stats").size(), 1u);
  auto summary = OfType(lines, "summary");
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_EQ(lines.back(), summary[0]);
  EXPECT_EQ(summary[0]["cameras"]["cam0"]["processed"], 15);
  EXPECT_EQ(summary[0]["cameras"]["cam0"]["captured"], 15);
  EXPECT_EQ(summary[0]["cameras"]["cam0"]["skipped"], 0);
}

TEST(WatchCliTest, FramesLimitAndNamedCameras) {
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "appsink");
  auto r = RunCoralpi({"watch", "front=test:snow?size=64x48", "back=test:ball?size=64x48",
                       "--stand-in-ms", "0", "--every-frame", "--frames", "4", "--events-only"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto lines = Lines(r.out);
  EXPECT_TRUE(OfType(lines, "frame").empty());  // --events-only
  auto summary = OfType(lines, "summary");
  ASSERT_EQ(summary.size(), 1u);
  EXPECT_EQ(summary[0]["cameras"]["front"]["processed"], 4);
  EXPECT_EQ(summary[0]["cameras"]["back"]["processed"], 4);
}

TEST(WatchCliTest, VideoFileFrameCountEqualsFramesWritten) {
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "jpegenc", "avimux", "avidemux", "jpegdec");
  std::string video = testing::MakeTempDir() + "/pattern.avi";
  ASSERT_TRUE(testing::MakePatternVideo("ball", video, 23, 640, 480).ok());
  auto r = RunCoralpi({"watch", "file:" + video, "--stand-in-ms", "1", "--every-frame"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto frames = OfType(Lines(r.out), "frame");
  ASSERT_EQ(frames.size(), 23u);
  EXPECT_EQ(frames.back()["frame"], 23);
}

TEST(WatchCliTest, Errors) {
  auto r = RunCoralpi({"watch", "file:/nonexistent/clip.avi", "--stand-in-ms", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "coralpi: error: file:/nonexistent/clip.avi: No such file or directory\n");
  EXPECT_EQ(r.out, "");
  r = RunCoralpi({"watch", "webcam0", "--stand-in-ms", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("webcam0: unknown source"), std::string::npos) << r.err;
  r = RunCoralpi({"watch", "test:"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--model"), std::string::npos) << r.err;
  r = RunCoralpi({"watch", "test:", "--stand-in-ms", "0", "--size", "big"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--size big: expected WIDTHxHEIGHT"), std::string::npos) << r.err;
}

// Starts coralpi with stdout to `out`; returns its pid.
pid_t Spawn(const std::vector<std::string>& args, const std::string& out) {
  std::string binary = std::string(CORALPI_BINARY_DIR) + "/cli/coralpi";
  std::vector<char*> argv = {binary.data()};
  std::vector<std::string> copy = args;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// Waits up to `seconds` for `pid`; its exit status, or -1 (then it is killed).
int WaitExit(pid_t pid, double seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid)
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return -1;
}

TEST(WatchCliTest, SigtermAndSigintEndCleanlyWithASummary) {
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "appsink");
  for (int sig : {SIGTERM, SIGINT}) {
    std::string out = testing::MakeTempDir() + "/out.jsonl";
    pid_t pid = Spawn({"watch", "test:ball?size=160x120&live=1", "--stand-in-ms", "2"}, out);
    ASSERT_GT(pid, 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    kill(pid, sig);
    EXPECT_EQ(WaitExit(pid, 20), 0) << "signal " << sig;
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    auto lines = Lines(text.str());
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines.back()["type"], "summary");
    EXPECT_GT(OfType(lines, "frame").size(), 5u);  // it ran before the signal
    // Every object that became an event was ended.
    std::map<std::string, int> open;
    for (const auto& e : OfType(lines, "event")) {
      if (e["event"] == "new") ++open[e["after"]["id"]];
      if (e["event"] == "end") --open[e["after"]["id"]];
    }
    for (auto& [id, n] : open) EXPECT_EQ(n, 0) << id;
  }
}

TEST(WatchCliTest, BenchSource) {
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "appsink");
  auto r = RunCoralpi({"bench", "--source", "test:?size=160x120&frames=40", "--stand-in-ms", "1",
                       "--every-frame", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["cameras"]["cam0"]["processed"], 40);
  EXPECT_EQ(j["stages"]["inference"]["frames"], 40);
  EXPECT_GE(j["stages"]["inference"]["mean_ms"].get<double>(), 1.0);  // the stand-in sleeps 1 ms
  EXPECT_EQ(j["latency_ms"]["count"], 40);
  EXPECT_NE(j["detector"].get<std::string>().find("stand-in"), std::string::npos);

  r = RunCoralpi(
      {"bench", "--source", "test:?size=160x120", "--stand-in-ms", "1", "--seconds", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* row : {"captured/s", "prepare", "inference", "publish", "latency:"}) {
    EXPECT_NE(r.out.find(row), std::string::npos) << row << " missing in:\n" << r.out;
  }
}

}  // namespace
}  // namespace coralpi
