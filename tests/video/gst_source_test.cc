// Sources through GStreamer on this machine (no camera, no network): test patterns, files made
// by the test, exec: pipes with raw and MJPEG frames, and the errors for bad sources.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

#include "image/image.h"
#include "image/resize.h"
#include "image/test_images.h"
#include "test_video.h"
#include "testutil/testdata.h"
#include "video/frame_source.h"

namespace coralpi {
namespace {

using testing::MakeTempDir;

// Reads frames until the end (at most `limit`).
std::vector<std::shared_ptr<const Image>> ReadAll(FrameSource& source, int limit = 100000) {
  std::vector<std::shared_ptr<const Image>> frames;
  while (static_cast<int>(frames.size()) < limit) {
    auto next = source.Next();
    EXPECT_TRUE(next.ok()) << next.error().message;
    if (!next.ok() || !next->has_value()) break;
    frames.push_back((*next)->image);
  }
  return frames;
}

SourceOptions Fast() {
  SourceOptions o;
  o.realtime = false;
  return o;
}

double MeanAbsDifference(const Image& a, const Image& b) {
  if (a.rgb.size() != b.rgb.size()) return 1e9;
  double sum = 0;
  for (size_t i = 0; i < a.rgb.size(); ++i) sum += std::abs(int(a.rgb[i]) - int(b.rgb[i]));
  return sum / static_cast<double>(a.rgb.size());
}

TEST(GstSourceTest, TestPatternGivesTheFramesAskedFor) {
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "videoconvert", "videoscale", "appsink");
  auto source = OpenSource("test:ball?size=320x240&frames=10", Fast());
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto frames = ReadAll(**source);
  ASSERT_EQ(frames.size(), 10u);
  for (const auto& f : frames) {
    EXPECT_EQ(f->width, 320);
    EXPECT_EQ(f->height, 240);
    EXPECT_EQ(f->rgb.size(), 320u * 240u * 3u);
  }
  EXPECT_NE(frames[0]->rgb, frames[5]->rgb);  // the ball moves
  // After the end, still the end.
  auto again = (*source)->Next();
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
}

TEST(GstSourceTest, OddWidthsAreCopiedRowByRow) {
  // RGB rows of 101 pixels are 303 bytes, padded to 304 in GStreamer's buffers.
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "videoconvert", "videoscale", "appsink");
  auto source = OpenSource("test:red?size=101x31&frames=2", Fast());
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto frames = ReadAll(**source);
  ASSERT_EQ(frames.size(), 2u);
  const Image& f = *frames[0];
  ASSERT_EQ(f.width, 101);
  for (int y : {0, 15, 30}) {
    for (int x : {0, 50, 100}) {
      const uint8_t* p = &f.rgb[3 * (y * 101 + x)];
      EXPECT_GE(p[0], 240) << x << "," << y;  // red
      EXPECT_LE(p[1], 15) << x << "," << y;
      EXPECT_LE(p[2], 15) << x << "," << y;
    }
  }
}

TEST(GstSourceTest, DisplaySizeAndFrameRateLimit) {
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "videorate", "videoconvert", "videoscale",
                               "appsink");
  SourceOptions o = Fast();
  o.width = 160;
  o.height = 90;
  o.max_fps = 10;
  // 60 frames at 30 frames/s is 2 s of video: 10 frames/s keeps about 20.
  auto source = OpenSource("test:smpte?size=640x480&fps=30&frames=60", o);
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto frames = ReadAll(**source);
  EXPECT_GE(frames.size(), 19u);
  EXPECT_LE(frames.size(), 21u);
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames[0]->width, 160);
  EXPECT_EQ(frames[0]->height, 90);
}

TEST(GstSourceTest, FileMadeFromAPicture) {
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "jpegenc", "jpegdec", "avimux", "avidemux",
                               "decodebin");
  std::string video = MakeTempDir() + "/pattern.avi";
  ASSERT_TRUE(testing::MakePatternVideo("smpte", video, 12, 320, 240).ok());
  auto source = OpenSource("file:" + video, Fast());
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto frames = ReadAll(**source);
  ASSERT_EQ(frames.size(), 12u);
  EXPECT_EQ(frames[0]->width, 320);
  // SMPTE bars: the top-left bar is light grey, the next one yellow (exact values depend on
  // GStreamer's colour conversions and the JPEG coding).
  const uint8_t* grey = &frames[0]->rgb[3 * (20 * 320 + 10)];
  const uint8_t* yellow = &frames[0]->rgb[3 * (20 * 320 + 60)];
  EXPECT_GT(grey[0], 150);
  EXPECT_NEAR(grey[0], grey[1], 15);
  EXPECT_NEAR(grey[0], grey[2], 15);
  EXPECT_GT(yellow[0], 150);
  EXPECT_GT(yellow[1], 150);
  EXPECT_LT(yellow[2], 60);
}

TEST(GstSourceTest, PetsVideoLooksLikeThePicture) {
  CORALPI_REQUIRE_TESTDATA("images/pets.jpg");
  CORALPI_REQUIRE_GST_ELEMENTS("multifilesrc", "jpegenc", "jpegdec", "avimux", "avidemux");
  std::string jpeg = testing::TestDataPath("images/pets.jpg");
  std::string video = MakeTempDir() + "/pets.avi";
  ASSERT_TRUE(testing::MakeVideoFromJpeg(jpeg, video, 5, 640, 480).ok());
  auto source = OpenSource("file:" + video, Fast());
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto frames = ReadAll(**source);
  ASSERT_EQ(frames.size(), 5u);
  auto picture = ReadImageFile(jpeg);
  ASSERT_TRUE(picture.ok());
  auto expected = Resize(*picture, 640, 480, ResizeMode::kStretch);
  ASSERT_TRUE(expected.ok());
  // Two JPEG codings and two resizers apart: close, not equal.
  for (const auto& f : frames) EXPECT_LT(MeanAbsDifference(*f, *expected), 6.0);
}

TEST(GstSourceTest, FileLoops) {
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "jpegenc", "avimux", "avidemux", "decodebin");
  std::string video = MakeTempDir() + "/loop.avi";
  ASSERT_TRUE(testing::MakePatternVideo("ball", video, 5, 64, 48).ok());
  auto source = OpenSource("file:" + video + "?loop=1", Fast());
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto frames = ReadAll(**source, 17);
  EXPECT_EQ(frames.size(), 17u);  // more than the 5 in the file: it started again
  EXPECT_EQ(frames[0]->rgb, frames[5]->rgb);
}

TEST(GstSourceTest, ExecRawFrames) {
  CORALPI_REQUIRE_GST_ELEMENTS("fdsrc", "rawvideoparse", "videoconvert", "appsink");
  std::string dir = MakeTempDir();
  // Four 8x6 RGB frames, each one grey value: 10, 20, 30, 40.
  std::vector<uint8_t> bytes;
  for (int v : {10, 20, 30, 40}) bytes.insert(bytes.end(), 8 * 6 * 3, static_cast<uint8_t>(v));
  testing::WriteBytes(dir + "/frames.rgb", bytes);
  auto source = OpenSource("exec:cat '" + dir + "/frames.rgb'?raw=8x6&format=rgb", Fast());
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto frames = ReadAll(**source);
  ASSERT_EQ(frames.size(), 4u);
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(frames[i]->width, 8);
    EXPECT_EQ(frames[i]->rgb, std::vector<uint8_t>(8 * 6 * 3, static_cast<uint8_t>(10 * (i + 1))));
  }
}

TEST(GstSourceTest, ExecMjpegFrames) {
  CORALPI_REQUIRE_GST_ELEMENTS("fdsrc", "decodebin", "jpegdec", "videoconvert", "appsink");
  std::string dir = MakeTempDir();
  // Three JPEGs back to back, as rpicam-vid --codec mjpeg writes them: dark, mid, light.
  std::vector<uint8_t> stream;
  for (int v : {30, 128, 220}) {
    auto jpeg = testing::EncodeJpeg(48, 32, 3,
                                    std::vector<uint8_t>(48 * 32 * 3, static_cast<uint8_t>(v)), 95);
    stream.insert(stream.end(), jpeg.begin(), jpeg.end());
  }
  testing::WriteBytes(dir + "/frames.mjpeg", stream);
  auto source = OpenSource("exec:cat " + dir + "/frames.mjpeg", Fast());
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto frames = ReadAll(**source);
  ASSERT_EQ(frames.size(), 3u);
  int expected[] = {30, 128, 220};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(frames[i]->width, 48);
    EXPECT_NEAR(frames[i]->rgb[3 * (16 * 48 + 24)], expected[i], 3);
  }
}

TEST(GstSourceTest, ExecCommandThatSendsNothing) {
  CORALPI_REQUIRE_GST_ELEMENTS("fdsrc", "decodebin");
  auto source = OpenSource("exec:exit 3", Fast());
  // Either opening or reading fails, naming the command and how it ended.
  std::string message;
  if (!source.ok()) {
    message = source.error().message;
  } else {
    auto next = (*source)->Next();
    ASSERT_FALSE(next.ok());
    message = next.error().message;
  }
  EXPECT_EQ(message.rfind("exec:exit 3: ", 0), 0u) << message;
  EXPECT_NE(message.find("exited with status 3"), std::string::npos) << message;
}

TEST(GstSourceTest, GstPipelineEndingInAnAppsink) {
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "appsink");
  auto source = OpenSource(
      "gst:videotestsrc num-buffers=3 pattern=blue ! video/x-raw,width=40,height=20 ! appsink "
      "name=mine",
      Fast());
  ASSERT_TRUE(source.ok()) << source.error().message;
  auto frames = ReadAll(**source);
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[0]->width, 40);
  EXPECT_EQ(frames[0]->height, 20);
  const uint8_t* p = &frames[0]->rgb[3 * (10 * 40 + 20)];
  EXPECT_LT(p[0], 20);
  EXPECT_GT(p[2], 235);
}

TEST(GstSourceTest, ClearErrors) {
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "decodebin", "appsink");
  std::string dir = MakeTempDir();
  testing::WriteBytes(dir + "/garbage.avi", std::vector<uint8_t>(4096, 0x5a));
  struct Case {
    std::string spec, says;
  } cases[] = {
      {"file:" + dir + "/missing.avi", "No such file or directory"},
      {"file:" + dir, "not a regular file"},
      {"file:" + dir + "/garbage.avi", "file:" + dir + "/garbage.avi: "},
      {"v4l2:/dev/video-none", "No such file or directory"},
      {"gst:videotestsrc ! nosuchelement ! appsink", "nosuchelement"},
      {"gst:videotestsrc", "must end in"},
      {"rtsp://", "bad URI"},
      {"webcam", "unknown source"},
  };
  for (const Case& c : cases) {
    auto source = OpenSource(c.spec, Fast());
    std::string message;
    if (source.ok()) {
      auto next = (*source)->Next();
      ASSERT_FALSE(next.ok()) << c.spec << " opened and read without an error";
      message = next.error().message;
    } else {
      message = source.error().message;
    }
    EXPECT_EQ(message.rfind(c.spec + ": ", 0), 0u) << message;
    EXPECT_NE(message.find(c.says), std::string::npos) << message;
  }
}

TEST(GstSourceTest, MissingElementNamesItsPackage) {
  if (HasGstElement("libcamerasrc")) GTEST_SKIP() << "libcamerasrc is installed here";
  auto source = OpenSource("libcamera:", Fast());
  ASSERT_FALSE(source.ok());
  EXPECT_NE(source.error().message.find("libcamerasrc not found (install gstreamer1.0-libcamera)"),
            std::string::npos)
      << source.error().message;
}

TEST(GstSourceTest, UnreadSinkDoesNotHoldTheEndOfStream) {
  // A fast source with a slow reader that stops early: closing must not hang (ctest's timeout
  // catches a hang), and a reader that reads everything slowly still gets every frame.
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "appsink");
  {
    auto source = OpenSource("test:snow?size=64x48&frames=50", Fast());
    ASSERT_TRUE(source.ok());
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE((*source)->Next().ok());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    source->reset();  // with frames still queued and the stream at its end
  }
  auto source = OpenSource("test:snow?size=64x48&frames=30", Fast());
  ASSERT_TRUE(source.ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the stream has long ended
  int frames = 0;
  for (;;) {
    auto next = (*source)->Next();
    ASSERT_TRUE(next.ok());
    if (!next->has_value()) break;
    ++frames;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_EQ(frames, 30);
}

TEST(GstSourceTest, InterruptEndsAWaitingNext) {
  CORALPI_REQUIRE_GST_ELEMENTS("videotestsrc", "appsink");
  auto source = OpenSource("test:ball?size=64x48&fps=1&live=1", Fast());
  ASSERT_TRUE(source.ok()) << source.error().message;
  ASSERT_TRUE((*source)->Next().ok());  // the first frame comes at once, the next in 1 s
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    (*source)->Interrupt();
  });
  auto next = (*source)->Next();  // without the interrupt: the next frame, after 1 s
  stopper.join();
  ASSERT_TRUE(next.ok());
  EXPECT_FALSE(next->has_value());
}

}  // namespace
}  // namespace coralpi
