// Test helpers for the video tests: videos written with GStreamer (only elements of the -base
// and -good plugin packages), and checks that the elements a test needs are installed.
#pragma once

#include <string>

#include "core/result.h"

namespace coralpi::testing {

// Runs a gst-launch-1.0 style pipeline to its end (at most `timeout_s`).
Status RunGstPipeline(const std::string& description, double timeout_s = 60);

// An MJPEG AVI of `frames` frames at 30 frames/s, width x height, made from one JPEG picture
// (multifilesrc ! jpegdec ! videoconvert ! videoscale ! jpegenc ! avimux ! filesink).
Status MakeVideoFromJpeg(const std::string& jpeg, const std::string& out, int frames, int width,
                         int height);

// The same from a videotestsrc pattern (no test data needed).
Status MakePatternVideo(const std::string& pattern, const std::string& out, int frames, int width,
                        int height);

// "" when every element exists, else the first missing one.
std::string MissingGstElement(std::initializer_list<const char*> factories);

}  // namespace coralpi::testing

// Skips the current test, naming the GStreamer element, when one is not installed.
#define CORALPI_REQUIRE_GST_ELEMENTS(...)                                                \
  do {                                                                                   \
    std::string coralpi_missing_ = ::coralpi::testing::MissingGstElement({__VA_ARGS__}); \
    if (!coralpi_missing_.empty())                                                       \
      GTEST_SKIP() << "GStreamer element " << coralpi_missing_ << " is not installed";   \
  } while (0)
