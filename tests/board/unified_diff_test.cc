// Unified diffs as `diff -u` prints them.
#include "board/unified_diff.h"

#include <gtest/gtest.h>

namespace coralpi::board {
namespace {

TEST(UnifiedDiffTest, EqualTextsGiveNothing) { EXPECT_EQ(UnifiedDiff("f", "a\n", "a\n"), ""); }

TEST(UnifiedDiffTest, AppendAtEnd) {
  std::string before = "1\n2\n3\n4\n5\n";
  std::string d = UnifiedDiff("boot/config.txt", before, before + "6\n");
  EXPECT_EQ(d,
            "--- a/boot/config.txt\n+++ b/boot/config.txt\n"
            "@@ -3,3 +3,4 @@\n 3\n 4\n 5\n+6\n");
}

TEST(UnifiedDiffTest, ChangeInTheMiddle) {
  std::string d = UnifiedDiff("f", "a\nb\nc\n", "a\nB\nc\n");
  EXPECT_EQ(d, "--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
}

TEST(UnifiedDiffTest, NewFile) {
  EXPECT_EQ(UnifiedDiff("r", "", "x\n", false), "--- /dev/null\n+++ b/r\n@@ -0,0 +1,1 @@\n+x\n");
}

TEST(UnifiedDiffTest, MissingFinalNewlineIsMarked) {
  std::string d = UnifiedDiff("f", "a", "a\nb\n");
  EXPECT_EQ(d, "--- a/f\n+++ b/f\n@@ -1,1 +1,2 @@\n-a\n\\ No newline at end of file\n+a\n+b\n");
}

TEST(UnifiedDiffTest, FarApartChangesMakeTwoHunks) {
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += std::to_string(i) + "\n";
    after += (i == 2 || i == 18 ? "x" : std::to_string(i)) + "\n";
  }
  std::string d = UnifiedDiff("f", before, after);
  EXPECT_NE(d.find("@@ -1,5 +1,5 @@"), std::string::npos) << d;
  EXPECT_NE(d.find("@@ -15,6 +15,6 @@"), std::string::npos) << d;
}

}  // namespace
}  // namespace coralpi::board
