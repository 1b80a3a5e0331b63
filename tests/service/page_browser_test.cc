// The live page in headless Chromium: served by a real HttpService on 127.0.0.1 with frames of
// one known colour and one detection box, the screenshot shows the camera's live image with the
// box drawn where the detection is, and the rendered DOM holds the statistics table and the Edge
// TPUs' temperatures.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/file.h"
#include "image/image.h"
#include "service/http_service.h"
#include "service/test_frames.h"
#include "vision/drawing.h"

namespace coralpi {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";
constexpr uint8_t kFrame[3] = {30, 90, 200};  // the frame's colour: blue, unlike anything else
constexpr int kWidth = 320, kHeight = 240;
const BoundingBox kBox = testing::kTestBox;

ProcessedFrame Frame(int64_t number) {
  return testing::TestFrame(number, kWidth, kHeight, {kFrame[0], kFrame[1], kFrame[2]});
}

std::string Profile() {
  return std::string(::testing::TempDir()) + "chromium-profile-" + std::to_string(::getpid());
}

bool RunChromium(const std::string& url, const std::string& what, const std::string& out) {
  const std::string profile = Profile();
  const std::string cmd = std::string(kChromium) +
                          " --headless --no-sandbox --disable-gpu --no-first-run"
                          " --user-data-dir=" +
                          profile + " --window-size=800,700 --virtual-time-budget=4000 " + what +
                          " '" + url + "' >'" + out + "' 2>/dev/null";
  return std::system(cmd.c_str()) == 0;
}

struct Rect {
  int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;  // inclusive
};

int Distance(const uint8_t* p, const uint8_t* q) {
  return std::abs(p[0] - q[0]) + std::abs(p[1] - q[1]) + std::abs(p[2] - q[2]);
}

bool IsFrameColour(const uint8_t* p) { return Distance(p, kFrame) < 60; }

class PageBrowserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(kChromium, X_OK) != 0) GTEST_SKIP() << kChromium << " is not installed";
    HttpConfig config;
    config.port = 0;
    auto s = HttpService::Start(config, {"door"}, {"stand-in", "1.2.3"});
    ASSERT_TRUE(s.ok()) << s.error().message;
    service_ = std::move(*s);
    PipelineStats stats;
    stats.inference_ms = 3.25;
    stats.cameras.push_back({"door", 12.5, 11.5, 1, 23});
    TpuHealth cool, hot;
    cool.device = "apex_0";
    cool.temperature_c = 84.9;
    cool.throttled = false;
    hot.device = "apex_1";
    hot.temperature_c = 91.25;
    hot.throttled = true;
    stats.tpus = {cool, hot};
    service_->OnStats(stats);
    feeder_ = std::thread([this] {
      for (int64_t n = 1; !stop_; ++n) {
        service_->OnFrame(Frame(n));
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
    url_ = "http://127.0.0.1:" + std::to_string(service_->port()) + "/";
  }
  void TearDown() override {
    stop_ = true;
    if (feeder_.joinable()) feeder_.join();
    std::error_code ignored;
    std::filesystem::remove_all(Profile(), ignored);
  }
  std::unique_ptr<HttpService> service_;
  std::thread feeder_;
  std::atomic<bool> stop_{false};
  std::string url_;
};

TEST_F(PageBrowserTest, ScreenshotShowsTheLiveImageWithTheBox) {
  const std::string png = std::string(::testing::TempDir()) + "coralpi-page.png";
  ASSERT_TRUE(RunChromium(url_, "--screenshot=" + png, "/dev/null"));
  auto bytes = ReadFileBytes(png);
  ASSERT_TRUE(bytes.ok()) << bytes.error().message;
  auto shot = DecodeImage(*bytes, png);
  std::remove(png.c_str());
  ASSERT_TRUE(shot.ok()) << shot.error().message;
  // Where the live image is: the pixels of the frame's colour.
  Rect r;
  for (int y = 0; y < shot->height; ++y) {
    for (int x = 0; x < shot->width; ++x) {
      if (!IsFrameColour(shot->rgb.data() + 3 * (static_cast<size_t>(y) * shot->width + x))) {
        continue;
      }
      r.x0 = std::min(r.x0, x), r.y0 = std::min(r.y0, y);
      r.x1 = std::max(r.x1, x), r.y1 = std::max(r.y1, y);
    }
  }
  ASSERT_GE(r.x1, 0) << "no live image in the screenshot";
  const double sx = (r.x1 - r.x0 + 1) / static_cast<double>(kWidth);
  const double sy = (r.y1 - r.y0 + 1) / static_cast<double>(kHeight);
  EXPECT_NEAR(sx, sy, 0.05);  // the aspect ratio is kept
  EXPECT_GT(sx, 0.9);         // shown at least at its own size
  auto at = [&](double fx, double fy) {
    int x = r.x0 + static_cast<int>(fx * sx), y = r.y0 + static_cast<int>(fy * sy);
    return shot->rgb.data() + 3 * (static_cast<size_t>(y) * shot->width + x);
  };
  // On the box's top and left edges: class 0's red of `detect --out` (vision/drawing.h's
  // palette), softened by JPEG's colour subsampling on a 2-pixel line, so nearer that red than
  // the frame's blue; inside and outside the box: the frame's blue.
  const Color red = ClassColor(0);
  const uint8_t box[3] = {red.r, red.g, red.b};
  for (const auto& [fx, fy] : {std::pair{120.0, kBox.ymin + 1.0}, {kBox.xmin + 1.0, 120.0}}) {
    const uint8_t* p = at(fx, fy);
    EXPECT_LT(Distance(p, box), Distance(p, kFrame))
        << "at " << fx << "," << fy << ": " << int{p[0]} << "," << int{p[1]} << "," << int{p[2]};
    EXPECT_GT(p[0], 150) << "at " << fx << "," << fy;
    EXPECT_LT(p[2], 130) << "at " << fx << "," << fy;
  }
  EXPECT_TRUE(IsFrameColour(at(120, 120)));  // inside
  EXPECT_TRUE(IsFrameColour(at(260, 120)));  // right of the box
  EXPECT_TRUE(IsFrameColour(at(120, 220)));  // below it
}

TEST_F(PageBrowserTest, DomHoldsTheStatsTable) {
  const std::string html = std::string(::testing::TempDir()) + "coralpi-page.html";
  ASSERT_TRUE(RunChromium(url_, "--dump-dom", html));
  std::ifstream in(html);
  std::stringstream dom;
  dom << in.rdbuf();
  const std::string text = dom.str();
  std::remove(html.c_str());
  EXPECT_NE(text.find(R"(<img alt="door" src="/api/door?fps=5">)"), std::string::npos) << text;
  EXPECT_NE(text.find("<tr><td>door</td><td>12.5</td><td>11.5</td><td>1</td><td>23</td></tr>"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("inference 3.25 ms (stand-in)"), std::string::npos) << text;
  // The Edge TPUs' temperatures, the throttled one marked.
  EXPECT_NE(
      text.find("<span class=\"tpu\" data-device=\"apex_0\">Edge TPU apex_0: 84.9 \u00b0C</span>"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("<span class=\"tpu throttled\" data-device=\"apex_1\">Edge TPU apex_1: 91.3 "
                      "\u00b0C (throttled)</span>"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace coralpi
