// Edge TPU discovery from a fake sysfs: PCIe TPUs with their driver state, USB Accelerators
// before and after the runtime loads their firmware.
#include "host/edgetpu_devices.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "apex_health_tree.h"
#include "fake_tree.h"
#include "host/edgetpu_runtime.h"

namespace coralpi::board {
namespace {

using testing::FakeTree;

TEST(EdgeTpuDevicesTest, WorkingPcieTpu) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  EdgeTpuDevices d = ScanEdgeTpus(RootFs(t.root()));
  ASSERT_EQ(d.pcie.size(), 1u);
  const PcieEdgeTpu& tpu = d.pcie[0];
  EXPECT_EQ(tpu.address, "0000:01:00.0");
  EXPECT_EQ(tpu.driver, "apex");
  EXPECT_EQ(tpu.link_speed, "5.0 GT/s PCIe");
  EXPECT_EQ(tpu.link_width, "1");
  EXPECT_EQ(tpu.apex_name, "apex_0");
  EXPECT_TRUE(tpu.dev_node_exists);
  EXPECT_EQ(tpu.status, "ALIVE");
  EXPECT_TRUE(tpu.has_interrupt_counts);
  EXPECT_EQ(tpu.temp_millic, 45050);
  EXPECT_EQ(tpu.trip_points_millic, (std::vector<long>{85000, 90000, 95000}));
  EXPECT_TRUE(d.usb.empty());
}

TEST(EdgeTpuDevicesTest, TwoTpusBehindASwitchAreMatchedByAddress) {
  FakeTree t;
  for (const char* addr : {"0001:03:00.0", "0001:04:00.0"}) {
    std::string dir = std::string("sys/bus/pci/devices/") + addr + "/";
    t.Write(dir + "vendor", "0x1AC1\n");
    t.Write(dir + "device", "0x089A\n");
    t.Symlink(dir + "driver", "../../../bus/pci/drivers/apex");
  }
  t.Write("sys/class/apex/apex_1/pci_address", "0001:03:00.0\n");
  t.Write("sys/class/apex/apex_1/status", "LAMED\n");
  t.Symlink("sys/class/apex/apex_0/device", "../../../devices/platform/axi/0001:04:00.0");
  t.Write("sys/class/apex/apex_0/status", "ALIVE\n");
  t.Write("sys/class/apex/apex_0/interrupt_counts", "");
  EdgeTpuDevices d = ScanEdgeTpus(RootFs(t.root()));
  ASSERT_EQ(d.pcie.size(), 2u);
  EXPECT_EQ(d.pcie[0].apex_name, "apex_1");
  EXPECT_EQ(d.pcie[0].status, "LAMED");
  EXPECT_FALSE(d.pcie[0].has_interrupt_counts);
  EXPECT_EQ(d.pcie[1].apex_name, "apex_0");
  EXPECT_EQ(d.pcie[1].status, "ALIVE");
  EXPECT_FALSE(d.pcie[1].dev_node_exists);
}

TEST(EdgeTpuDevicesTest, TripPointsThrottlingAndResets) {
  FakeTree t;
  testing::BuildTwoApexTpus(t);
  EdgeTpuDevices d = ScanEdgeTpus(RootFs(t.root()));
  ASSERT_EQ(d.pcie.size(), 2u);
  EXPECT_EQ(d.pcie[0].apex_name, "apex_0");
  EXPECT_EQ(d.pcie[0].temp_millic, 84900);
  EXPECT_EQ(d.pcie[0].trip_points_millic, (std::vector<long>{85000, 90000, 95000}));
  EXPECT_EQ(d.pcie[0].reset_count, 0);
  EXPECT_EQ(IsThrottled(d.pcie[0]), false);
  EXPECT_EQ(d.pcie[1].apex_name, "apex_1");
  EXPECT_EQ(d.pcie[1].temp_millic, 91300);
  EXPECT_EQ(d.pcie[1].reset_count, 2);
  EXPECT_EQ(IsThrottled(d.pcie[1]), true);
}

TEST(EdgeTpuDevicesTest, ThrottledFromTheLowestTripPoint) {
  PcieEdgeTpu tpu;
  EXPECT_FALSE(IsThrottled(tpu).has_value());  // neither reading
  tpu.temp_millic = 85000;
  EXPECT_FALSE(IsThrottled(tpu).has_value());      // no trip points
  tpu.trip_points_millic = {90000, 85000, 95000};  // written out of order by hand
  EXPECT_EQ(IsThrottled(tpu), true);               // at the lowest: the driver has stepped
  tpu.temp_millic = 84999;
  EXPECT_EQ(IsThrottled(tpu), false);
  tpu.temp_millic = 97000;
  EXPECT_EQ(IsThrottled(tpu), true);
}

TEST(EdgeTpuDevicesTest, NoResetCountFileLeavesItUnknown) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  EdgeTpuDevices d = ScanEdgeTpus(RootFs(t.root()));
  ASSERT_EQ(d.pcie.size(), 1u);
  EXPECT_FALSE(d.pcie[0].reset_count.has_value());
  EXPECT_EQ(IsThrottled(d.pcie[0]), false);  // 45.05 C
}

TEST(EdgeTpuDevicesTest, UnboundTpu) {
  FakeTree t;
  t.Write("sys/bus/pci/devices/0000:01:00.0/vendor", "0x1ac1\n");
  t.Write("sys/bus/pci/devices/0000:01:00.0/device", "0x089a\n");
  EdgeTpuDevices d = ScanEdgeTpus(RootFs(t.root()));
  ASSERT_EQ(d.pcie.size(), 1u);
  EXPECT_EQ(d.pcie[0].driver, "");
  EXPECT_EQ(d.pcie[0].apex_name, "");
  EXPECT_FALSE(d.pcie[0].status.has_value());
}

TEST(EdgeTpuDevicesTest, UsbAcceleratorBeforeAndAfterFirmware) {
  FakeTree t;
  t.Write("sys/bus/usb/devices/2-1/idVendor", "1a6e\n");
  t.Write("sys/bus/usb/devices/2-1/idProduct", "089a\n");
  t.Write("sys/bus/usb/devices/2-1/speed", "5000\n");
  t.Write("sys/bus/usb/devices/2-2/idVendor", "18d1\n");
  t.Write("sys/bus/usb/devices/2-2/idProduct", "9302\n");
  t.Write("sys/bus/usb/devices/2-3/idVendor", "18d1\n");  // another Google device
  t.Write("sys/bus/usb/devices/2-3/idProduct", "4ee7\n");
  t.Write("sys/bus/usb/devices/usb2/idVendor", "1d6b\n");
  EdgeTpuDevices d = ScanEdgeTpus(RootFs(t.root()));
  ASSERT_EQ(d.usb.size(), 2u);
  EXPECT_EQ(d.usb[0].sysfs_name, "2-1");
  EXPECT_FALSE(d.usb[0].firmware_loaded);
  EXPECT_EQ(d.usb[0].speed, "5000");
  EXPECT_EQ(d.usb[1].sysfs_name, "2-2");
  EXPECT_TRUE(d.usb[1].firmware_loaded);
  EXPECT_TRUE(d.pcie.empty());
}

TEST(EdgeTpuDevicesTest, EmptyTree) {
  FakeTree t;
  EdgeTpuDevices d = ScanEdgeTpus(RootFs(t.root()));
  EXPECT_TRUE(d.pcie.empty());
  EXPECT_TRUE(d.usb.empty());
}

TEST(EdgeTpuRuntimeTest, FromLibraryAndDpkg) {
  FakeTree t;
  testing::BuildWorkingPi5(t);
  EdgeTpuRuntime rt = DetectEdgeTpuRuntime(RootFs(t.root()), std::string("BuildLabel(x)"));
  EXPECT_TRUE(rt.installed());
  EXPECT_EQ(rt.package, "libedgetpu1-std");
  EXPECT_EQ(rt.package_version, "16.0tf2.17.1-1.bookworm");
  EXPECT_EQ(rt.library, "usr/lib/aarch64-linux-gnu/libedgetpu.so.1.0");
  EXPECT_EQ(rt.flavour, EdgeTpuRuntime::Flavour::kThrottled);
  EXPECT_EQ(rt.loaded_version, "BuildLabel(x)");
}

TEST(EdgeTpuRuntimeTest, MaxFlavourFromTheBinary) {
  FakeTree t;
  t.Write("usr/lib/x86_64-linux-gnu/libedgetpu.so.1",
          std::string("xx\0PERFORMANCE=DIRECT\0RuntimeVersion(14)\0", 41));
  EdgeTpuRuntime rt = DetectEdgeTpuRuntime(RootFs(t.root()));
  EXPECT_TRUE(rt.installed());
  EXPECT_EQ(rt.package, "");
  EXPECT_EQ(rt.flavour, EdgeTpuRuntime::Flavour::kDirect);
  EXPECT_EQ(rt.build_runtime_version, "RuntimeVersion(14)");
  EXPECT_FALSE(rt.loaded_version.has_value());
}

TEST(EdgeTpuRuntimeTest, DpkgEntries) {
  std::string status =
      "Package: libedgetpu1-max\nStatus: deinstall ok config-files\nVersion: 16.0\n\n"
      "Package: libedgetpu1-std\nStatus: install ok installed\nVersion: 16.0\n";
  EXPECT_EQ(FindDpkgPackage(status, "libedgetpu1-max")->status, "deinstall ok config-files");
  EXPECT_EQ(FindDpkgPackage(status, "libedgetpu1-std")->version, "16.0");
  EXPECT_FALSE(FindDpkgPackage(status, "gasket-dkms").has_value());
  EXPECT_FALSE(FindDpkgPackage("Package:\nStatus:\n", "x").has_value());
  FakeTree t;
  t.Write("var/lib/dpkg/status", status);
  EXPECT_EQ(DetectEdgeTpuRuntime(RootFs(t.root())).package, "libedgetpu1-std");
}

}  // namespace
}  // namespace coralpi::board
