// config.txt: conditional sections, last-wins kernel=, dtparam scoping, and byte-preserving
// appends. Expected values come from the firmware's documented rules (pi5-coral-facts.md §2).
#include "board/config_txt.h"

#include <gtest/gtest.h>

namespace coralpi::board {
namespace {

std::string KernelOf(const std::string& text, PiModel model = PiModel::kPi5) {
  ConfigTxt cfg = ConfigTxt::Parse(text, model);
  const ConfigLine* k = cfg.EffectiveKernel();
  return k == nullptr ? "" : k->value;
}

TEST(ConfigTxtTest, KernelIsLastWins) {
  EXPECT_EQ(KernelOf("kernel=kernel8.img\nkernel=kernel_2712.img\n"), "kernel_2712.img");
  EXPECT_EQ(KernelOf("kernel=kernel_2712.img\nkernel=kernel8.img\n"), "kernel8.img");
  EXPECT_EQ(KernelOf("arm_boost=1\n"), "");
}

TEST(ConfigTxtTest, SectionsForOtherModelsDoNotApplyOnPi5) {
  EXPECT_EQ(KernelOf("[pi4]\nkernel=kernel8.img\n"), "");
  EXPECT_EQ(KernelOf("[cm4]\nkernel=kernel8.img\n"), "");
  EXPECT_EQ(KernelOf("[cm5]\nkernel=kernel8.img\n"), "");
  EXPECT_EQ(KernelOf("[pi500]\nkernel=kernel8.img\n"), "");
  EXPECT_EQ(KernelOf("[none]\nkernel=kernel8.img\n"), "");
  EXPECT_EQ(KernelOf("[pi5]\nkernel=kernel8.img\n"), "kernel8.img");
  EXPECT_EQ(KernelOf("[all]\nkernel=kernel8.img\n"), "kernel8.img");
  EXPECT_EQ(KernelOf("[board-type=0x17]\nkernel=kernel8.img\n"), "kernel8.img");
}

TEST(ConfigTxtTest, VariantFiltersApplyOnTheirBoards) {
  EXPECT_EQ(KernelOf("[cm5]\nkernel=kernel8.img\n", PiModel::kCm5), "kernel8.img");
  EXPECT_EQ(KernelOf("[pi500]\nkernel=kernel8.img\n", PiModel::kPi500), "kernel8.img");
  EXPECT_EQ(KernelOf("[pi5]\nkernel=kernel8.img\n", PiModel::kPi500), "kernel8.img");
  EXPECT_EQ(KernelOf("[cm5]\nkernel=kernel8.img\n", PiModel::kPi500), "");
}

TEST(ConfigTxtTest, AllResetsFiltersAndNoneBlocksUntilAll) {
  EXPECT_EQ(KernelOf("[pi4]\narm_boost=1\n[all]\nkernel=kernel8.img\n"), "kernel8.img");
  EXPECT_EQ(KernelOf("[none]\nkernel=a.img\n[pi5]\nkernel=b.img\n[all]\nkernel=c.img\n"), "c.img");
  EXPECT_EQ(KernelOf("[none]\n[pi5]\nkernel=b.img\n"), "");
  // Filters of one type replace each other: [pi4] then [pi5] leaves [pi5] in force.
  EXPECT_EQ(KernelOf("[pi4]\n[pi5]\nkernel=kernel8.img\n"), "kernel8.img");
}

TEST(ConfigTxtTest, UnknowableFiltersAreNotCountedAsEffective) {
  EXPECT_EQ(KernelOf("[EDID=VSC-TD2220]\nkernel=kernel8.img\n"), "");
  EXPECT_EQ(KernelOf("[gpio4=1]\nkernel=kernel8.img\n"), "");
  EXPECT_EQ(KernelOf("[0x12345678]\nkernel=kernel8.img\n"), "");
  EXPECT_EQ(KernelOf("[tryboot]\nkernel=kernel8.img\n"), "");
  EXPECT_EQ(KernelOf("[gpio4=1]\n[all]\nkernel=kernel8.img\n"), "kernel8.img");
}

TEST(ConfigTxtTest, CommentsAndCommentedSettingsAreIgnored) {
  EXPECT_EQ(KernelOf("#kernel=kernel8.img\n  # kernel=x\n"), "");
  ConfigTxt cfg = ConfigTxt::Parse("#dtparam=pciex1\n");
  EXPECT_TRUE(cfg.EffectiveDtparams().empty());
}

TEST(ConfigTxtTest, CharactersBeyondTheLineLimitAreIgnored) {
  std::string pad(kConfigLineLimit - std::string("kernel=").size(), 'k');
  ConfigTxt cfg = ConfigTxt::Parse("kernel=" + pad + "EXTRA\n");
  ASSERT_NE(cfg.EffectiveKernel(), nullptr);
  EXPECT_EQ(cfg.EffectiveKernel()->value, pad);
}

TEST(ConfigTxtTest, DtparamScopeFollowsTheLastOverlay) {
  ConfigTxt cfg = ConfigTxt::Parse(
      "dtparam=audio=on\n"
      "dtoverlay=vc4-kms-v3d\n"
      "dtparam=pciex1\n"
      "dtoverlay=\n"
      "dtparam=pciex1_gen=3,nvme\n"
      "[cm5]\n"
      "dtoverlay=dwc2,dr_mode=host\n"
      "[all]\n"
      "dtparam=i2c_arm=on\n");
  std::vector<DtParam> p = cfg.EffectiveDtparams();
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0].name, "audio");
  EXPECT_EQ(p[0].value, "on");
  EXPECT_EQ(p[0].overlay_scope, "");
  EXPECT_EQ(p[1].name, "pciex1");
  EXPECT_FALSE(p[1].has_value);
  EXPECT_EQ(p[1].overlay_scope, "vc4-kms-v3d");
  EXPECT_EQ(p[2].name, "pciex1_gen");
  EXPECT_EQ(p[2].value, "3");
  EXPECT_EQ(p[2].overlay_scope, "");
  EXPECT_EQ(p[3].name, "nvme");
  // The [cm5] overlay does not load on a Pi 5, so it opens no scope.
  EXPECT_EQ(p[4].name, "i2c_arm");
  EXPECT_EQ(p[4].overlay_scope, "");
}

TEST(ConfigTxtTest, OverlaysWithParametersAndLegacyKeys) {
  ConfigTxt cfg = ConfigTxt::Parse(
      "dtoverlay=pciex1-compat-pi5,no-mip\n"
      "device_tree_overlay=pineboards-hat-ai\n"
      "[pi4]\ndtoverlay=ignored\n");
  std::vector<DtOverlay> o = cfg.EffectiveOverlays();
  ASSERT_EQ(o.size(), 2u);
  EXPECT_EQ(o[0].name, "pciex1-compat-pi5");
  ASSERT_EQ(o[0].params.size(), 1u);
  EXPECT_EQ(o[0].params[0].name, "no-mip");
  EXPECT_EQ(o[1].name, "pineboards-hat-ai");
  EXPECT_EQ(o[1].line, 2);
}

TEST(ConfigTxtTest, ParamOnOff) {
  auto on = [](const std::string& v) { return ParamIsOn(SplitParams(v, 1, "").at(0)); };
  EXPECT_TRUE(on("pciex1"));
  EXPECT_TRUE(on("pciex1=on"));
  EXPECT_TRUE(on("pciex1=ON"));
  EXPECT_FALSE(on("pciex1=off"));
  EXPECT_FALSE(on("pciex1=0"));
}

TEST(ConfigTxtTest, LastSection) {
  EXPECT_FALSE(ConfigTxt::Parse("arm_boost=1\n").LastSection().has_value());
  EXPECT_EQ(ConfigTxt::Parse("[cm5]\nx=1\n[all]\n").LastSection(), "all");
  EXPECT_EQ(ConfigTxt::Parse("[all]\n[cm5]\ndtoverlay=dwc2\n").LastSection(), "cm5");
  EXPECT_EQ(ConfigTxt::Parse("[PI4]\n").LastSection(), "pi4");
}

TEST(ConfigTxtTest, AppendKeepsEveryByteAndAddsAllWhenNeeded) {
  std::string in = "# c\n[all]\narm_boost=1\n";
  EXPECT_EQ(AppendConfigLines(in, {"kernel=kernel8.img"}), in + "kernel=kernel8.img\n");

  std::string cm5 = "arm_boost=1\n[cm5]\ndtoverlay=dwc2,dr_mode=host\n";
  std::string out = AppendConfigLines(cm5, {"dtparam=pciex1", "kernel=kernel8.img"});
  EXPECT_EQ(out, cm5 + "[all]\ndtparam=pciex1\nkernel=kernel8.img\n");
  ConfigTxt cfg = ConfigTxt::Parse(out);
  ASSERT_NE(cfg.EffectiveKernel(), nullptr);
  EXPECT_EQ(cfg.EffectiveKernel()->value, "kernel8.img");
}

TEST(ConfigTxtTest, AppendHandlesMissingFinalNewlineAndCrlf) {
  EXPECT_EQ(AppendConfigLines("arm_boost=1", {"x=1"}), "arm_boost=1\nx=1\n");
  EXPECT_EQ(AppendConfigLines("a=1\r\nb=2\r\n", {"x=1"}), "a=1\r\nb=2\r\nx=1\r\n");
  EXPECT_EQ(AppendConfigLines("", {"x=1"}), "x=1\n");
  EXPECT_EQ(AppendConfigLines("a=1\n", {}), "a=1\n");
}

TEST(ConfigTxtTest, LinesKeepTheirEndings) {
  ConfigTxt cfg = ConfigTxt::Parse("a=1\r\nb=2\nc=3");
  ASSERT_EQ(cfg.lines().size(), 3u);
  EXPECT_EQ(cfg.lines()[0].ending, "\r\n");
  EXPECT_EQ(cfg.lines()[1].ending, "\n");
  EXPECT_EQ(cfg.lines()[2].ending, "");
  EXPECT_EQ(cfg.lines()[0].value, "1");
}

TEST(ConfigTxtTest, OddInputDoesNotCrash) {
  for (const char* s : {"[", "]", "[]", "=", "==", "dtoverlay=", "dtparam=,,,", "include",
                        "include  ", "\n\n\r\r", "[all", "kernel", "\0\0"}) {
    ConfigTxt cfg = ConfigTxt::Parse(s);
    (void)cfg.EffectiveDtparams();
    (void)cfg.EffectiveOverlays();
    (void)cfg.LastSection();
    (void)AppendConfigLines(s, {"x=1"});
  }
}

}  // namespace
}  // namespace coralpi::board
