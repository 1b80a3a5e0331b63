// The gasket source fixes on strings: which kernels need which line, exact edits, version
// guards when older kernels stay installed, idempotence, and unknown sources.
#include "board/gasket_patch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace coralpi::board {
namespace {

const std::vector<KernelVersion> k6_6 = {{6, 6}};
const std::vector<KernelVersion> k6_12 = {{6, 12}, {6, 12}};  // the 16K and the 4K kernel
const std::vector<KernelVersion> k6_13 = {{6, 13}};
const std::vector<KernelVersion> k6_12_and_6_13 = {{6, 12}, {6, 13}};

const char* const kCore =
    "static const struct file_operations gasket_file_ops = {\n"
    "\t.owner = THIS_MODULE,\n"
    "\t.llseek = no_llseek,\n"
    "\t.mmap = gasket_mmap,\n"
    "};\n"
    "\tinternal->class =\n"
    "\t\tclass_create(driver_desc->module, driver_desc->name);\n";

const char* const kPageTable =
    "#include <linux/module.h>\n"
    "#include <linux/version.h>\n"
    "\n"
    "#if LINUX_VERSION_CODE >= KERNEL_VERSION(5,16,0)\n"
    "MODULE_IMPORT_NS(DMA_BUF);\n"
    "#endif\n";

TEST(GasketPatchTest, ParsesKernelReleases) {
  EXPECT_EQ(ParseKernelRelease("6.12.47+rpt-rpi-v8"), (KernelVersion{6, 12}));
  EXPECT_EQ(ParseKernelRelease("6.13.0-rc1"), (KernelVersion{6, 13}));
  EXPECT_EQ(ParseKernelRelease("6.6.30-v8+"), (KernelVersion{6, 6}));
  EXPECT_FALSE(ParseKernelRelease("build").has_value());
  EXPECT_FALSE(ParseKernelRelease("6").has_value());
  EXPECT_LT((KernelVersion{6, 9}), (KernelVersion{6, 12}));
}

TEST(GasketPatchTest, Kernel612ChangesTheLlseekAndClassCreateLinesOnly) {
  Result<std::string> out = PatchGasketFile("gasket_core.c", kCore, k6_12);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out,
            "static const struct file_operations gasket_file_ops = {\n"
            "\t.owner = THIS_MODULE,\n"
            "\t.llseek = noop_llseek,\n"
            "\t.mmap = gasket_mmap,\n"
            "};\n"
            "\tinternal->class =\n"
            "\t\tclass_create(driver_desc->name);\n");
}

TEST(GasketPatchTest, NamespaceIsQuotedOnlyFor613) {
  Result<std::string> for_6_12 = PatchGasketFile("gasket_page_table.c", kPageTable, k6_12);
  ASSERT_TRUE(for_6_12.ok());
  EXPECT_EQ(*for_6_12, kPageTable);
  Result<std::string> for_6_13 = PatchGasketFile("gasket_page_table.c", kPageTable, k6_13);
  ASSERT_TRUE(for_6_13.ok()) << for_6_13.error().message;
  EXPECT_EQ(*for_6_13,
            "#include <linux/module.h>\n"
            "#include <linux/version.h>\n"
            "\n"
            "#if LINUX_VERSION_CODE >= KERNEL_VERSION(5,16,0)\n"
            "MODULE_IMPORT_NS(\"DMA_BUF\");\n"
            "#endif\n");
}

TEST(GasketPatchTest, OlderKernelsInstalledTooGetAVersionGuard) {
  Result<std::string> out = PatchGasketFile("gasket_page_table.c", kPageTable, k6_12_and_6_13);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(*out,
            "#include <linux/module.h>\n"
            "#include <linux/version.h>\n"
            "\n"
            "#if LINUX_VERSION_CODE >= KERNEL_VERSION(5,16,0)\n"
            "#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)\n"
            "MODULE_IMPORT_NS(\"DMA_BUF\");\n"
            "#else\n"
            "MODULE_IMPORT_NS(DMA_BUF);\n"
            "#endif\n"
            "#endif\n");
  // Done is done: the guarded text needs nothing more, for either set of kernels.
  EXPECT_EQ(*PatchGasketFile("gasket_page_table.c", *out, k6_12_and_6_13), *out);
  EXPECT_EQ(*PatchGasketFile("gasket_page_table.c", *out, k6_13), *out);
}

TEST(GasketPatchTest, NoopLlseekNeedsNoGuard) {
  const GasketFix* llseek = FindGasketFix("no_llseek");
  ASSERT_NE(llseek, nullptr);
  Result<std::string> out = ApplyGasketFix("\t.llseek = no_llseek,\n", *llseek, {{6, 6}, {6, 12}});
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "\t.llseek = noop_llseek,\n");
}

TEST(GasketPatchTest, GuardWithoutVersionHeaderIsRefused) {
  const GasketFix* cc = FindGasketFix("class_create");
  ASSERT_NE(cc, nullptr);
  Result<std::string> out = ApplyGasketFix(kCore, *cc, {{6, 1}, {6, 12}});
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("gasket_core.c: kernels older than 6.4"), std::string::npos)
      << out.error().message;
}

TEST(GasketPatchTest, SecondPatchChangesNothing) {
  Result<std::string> once = PatchGasketFile("gasket_core.c", kCore, k6_13);
  ASSERT_TRUE(once.ok());
  Result<std::string> twice = PatchGasketFile("gasket_core.c", *once, k6_13);
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(*twice, *once);
}

TEST(GasketPatchTest, EachKernelGetsOnlyTheFixesItNeeds) {
  // 6.1 needs none of them; 6.6 only the class_create one (6.4).
  EXPECT_EQ(*PatchGasketFile("gasket_core.c", kCore, {{6, 1}}), kCore);
  EXPECT_EQ(*PatchGasketFile("gasket_core.c", kCore, k6_6),
            "static const struct file_operations gasket_file_ops = {\n"
            "\t.owner = THIS_MODULE,\n"
            "\t.llseek = no_llseek,\n"
            "\t.mmap = gasket_mmap,\n"
            "};\n"
            "\tinternal->class =\n"
            "\t\tclass_create(driver_desc->name);\n");
}

TEST(GasketPatchTest, UnknownSourceIsAnErrorNamingTheLine) {
  Result<std::string> out =
      PatchGasketFile("gasket_core.c", "static const struct file_operations x = {\n};\n", k6_12);
  ASSERT_FALSE(out.ok());
  EXPECT_NE(out.error().message.find("neither 'class_create(driver_desc->module, "
                                     "driver_desc->name);'"),
            std::string::npos)
      << out.error().message;
}

TEST(GasketPatchTest, KeepsCrlfAndBlanksAroundTheStatement) {
  const GasketFix* llseek = FindGasketFix("no_llseek");
  Result<std::string> out = ApplyGasketFix("  .llseek=no_llseek,\r\nx\r\n", *llseek, k6_12);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "  .llseek = noop_llseek,\r\nx\r\n");
}

TEST(GasketPatchTest, StatesOfAFix) {
  const GasketFix* dma = FindGasketFix("DMA_BUF");
  ASSERT_NE(dma, nullptr);
  EXPECT_EQ(StateOf(kPageTable, *dma), FixState::kNeeded);
  EXPECT_EQ(StateOf("MODULE_IMPORT_NS(\"DMA_BUF\");\n", *dma), FixState::kDone);
  EXPECT_EQ(StateOf("int x;\n", *dma), FixState::kUnknown);
  // A commented-out line is not the statement.
  EXPECT_EQ(StateOf("// MODULE_IMPORT_NS(DMA_BUF);\n", *dma), FixState::kUnknown);
}

}  // namespace
}  // namespace coralpi::board
