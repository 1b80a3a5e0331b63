// Source specifications: what each scheme parses to, the pipeline text and properties it
// becomes, and the errors for bad ones. No GStreamer needed.
#include "video/source_spec.h"

#include <gtest/gtest.h>

namespace coralpi {
namespace {

TEST(SourceSpecTest, FileWithLoop) {
  auto s = ParseSourceSpec("file:/videos/door cam.avi?loop=1");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->kind, SourceKind::kFile);
  EXPECT_EQ(s->location, "/videos/door cam.avi");
  EXPECT_TRUE(s->loop);
  auto p = BuildSourcePipeline(*s);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->description, "filesrc name=coralpi_src ! decodebin");
  // The path is a property, never pasted into the pipeline text.
  EXPECT_EQ(p->elements[0].properties.at("location"), "/videos/door cam.avi");
}

TEST(SourceSpecTest, AQuestionMarkThatIsNotAnOptionStaysInThePath) {
  auto s = ParseSourceSpec("file:/tmp/what?.avi");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->location, "/tmp/what?.avi");
  EXPECT_FALSE(s->loop);
}

TEST(SourceSpecTest, V4l2WithSizeRateAndFormat) {
  auto s = ParseSourceSpec("v4l2:/dev/video0?size=1280x720&fps=15&format=mjpeg");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->kind, SourceKind::kV4l2);
  EXPECT_EQ(s->width, 1280);
  EXPECT_EQ(s->height, 720);
  EXPECT_EQ(s->fps, 15);
  auto p = BuildSourcePipeline(*s);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(
      p->description,
      "v4l2src name=coralpi_src ! image/jpeg,width=1280,height=720,framerate=15/1 ! decodebin");
  EXPECT_EQ(p->elements[0].properties.at("device"), "/dev/video0");
  EXPECT_TRUE(IsLiveSource(*s));
}

TEST(SourceSpecTest, RtspKeepsItsOwnQuery) {
  auto s = ParseSourceSpec("rtsp://user:pw@192.168.1.20:554/stream?channel=1&subtype=0");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->kind, SourceKind::kRtsp);
  EXPECT_EQ(s->location, "rtsp://user:pw@192.168.1.20:554/stream?channel=1&subtype=0");
  auto p = BuildSourcePipeline(*s);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->elements[0].factory, "rtspsrc");
  EXPECT_EQ(p->elements[0].properties.at("location"), s->location);
}

TEST(SourceSpecTest, LibcameraNameIsOptional) {
  auto named = ParseSourceSpec("libcamera:/base/axi/pcie@120000/rp1/i2c@88000/imx708@1a");
  ASSERT_TRUE(named.ok());
  auto p = BuildSourcePipeline(*named);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->elements[0].factory, "libcamerasrc");
  EXPECT_EQ(p->elements[0].properties.at("camera-name"),
            "/base/axi/pcie@120000/rp1/i2c@88000/imx708@1a");
  auto any = ParseSourceSpec("libcamera:");
  ASSERT_TRUE(any.ok());
  EXPECT_TRUE(BuildSourcePipeline(*any)->elements[0].properties.empty());
}

TEST(SourceSpecTest, ExecRawAndMjpeg) {
  auto raw =
      ParseSourceSpec("exec:rpicam-vid -t 0 --codec yuv420 -o -?raw=640x480&format=i420&fps=30");
  ASSERT_TRUE(raw.ok()) << raw.error().message;
  EXPECT_EQ(raw->location, "rpicam-vid -t 0 --codec yuv420 -o -");
  auto p = BuildSourcePipeline(*raw, 7);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->description, "fdsrc name=coralpi_src ! rawvideoparse name=coralpi_parse");
  EXPECT_EQ(p->elements[0].properties.at("fd"), "7");
  EXPECT_EQ(p->elements[1].properties.at("width"), "640");
  EXPECT_EQ(p->elements[1].properties.at("format"), "i420");
  EXPECT_EQ(p->elements[1].properties.at("framerate"), "30/1");

  auto mjpeg = ParseSourceSpec("exec:rpicam-vid -t 0 --codec mjpeg -o - | cat");
  ASSERT_TRUE(mjpeg.ok());
  EXPECT_EQ(mjpeg->location, "rpicam-vid -t 0 --codec mjpeg -o - | cat");
  p = BuildSourcePipeline(*mjpeg, 7);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->description, "fdsrc name=coralpi_src ! decodebin");
  EXPECT_FALSE(BuildSourcePipeline(*mjpeg, -1).ok());
}

TEST(SourceSpecTest, TestPatternDefaults) {
  auto s = ParseSourceSpec("test:");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->location, "smpte");
  EXPECT_EQ(s->width, 640);
  EXPECT_EQ(s->height, 480);
  EXPECT_EQ(s->fps, 30);
  EXPECT_FALSE(IsLiveSource(*s));
  auto b = ParseSourceSpec("test:ball?size=320x240&fps=60&live=1&frames=9");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(IsLiveSource(*b));
  auto p = BuildSourcePipeline(*b);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->description,
            "videotestsrc name=coralpi_src ! video/x-raw,width=320,height=240,framerate=60/1");
  EXPECT_EQ(p->elements[0].properties.at("pattern"), "ball");
  EXPECT_EQ(p->elements[0].properties.at("is-live"), "true");
  EXPECT_EQ(p->elements[0].properties.at("num-buffers"), "9");
}

TEST(SourceSpecTest, GstPipelineLosesItsAppsink) {
  auto s = ParseSourceSpec(
      "gst:videotestsrc pattern=snow ! videoflip method=clockwise ! appsink name=x");
  ASSERT_TRUE(s.ok()) << s.error().message;
  auto p = BuildSourcePipeline(*s);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->description, "videotestsrc pattern=snow ! videoflip method=clockwise");
}

TEST(SourceSpecTest, ErrorsNameTheSpecAndTheProblem) {
  struct Case {
    const char* spec;
    const char* says;
  } cases[] = {
      {"camera0", "unknown source"},
      {"file:", "no file name"},
      {"v4l2:video0", "/dev/video0"},
      {"v4l2:/dev/video0?size=big", "size=big: expected WIDTHxHEIGHT"},
      {"v4l2:/dev/video0?format=h264", "format=h264: expected raw or mjpeg"},
      {"test:ball?fps=-3", "fps=-3"},
      {"test:ball?live=maybe", "live=maybe: expected 1 or 0"},
      {"rtsp://", "bad URI: no host"},
      {"rtsp:///stream", "bad URI: no host"},
      {"rtsp://cam /x", "white space"},
      {"exec:", "no command"},
      {"exec:cat x?format=i420", "needs raw=WxH"},
      {"gst:videotestsrc", "must end in \"! appsink\""},
      {"gst:videotestsrc ! fakesink", "must end in \"! appsink\""},
  };
  for (const Case& c : cases) {
    auto s = ParseSourceSpec(c.spec);
    ASSERT_FALSE(s.ok()) << c.spec;
    EXPECT_EQ(s.error().message.rfind(std::string(c.spec) + ": ", 0), 0u) << s.error().message;
    EXPECT_NE(s.error().message.find(c.says), std::string::npos) << s.error().message;
  }
}

TEST(SourceSpecTest, PackagesForMissingElements) {
  EXPECT_STREQ(PackageForElement("rtspsrc"), "gstreamer1.0-plugins-good");
  EXPECT_STREQ(PackageForElement("libcamerasrc"), "gstreamer1.0-libcamera");
  EXPECT_STREQ(PackageForElement("nonsense"), "");
}

}  // namespace
}  // namespace coralpi
