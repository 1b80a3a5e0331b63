// Device trees: DTBs compiled by dtc from the fixtures (both node naming schemes, with and
// without the MSI fix), the patch re-read through libfdt itself, and a live tree under proc.
#include "board/device_tree.h"

#include <gtest/gtest.h>

extern "C" {
#include <libfdt.h>
}

#include "fake_tree.h"

namespace coralpi::board {
namespace {

using testing::Cell;
using testing::FakeTree;

struct Case {
  const char* fixture;
  const char* pcie_path;
  bool fixed;
};

class DtbTest : public ::testing::TestWithParam<Case> {};

std::string Compile(FakeTree& t, const char* fixture, bool symbols = true) {
  t.CompileDts(fixture, "out.dtb", symbols);
  return t.Read("out.dtb");
}

// Reads a u32 property straight through libfdt, independent of the code under test.
uint32_t PropU32(const std::string& blob, const char* path, const char* prop) {
  int node = fdt_path_offset(blob.data(), path);
  EXPECT_GE(node, 0) << path;
  int len = 0;
  const fdt32_t* p = static_cast<const fdt32_t*>(fdt_getprop(blob.data(), node, prop, &len));
  EXPECT_EQ(len, 4) << path << "/" << prop;
  return p == nullptr ? 0 : fdt32_to_cpu(*p);
}

TEST_P(DtbTest, ReadsMsiRouting) {
  FakeTree t;
  std::string blob = Compile(t, GetParam().fixture);
  Result<PcieMsiState> s = ReadDtbMsiState(blob);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->pcie_path, GetParam().pcie_path);
  EXPECT_EQ(s->status, "disabled");
  EXPECT_EQ(s->max_link_speed, 2u);
  EXPECT_EQ(s->MsiFixed(), GetParam().fixed);
  EXPECT_EQ(s->MsiOnMip(), !GetParam().fixed);
  EXPECT_EQ(*s->phandle, PropU32(blob, GetParam().pcie_path, "phandle"));
}

TEST_P(DtbTest, PatchPointsMsiParentAtThePortItself) {
  FakeTree t;
  std::string blob = Compile(t, GetParam().fixture);
  Result<std::string> patched = PatchDtbMsiParent(blob);
  ASSERT_TRUE(patched.ok()) << patched.error().message;
  ASSERT_EQ(fdt_check_header(patched->data()), 0);
  const char* path = GetParam().pcie_path;
  EXPECT_EQ(PropU32(*patched, path, "msi-parent"), PropU32(*patched, path, "phandle"));
  // The phandle itself is unchanged, and so is every other node's routing.
  EXPECT_EQ(PropU32(*patched, path, "phandle"), PropU32(blob, path, "phandle"));
  if (GetParam().fixed) {
    EXPECT_EQ(*patched, blob);
  }
  // Patching again changes nothing.
  EXPECT_EQ(*PatchDtbMsiParent(*patched), *patched);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, DtbTest,
    ::testing::Values(Case{"bcm2712-rpi-5-b-axi.dts", "/axi/pcie@110000", false},
                      Case{"bcm2712-rpi-5-b-axi-fixed.dts", "/axi/pcie@110000", true},
                      Case{"bcm2712-rpi-5-b-upstream.dts", "/axi/pcie@1000110000", false},
                      Case{"bcm2712-rpi-5-b-upstream-fixed.dts", "/axi/pcie@1000110000", true}));

TEST(DtbPatchTest, OtherPortsKeepTheirRouting) {
  FakeTree t;
  std::string blob = Compile(t, "bcm2712-rpi-5-b-axi.dts");
  std::string patched = *PatchDtbMsiParent(blob);
  EXPECT_EQ(PropU32(patched, "/axi/pcie@120000", "msi-parent"),
            PropU32(patched, "/axi/msi-controller@130000", "phandle"));
  EXPECT_EQ(PropU32(patched, "/axi/pcie@100000", "msi-parent"),
            PropU32(patched, "/axi/pcie@100000", "phandle"));
}

TEST(DtbPatchTest, NodeWithoutPhandleOrSymbolsGetsOne) {
  FakeTree t;
  std::string blob = Compile(t, "bcm2712-rpi-5-b-nosymbols.dts", /*symbols=*/false);
  ASSERT_LT(fdt_path_offset(blob.data(), "/__symbols__"), 0);
  Result<PcieMsiState> before = ReadDtbMsiState(blob);
  ASSERT_TRUE(before.ok()) << before.error().message;
  EXPECT_FALSE(before->phandle.has_value());
  Result<std::string> patched = PatchDtbMsiParent(blob);
  ASSERT_TRUE(patched.ok()) << patched.error().message;
  uint32_t ph = PropU32(*patched, "/axi/pcie@110000", "phandle");
  EXPECT_NE(ph, 0u);
  EXPECT_NE(ph, PropU32(*patched, "/axi/msi-controller@131000", "phandle"));
  EXPECT_EQ(PropU32(*patched, "/axi/pcie@110000", "msi-parent"), ph);
}

TEST(DtbTest, BadBlobsAreErrors) {
  EXPECT_FALSE(ReadDtbMsiState("").ok());
  EXPECT_FALSE(ReadDtbMsiState("not a device tree at all, just some text").ok());
  FakeTree t;
  std::string blob = Compile(t, "bcm2712-rpi-5-b-axi.dts");
  EXPECT_FALSE(ReadDtbMsiState(blob.substr(0, blob.size() / 2)).ok());
  EXPECT_FALSE(PatchDtbMsiParent(blob.substr(0, 40)).ok());
  // A valid tree without the port.
  std::string overlay = (t.CompileDts("pineboards-hat-ai-overlay.dts", "o.dtbo"), t.Read("o.dtbo"));
  EXPECT_FALSE(ReadDtbMsiState(overlay).ok());
  EXPECT_FALSE(PatchDtbMsiParent(overlay).ok());
}

TEST(OverlayTest, ParameterNames) {
  FakeTree t;
  t.CompileDts("pciex1-capture-overlay.dts", "a.dtbo");
  t.CompileDts("pineboards-hat-ai-overlay.dts", "b.dtbo");
  Result<std::vector<std::string>> a = OverlayParameterNames(t.Read("a.dtbo"));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a, std::vector<std::string>{"pciex1"});
  Result<std::vector<std::string>> b = OverlayParameterNames(t.Read("b.dtbo"));
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->empty());
  EXPECT_FALSE(OverlayParameterNames("junk").ok());
}

void WriteLiveTree(FakeTree& t, const std::string& pcie, const std::string& mip,
                   uint32_t msi_parent) {
  const std::string dt = "proc/device-tree/";
  t.Write(dt + "compatible", std::string("raspberrypi,5-model-b\0brcm,bcm2712\0", 35));
  t.Write(dt + "__symbols__/pcie1", pcie + '\0');
  t.Write(dt + "__symbols__/mip1", mip + '\0');
  t.Write(dt + pcie.substr(1) + "/status", std::string("okay\0", 5));
  t.Write(dt + pcie.substr(1) + "/phandle", Cell(0x68));
  t.Write(dt + pcie.substr(1) + "/msi-parent", Cell(msi_parent));
  t.Write(dt + mip.substr(1) + "/phandle", Cell(0x2c));
}

TEST(LiveTreeTest, BothNamingSchemesThroughSymbols) {
  for (const char* pcie : {"/axi/pcie@110000", "/axi/pcie@1000110000"}) {
    FakeTree t;
    WriteLiveTree(t, pcie, "/axi/msi-controller@1000131000", 0x2c);
    RootFs fs(t.root());
    Result<PcieMsiState> s = ReadLiveMsiState(fs);
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(s->pcie_path, pcie);
    EXPECT_TRUE(s->Enabled());
    EXPECT_TRUE(s->MsiOnMip());
    EXPECT_FALSE(s->MsiFixed());
  }
}

TEST(LiveTreeTest, FixedWhenMsiParentIsOwnPhandle) {
  FakeTree t;
  WriteLiveTree(t, "/axi/pcie@110000", "/axi/msi-controller@131000", 0x68);
  RootFs fs(t.root());
  Result<PcieMsiState> s = ReadLiveMsiState(fs);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->MsiFixed());
  EXPECT_EQ(*s->phandle, 0x68u);
}

TEST(LiveTreeTest, MissingTreeOrPortIsAnError) {
  FakeTree t;
  RootFs fs(t.root());
  EXPECT_FALSE(ReadLiveMsiState(fs).ok());
  t.Write("proc/device-tree/compatible", "brcm,bcm2712");
  EXPECT_FALSE(ReadLiveMsiState(fs).ok());
}

TEST(BoardIdentityTest, Variants) {
  FakeTree t;
  RootFs fs(t.root());
  EXPECT_FALSE(ReadBoardIdentity(fs).is_bcm2712);
  t.Write("proc/device-tree/compatible",
          std::string("raspberrypi,5-compute-module\0brcm,bcm2712\0", 42));
  t.Write("proc/device-tree/model", std::string("Raspberry Pi Compute Module 5 Rev 1.0\0", 38));
  BoardIdentity id = ReadBoardIdentity(fs);
  EXPECT_TRUE(id.is_bcm2712);
  EXPECT_EQ(id.variant, PiModel::kCm5);
  EXPECT_EQ(id.model, "Raspberry Pi Compute Module 5 Rev 1.0");
  t.Write("proc/device-tree/compatible", std::string("raspberrypi,4-model-b\0brcm,bcm2711\0", 35));
  EXPECT_FALSE(ReadBoardIdentity(fs).is_bcm2712);
}

}  // namespace
}  // namespace coralpi::board
