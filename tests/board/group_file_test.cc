// etc/group and etc/gshadow edits: a new system group with the first free gid from 999 down,
// a member appended, nothing else touched.
#include "board/group_file.h"

#include <gtest/gtest.h>

#include <string>

namespace coralpi::board {
namespace {

const char* const kGroup = "root:x:0:\nsudo:x:27:pi\nsystemd-journal:x:999:\npi:x:1000:\n";

TEST(GroupFileTest, NewGroupGetsTheHighestFreeSystemGid) {
  ASSERT_TRUE(FreeSystemGid(kGroup).ok());
  EXPECT_EQ(*FreeSystemGid(kGroup), 998u);
  EXPECT_EQ(AddToGroupFile(kGroup, "apex", "pi", 998),
            "root:x:0:\nsudo:x:27:pi\nsystemd-journal:x:999:\npi:x:1000:\napex:x:998:pi\n");
}

TEST(GroupFileTest, MemberIsAppended) {
  std::string g = "root:x:0:\napex:x:997:alice\npi:x:1000:\n";
  EXPECT_EQ(AddToGroupFile(g, "apex", "pi", 1), "root:x:0:\napex:x:997:alice,pi\npi:x:1000:\n");
  EXPECT_EQ(AddToGroupFile("apex:x:997:\n", "apex", "pi", 1), "apex:x:997:pi\n");
  EXPECT_EQ(AddToGroupFile("apex:x:997:\r\n", "apex", "pi", 1), "apex:x:997:pi\r\n");
}

TEST(GroupFileTest, MemberAlreadyThereChangesNothing) {
  std::string g = "apex:x:997:alice,pi\n";
  EXPECT_EQ(AddToGroupFile(g, "apex", "pi", 1), g);
  // "pi" is not "pin".
  EXPECT_EQ(AddToGroupFile("apex:x:997:pin\n", "apex", "pi", 1), "apex:x:997:pin,pi\n");
}

TEST(GroupFileTest, FileWithoutFinalNewline) {
  EXPECT_EQ(AddToGroupFile("root:x:0:", "apex", "pi", 999), "root:x:0:\napex:x:999:pi\n");
}

TEST(GroupFileTest, Gshadow) {
  EXPECT_EQ(AddToGshadowFile("root:*::\n", "apex", "pi"), "root:*::\napex:!::pi\n");
  EXPECT_EQ(AddToGshadowFile("apex:!:adm:bob\n", "apex", "pi"), "apex:!:adm:bob,pi\n");
  EXPECT_EQ(GroupMembers("apex:!::pi\n", "apex"), "pi");
  EXPECT_FALSE(GroupMembers("root:*::\n", "apex").has_value());
}

TEST(GroupFileTest, UserNames) {
  EXPECT_TRUE(ValidUserName("pi"));
  EXPECT_FALSE(ValidUserName(""));
  EXPECT_FALSE(ValidUserName("a:b"));
  EXPECT_FALSE(ValidUserName("a,b"));
  EXPECT_FALSE(ValidUserName("-rf"));
}

}  // namespace
}  // namespace coralpi::board
