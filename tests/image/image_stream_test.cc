// ImageStream and ExpandImagePaths: every image comes back in order with its own pixels, a bad
// file is an error naming it without stopping the ones after it, and folders expand to their
// image files by name.
#include "image/image_stream.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "test_images.h"

namespace coralpi::testing {
namespace {

// A PNG of `width` x 2 pixels, every sample `value`.
void WriteGreyPng(const std::string& path, int width, uint8_t value) {
  WriteBytes(path, EncodePng(width, 2, 2, 8, std::vector<uint8_t>(width * 2 * 3, value)));
}

TEST(ImageStreamTest, GivesEveryImageInOrderAndABadOneAsAnErrorNamingIt) {
  const std::string dir = MakeTempDir();
  std::vector<std::string> paths;
  for (int i = 0; i < 5; ++i) {
    paths.push_back(dir + "/" + std::to_string(i) + ".png");
    WriteGreyPng(paths.back(), i + 1, static_cast<uint8_t>(10 * i));
  }
  WriteBytes(paths[2], {'n', 'o', 't', ' ', 'a', 'n', ' ', 'i', 'm', 'a', 'g', 'e'});
  ImageStream stream(paths, {});
  for (int i = 0; i < 5; ++i) {
    ASSERT_FALSE(stream.done()) << i;
    DecodedImage d = stream.Next();
    EXPECT_EQ(d.path, paths[static_cast<size_t>(i)]);
    if (i == 2) {
      ASSERT_FALSE(d.image.ok());
      EXPECT_NE(d.image.error().message.find(paths[2]), std::string::npos)
          << d.image.error().message;
      continue;
    }
    ASSERT_TRUE(d.image.ok()) << d.image.error().message;
    EXPECT_EQ(d.image->width, i + 1);
    EXPECT_EQ(d.image->height, 2);
    EXPECT_EQ(d.image->rgb.front(), 10 * i);
    EXPECT_GE(d.decode_ms, 0.0);
  }
  EXPECT_TRUE(stream.done());
  EXPECT_FALSE(stream.Next().image.ok()) << "nothing is left";
}

TEST(ImageStreamTest, NoImagesAndAnAbandonedStreamAreFine) {
  ImageStream empty({}, {});
  EXPECT_TRUE(empty.done());
  const std::string dir = MakeTempDir();
  WriteGreyPng(dir + "/a.png", 4, 1);
  ImageStream abandoned({dir + "/a.png", dir + "/missing.png"}, {});
  EXPECT_FALSE(abandoned.done());  // destroyed with the first decode in flight
}

TEST(ExpandImagePathsTest, AFolderBecomesItsImageFilesByName) {
  const std::string dir = MakeTempDir();
  for (const char* name : {"b.JPG", "a.png", "c.bmp", "notes.txt", "d.rgb"}) {
    WriteBytes(dir + "/" + name, {1, 2, 3});
  }
  std::filesystem::create_directory(dir + "/sub.png");  // a folder is not an image file
  auto paths = ExpandImagePaths({"first.png", dir, "last.jpg"});
  ASSERT_TRUE(paths.ok()) << paths.error().message;
  std::vector<std::string> want = {"first.png",    dir + "/a.png", dir + "/b.JPG",
                                   dir + "/c.bmp", dir + "/d.rgb", "last.jpg"};
  EXPECT_EQ(*paths, want);
}

TEST(ExpandImagePathsTest, AFolderWithoutImagesIsAnErrorNamingIt) {
  const std::string dir = MakeTempDir();
  WriteBytes(dir + "/readme.txt", {1});
  auto paths = ExpandImagePaths({dir});
  ASSERT_FALSE(paths.ok());
  EXPECT_NE(paths.error().message.find(dir), std::string::npos) << paths.error().message;
  EXPECT_NE(paths.error().message.find("no image file"), std::string::npos);
}

}  // namespace
}  // namespace coralpi::testing
