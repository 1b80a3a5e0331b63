// Edge TPU host diagnosis on fake sysfs and /dev trees: each broken piece gives its own
// problem, in the order a user fixes them, and a healthy TPU gives none.
#include <gtest/gtest.h>
#include <unistd.h>

#include "backend/edgetpu_host.h"
#include "fake_host.h"
#include "host/edgetpu_devices.h"

namespace coralpi {
namespace {

using testing::FakeHost;

const ProcessIdentity kApexMember{1000, {1000, 4242, 4343}};
const ProcessIdentity kOutsider{1000, {1000}};

EdgeTpuHostReport Diagnose(const FakeHost& host, const std::string& device = "",
                           const ProcessIdentity& who = kApexMember) {
  board::RootFs fs(host.root());
  auto spec = ParseEdgeTpuDeviceSpec(device);
  EXPECT_TRUE(spec.ok());
  return DiagnoseEdgeTpuHost(fs, board::ScanEdgeTpus(fs), *spec, who);
}

std::string All(const EdgeTpuHostReport& r) {
  std::string s;
  for (const std::string& p : r.problems) s += p + "\n";
  return s;
}

TEST(HostDiagnosis, NoTpuNamesBothBuses) {
  FakeHost host;
  EdgeTpuHostReport r = Diagnose(host);
  EXPECT_FALSE(r.usable());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].find("no Edge TPU on the PCIe bus (no device 1ac1:089a"),
            std::string::npos);
  EXPECT_NE(r.problems[0].find("no USB Accelerator (no 1a6e:089a or 18d1:9302"), std::string::npos);
  EdgeTpuHostReport pci = Diagnose(host, "pci");
  ASSERT_EQ(pci.problems.size(), 1u);
  EXPECT_EQ(pci.problems[0].find("USB"), std::string::npos) << pci.problems[0];
}

TEST(HostDiagnosis, HealthyPcieTpuIsUsable) {
  FakeHost host;
  host.AddPcie({});
  EdgeTpuHostReport r = Diagnose(host);
  EXPECT_TRUE(r.usable()) << All(r);
  EXPECT_TRUE(r.problems.empty());
  ASSERT_EQ(r.tpus.size(), 1u);
  EXPECT_EQ(r.tpus[0].node, "/dev/apex_0");
  EXPECT_EQ(r.tpus[0].id, "0000:01:00.0");
}

TEST(HostDiagnosis, DriverNotBound) {
  FakeHost host;
  FakeHost::Pcie t;
  t.driver = "";
  t.apex = "";
  host.AddPcie(t);
  EdgeTpuHostReport r = Diagnose(host);
  EXPECT_FALSE(r.usable());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].find("PCIe Edge TPU 0000:01:00.0: no driver bound"), std::string::npos)
      << All(r);
  EXPECT_NE(r.problems[0].find("gasket-dkms"), std::string::npos);
}

TEST(HostDiagnosis, LamedStatus) {
  FakeHost host;
  FakeHost::Pcie t;
  t.status = "LAMED";
  host.AddPcie(t);
  EdgeTpuHostReport r = Diagnose(host);
  EXPECT_FALSE(r.usable());
  EXPECT_NE(All(r).find("status LAMED"), std::string::npos) << All(r);
}

TEST(HostDiagnosis, DeviceNodeMissing) {
  FakeHost host;
  FakeHost::Pcie t;
  t.dev_node = false;
  host.AddPcie(t);
  EdgeTpuHostReport r = Diagnose(host);
  EXPECT_FALSE(r.usable());
  EXPECT_NE(All(r).find("/dev/apex_0 does not exist"), std::string::npos) << All(r);
}

TEST(HostDiagnosis, NoPermissionOnDevApex) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the fake /dev/apex_0 the apex group";
  FakeHost host;
  host.AddPcie({});
  EdgeTpuHostReport r = Diagnose(host, "", kOutsider);
  EXPECT_FALSE(r.usable());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_NE(r.problems[0].find("no permission to open /dev/apex_0 (group apex, mode 0660)"),
            std::string::npos)
      << All(r);
  EXPECT_NE(r.problems[0].find("join the group apex"), std::string::npos);
  // The same node is fine for a member of the group, and for everyone when world-writable.
  EXPECT_TRUE(Diagnose(host, "", kApexMember).usable());
  ::chmod(host.Path("dev/apex_0").c_str(), 0666);
  EXPECT_TRUE(Diagnose(host, "", kOutsider).usable());
}

TEST(HostDiagnosis, TwoTpusAndDeviceIndices) {
  FakeHost host;
  FakeHost::Pcie broken;
  broken.address = "0000:01:00.0";
  broken.driver = "";
  broken.apex = "";
  host.AddPcie(broken);
  FakeHost::Pcie good;
  good.address = "0000:02:00.0";
  good.apex = "apex_1";
  host.AddPcie(good);
  EXPECT_TRUE(Diagnose(host).usable());  // any: the second one works
  EdgeTpuHostReport first = Diagnose(host, "pci:0");
  EXPECT_FALSE(first.usable());
  EXPECT_NE(All(first).find("0000:01:00.0: no driver bound"), std::string::npos) << All(first);
  EdgeTpuHostReport second = Diagnose(host, ":1");
  EXPECT_TRUE(second.usable()) << All(second);
  ASSERT_EQ(second.tpus.size(), 1u);
  EXPECT_EQ(second.tpus[0].node, "/dev/apex_1");
  EdgeTpuHostReport third = Diagnose(host, "pci:2");
  EXPECT_FALSE(third.usable());
  EXPECT_NE(All(third).find("only 2 matching Edge TPU(s)"), std::string::npos) << All(third);
  EXPECT_FALSE(Diagnose(host, "usb").usable());
}

TEST(HostDiagnosis, UsbBeforeAndAfterFirmwareLoad) {
  for (bool loaded : {false, true}) {
    FakeHost host;
    FakeHost::Usb u;
    u.firmware_loaded = loaded;
    host.AddUsb(u);
    EdgeTpuHostReport r = Diagnose(host, "usb");
    EXPECT_TRUE(r.usable()) << All(r);
    ASSERT_EQ(r.tpus.size(), 1u);
    EXPECT_EQ(r.tpus[0].node, "/dev/bus/usb/002/003");
    EXPECT_FALSE(Diagnose(host, "pci").usable());
  }
}

TEST(HostDiagnosis, UsbWithoutPermission) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to give the fake USB node the plugdev group";
  FakeHost host;
  FakeHost::Usb u;
  u.dev_mode = 0660;
  host.AddUsb(u);
  EdgeTpuHostReport r = Diagnose(host, "", kOutsider);
  EXPECT_FALSE(r.usable());
  EXPECT_NE(All(r).find("no permission to open /dev/bus/usb/002/003 (group plugdev"),
            std::string::npos)
      << All(r);
  EXPECT_NE(All(r).find("udev rule"), std::string::npos);
}

}  // namespace
}  // namespace coralpi
