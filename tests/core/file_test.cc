#include "core/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace coralpi {
namespace {

std::string TempDir() {
  char tmpl[] = "/tmp/coralpi-core-XXXXXX";
  return ::mkdtemp(tmpl);
}

TEST(FileTest, MissingFileNamesPathAndReason) {
  auto r = ReadFileBytes("/nonexistent/coralpi/model.tflite");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("/nonexistent/coralpi/model.tflite"), std::string::npos);
  EXPECT_NE(r.error().message.find("No such file"), std::string::npos);
  EXPECT_EQ(r.error().kind, ErrorKind::kNotFound);
}

TEST(FileTest, DirectoryIsAnError) {
  auto r = ReadFileBytes("/tmp");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("directory"), std::string::npos);
  EXPECT_EQ(r.error().kind, ErrorKind::kBadFile);
}

TEST(FileTest, AtomicWriteThenReadBackKeepsMode) {
  std::string dir = TempDir();
  std::string path = dir + "/config.txt";
  ASSERT_TRUE(WriteFileAtomic(path, "first\n").ok());
  ::chmod(path.c_str(), 0640);
  ASSERT_TRUE(WriteFileAtomic(path, "second\n").ok());
  auto text = ReadFileText(path);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "second\n");
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  std::filesystem::remove_all(dir);
}

TEST(FileTest, AtomicWriteIntoMissingDirectoryFails) {
  auto s = WriteFileAtomic("/nonexistent/dir/file", "x");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("/nonexistent/dir/file"), std::string::npos);
}

}  // namespace
}  // namespace coralpi
