// cmdline.txt: one line, pcie_aspm=off added once and before any " -- ".
#include "board/cmdline_txt.h"

#include <gtest/gtest.h>

namespace coralpi::board {
namespace {

const char kStock[] =
    "console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 "
    "fsck.repair=yes rootwait\n";

TEST(CmdlineTest, ParsesTokens) {
  Cmdline c = ParseCmdline(kStock);
  EXPECT_EQ(c.content_lines, 1);
  ASSERT_EQ(c.kernel_tokens.size(), 6u);
  EXPECT_EQ(c.kernel_tokens[5], "rootwait");
  EXPECT_EQ(c.KernelParam("root"), "PARTUUID=4e639091-02");
  EXPECT_EQ(c.KernelParam("rootwait"), "");
  EXPECT_FALSE(c.KernelParam("pcie_aspm").has_value());
}

TEST(CmdlineTest, InitArgumentsAreNotKernelParameters) {
  Cmdline c = ParseCmdline("root=/dev/sda2 -- pcie_aspm=off single\n");
  EXPECT_FALSE(c.KernelParam("pcie_aspm").has_value());
  EXPECT_EQ(c.init_tokens.size(), 2u);
}

TEST(CmdlineTest, LastValueWins) {
  Cmdline c = ParseCmdline("pcie_aspm=force rootwait pcie_aspm=off");
  EXPECT_EQ(c.KernelParam("pcie_aspm"), "off");
}

TEST(CmdlineTest, QuotedValuesStayTogether) {
  Cmdline c = ParseCmdline("a=\"x y\" b=1\n");
  ASSERT_EQ(c.kernel_tokens.size(), 2u);
  EXPECT_EQ(c.kernel_tokens[0], "a=\"x y\"");
}

TEST(CmdlineTest, AddsAtTheEndOfTheLine) {
  Result<std::string> out = AddKernelParam(kStock, "pcie_aspm=off");
  ASSERT_TRUE(out.ok()) << out.error().message;
  std::string want = kStock;
  want.insert(want.size() - 1, " pcie_aspm=off");
  EXPECT_EQ(*out, want);
}

TEST(CmdlineTest, AddsBeforeDoubleDash) {
  Result<std::string> out = AddKernelParam("root=/dev/sda2 rootwait -- quiet\n", "pcie_aspm=off");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "root=/dev/sda2 rootwait pcie_aspm=off -- quiet\n");
  EXPECT_EQ(ParseCmdline(*out).KernelParam("pcie_aspm"), "off");
}

TEST(CmdlineTest, KeepsTheFileWithoutFinalNewlineOrWithCrlf) {
  EXPECT_EQ(*AddKernelParam("rootwait", "pcie_aspm=off"), "rootwait pcie_aspm=off");
  EXPECT_EQ(*AddKernelParam("rootwait \r\n", "pcie_aspm=off"), "rootwait pcie_aspm=off \r\n");
}

TEST(CmdlineTest, AddingTwiceChangesNothing) {
  std::string once = *AddKernelParam(kStock, "pcie_aspm=off");
  EXPECT_EQ(*AddKernelParam(once, "pcie_aspm=off"), once);
}

TEST(CmdlineTest, OtherValueIsOverriddenByAppending) {
  std::string out = *AddKernelParam("pcie_aspm=force rootwait\n", "pcie_aspm=off");
  EXPECT_EQ(out, "pcie_aspm=force rootwait pcie_aspm=off\n");
  EXPECT_EQ(ParseCmdline(out).KernelParam("pcie_aspm"), "off");
}

TEST(CmdlineTest, RefusesMoreThanOneLine) {
  Result<std::string> out = AddKernelParam("root=/dev/sda2\nrootwait\n", "pcie_aspm=off");
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("2 lines"), std::string::npos) << out.error().message;
  EXPECT_EQ(ParseCmdline("root=/dev/sda2\nrootwait\n").content_lines, 2);
}

TEST(CmdlineTest, TrailingBlankLinesAreNotExtraLines) {
  EXPECT_EQ(ParseCmdline("rootwait\n\n").content_lines, 1);
  EXPECT_TRUE(AddKernelParam("rootwait\n\n", "pcie_aspm=off").ok());
}

TEST(CmdlineTest, RefusesUnbalancedQuote) {
  EXPECT_FALSE(AddKernelParam("root=/dev/\"x rootwait\n", "pcie_aspm=off").ok());
  EXPECT_TRUE(AddKernelParam("a=\"x y\" rootwait\n", "pcie_aspm=off").ok());
}

TEST(CmdlineTest, NulBytesSeparateTokens) {
  std::string in("rootwait\0\0 \n", 12);
  Result<std::string> out = AddKernelParam(in, "pcie_aspm=off");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(ParseCmdline(*out).KernelParam("pcie_aspm"), "off");
}

TEST(CmdlineTest, RefusesEmptyFile) {
  EXPECT_FALSE(AddKernelParam("", "pcie_aspm=off").ok());
  EXPECT_FALSE(AddKernelParam("\n", "pcie_aspm=off").ok());
  EXPECT_FALSE(AddKernelParam("\nrootwait\n", "pcie_aspm=off").ok());
}

}  // namespace
}  // namespace coralpi::board
