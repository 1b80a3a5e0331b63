// `coralpi devices` on fake sysfs trees (--root): no TPU, a healthy PCIe TPU, one with status
// LAMED, two TPUs (one throttled: past its lowest thermal trip point), a USB Accelerator before and
// after its firmware is loaded; the runtime libraries it finds (none, or the tests' fakes) and what
// the fake libedgetpu enumerates.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "apex_health_tree.h"
#include "cli_runner.h"
#include "fake_host.h"
#include "fake_tree.h"

namespace coralpi::testing {
namespace {

bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

CliResult Devices(const FakeHost& host, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"devices",
                                   "--root",
                                   host.root(),
                                   "--edgetpu-lib",
                                   "/nonexistent/libedgetpu.so.1",
                                   "--tflite-lib",
                                   "/nonexistent/libtensorflowlite_c.so"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunCoralpi(args);
}

TEST(DevicesCli, NoTpuSaysWhyAndWhichLibrariesAreMissing) {
  FakeHost host;
  CliResult r = Devices(host);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(
      Has(r.out,
          "none: no Edge TPU on the PCIe bus (no device 1ac1:089a in /sys/bus/pci/devices) and no "
          "USB Accelerator (no 1a6e:089a or 18d1:9302"))
      << r.out;
  EXPECT_TRUE(
      Has(r.out,
          "libedgetpu:      not loaded: /nonexistent/libedgetpu.so.1 (--edgetpu-lib): not found"))
      << r.out;
  EXPECT_TRUE(Has(r.out,
                  "TensorFlow Lite: not required (only --backend tflite and tflite-edgetpu use "
                  "it); not loaded: /nonexistent/libtensorflowlite_c.so (--tflite-lib): not found"))
      << r.out;
}

TEST(DevicesCli, HealthyPcieTpu) {
  FakeHost host;
  host.AddPcie({});
  CliResult r = Devices(host);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(
      r.out,
      "pci 0000:01:00.0: driver apex, /dev/apex_0, status ALIVE, 47.3 C (trip points 85.0, 90.0, "
      "95.0 C; not throttled), link 5.0 GT/s PCIe x1 (max 5.0 GT/s PCIe x1)"))
      << r.out;
  EXPECT_FALSE(Has(r.out, "problem:")) << r.out;
}

TEST(DevicesCli, LamedTpuShowsTheProblem) {
  FakeHost host;
  FakeHost::Pcie t;
  t.status = "LAMED";
  host.AddPcie(t);
  CliResult r = Devices(host);
  EXPECT_TRUE(Has(r.out, "status LAMED")) << r.out;
  EXPECT_TRUE(Has(r.out, "problem: PCIe Edge TPU 0000:01:00.0: status LAMED")) << r.out;
}

TEST(DevicesCli, TwoTpus) {
  FakeHost host;
  host.AddPcie({});
  FakeHost::Pcie second;
  second.address = "0000:02:00.0";
  second.apex = "apex_1";
  second.driver = "";
  host.AddPcie(second);
  CliResult r = Devices(host);
  EXPECT_TRUE(Has(r.out, "pci 0000:01:00.0: driver apex, /dev/apex_0")) << r.out;
  EXPECT_TRUE(Has(r.out, "pci 0000:02:00.0: no driver bound")) << r.out;
  EXPECT_TRUE(Has(r.out, "problem: PCIe Edge TPU 0000:02:00.0: no driver bound")) << r.out;
}

CliResult DevicesUnder(const std::string& root, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"devices", "--root", root, "--edgetpu-lib",
                                   "/nonexistent/libedgetpu.so.1"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunCoralpi(args);
}

TEST(DevicesCli, TwoTpusOneThrottledWithTripPointsAndResets) {
  board::testing::FakeTree tree;
  board::testing::BuildTwoApexTpus(tree);
  CliResult r = DevicesUnder(tree.root());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out,
                  "pci 0000:01:00.0: driver apex, /dev/apex_0, status ALIVE, 84.9 C (trip points "
                  "85.0, 90.0, 95.0 C; not throttled), resets 0, link 5.0 GT/s PCIe x1\n"))
      << r.out;
  EXPECT_TRUE(Has(r.out,
                  "pci 0000:02:00.0: driver apex, /dev/apex_1, status ALIVE, 91.3 C (trip points "
                  "85.0, 90.0, 95.0 C; throttled), resets 2, link 5.0 GT/s PCIe x1\n"))
      << r.out;
}

TEST(DevicesCli, TwoTpusOneThrottledJson) {
  board::testing::FakeTree tree;
  board::testing::BuildTwoApexTpus(tree);
  CliResult r = DevicesUnder(tree.root(), {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["pcie"].size(), 2u);
  const nlohmann::json& cool = j["pcie"][0];
  EXPECT_EQ(cool["apex"], "apex_0");
  EXPECT_EQ(cool["status"], "ALIVE");
  EXPECT_EQ(cool["temp_millicelsius"], 84900);
  EXPECT_EQ(cool["trip_points_millicelsius"], nlohmann::json::parse("[85000, 90000, 95000]"));
  EXPECT_EQ(cool["throttled"], false);
  EXPECT_EQ(cool["reset_count"], 0);
  const nlohmann::json& hot = j["pcie"][1];
  EXPECT_EQ(hot["address"], "0000:02:00.0");
  EXPECT_EQ(hot["temp_millicelsius"], 91300);
  EXPECT_EQ(hot["throttled"], true);
  EXPECT_EQ(hot["reset_count"], 2);
}

TEST(DevicesCli, UsbBeforeAndAfterFirmwareLoad) {
  FakeHost before;
  FakeHost::Usb u;
  u.firmware_loaded = false;
  before.AddUsb(u);
  CliResult r = Devices(before);
  EXPECT_TRUE(Has(r.out,
                  "usb 2-1: 1a6e:089a (firmware not loaded yet: the runtime loads it on first "
                  "use), 5000 Mbit/s"))
      << r.out;
  FakeHost after;
  after.AddUsb({});
  r = Devices(after);
  EXPECT_TRUE(Has(r.out, "usb 2-1: 18d1:9302 (firmware loaded), 5000 Mbit/s")) << r.out;
}

TEST(DevicesCli, Json) {
  FakeHost host;
  FakeHost::Pcie t;
  t.status = "LAMED";
  host.AddPcie(t);
  host.AddUsb({});
  CliResult r = Devices(host, {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["pcie"].size(), 1u);
  EXPECT_EQ(j["pcie"][0]["status"], "LAMED");
  EXPECT_EQ(j["pcie"][0]["temp_millicelsius"], 47300);
  EXPECT_EQ(j["pcie"][0]["problems"].size(), 1u);
  ASSERT_EQ(j["usb"].size(), 1u);
  EXPECT_EQ(j["usb"][0]["firmware_loaded"], true);
  EXPECT_EQ(j["runtime"]["edgetpu"]["loaded"], false);
  EXPECT_EQ(j["runtime"]["tflite"]["loaded"], false);
}

TEST(DevicesCli, WithTheFakeRuntimes) {
  FakeHost host;
  host.AddPcie({});
  ::setenv("FAKE_EDGETPU_DEVICES", "pci:/dev/apex_0", 1);
  CliResult r = RunCoralpi({"devices", "--root", host.root(), "--edgetpu-lib", FAKE_EDGETPU,
                            "--tflite-lib", FAKE_TFLITE});
  ::unsetenv("FAKE_EDGETPU_DEVICES");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(Has(r.out, std::string("libedgetpu:      ") + FAKE_EDGETPU +
                             ", version BuildLabel(fake), RuntimeVersion(14)"))
      << r.out;
  EXPECT_TRUE(Has(r.out, "version 2.99.0-fake, XNNPACK delegate available")) << r.out;
  EXPECT_TRUE(Has(r.out, "libedgetpu lists 1 Edge TPU:\n  :0  pci /dev/apex_0")) << r.out;
  EXPECT_TRUE(Has(r.out, "RuntimeVersion 14: coralpi runs the Edge TPU with it alone")) << r.out;
}

TEST(DevicesCli, AnOldRuntimeIsShownAsUnusable) {
  FakeHost host;
  CliResult r =
      RunCoralpi({"devices", "--root", host.root(), "--edgetpu-lib", FAKE_EDGETPU_V13, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["runtime"]["edgetpu"]["runtime_version"], 13);
  EXPECT_EQ(j["runtime"]["edgetpu"]["usable_without_tflite"], false);
  EXPECT_NE(
      j["runtime"]["edgetpu"]["why_not"].get<std::string>().find("RuntimeVersion 14 or newer"),
      std::string::npos);
  EXPECT_EQ(j["runtime"]["tflite_required"], false);
}

TEST(DevicesCli, RootMustBeADirectory) {
  CliResult r = RunCoralpi({"devices", "--root", "/nonexistent/root"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.err, "--root /nonexistent/root: is not a directory")) << r.err;
}

}  // namespace
}  // namespace coralpi::testing
