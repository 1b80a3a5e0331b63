// HttpService as a real server on 127.0.0.1 (any free port), asked by cpp-httplib's client in
// the same process: the page, latest.jpg that decodes with its box, an MJPEG stream of several
// parts, the stream-client cap, JSON 404s, events, stats, version and the token.
#include "service/http_service.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "image/image.h"
#include "service/test_frames.h"

namespace coralpi {
namespace {

ProcessedFrame Frame(int64_t number) { return testing::TestFrame(number); }

// Feeds frames to the service every 20 ms while it lives.
class FrameFeeder {
 public:
  explicit FrameFeeder(HttpService& service)
      : thread_([this, &service] {
          for (int64_t n = 1; !stop_; ++n) {
            service.OnFrame(Frame(n));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
          }
        }) {}
  ~FrameFeeder() {
    stop_ = true;
    thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class HttpServiceTest : public ::testing::Test {
 protected:
  void Start(HttpConfig config = {}) {
    config.port = 0;
    auto s = HttpService::Start(config, {"door", "yard"}, {"stand-in", "1.2.3"});
    ASSERT_TRUE(s.ok()) << s.error().message;
    service_ = std::move(*s);
    ASSERT_GT(service_->port(), 0);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", service_->port());
    client_->set_read_timeout(10);
  }
  nlohmann::json Json(const httplib::Result& r) {
    EXPECT_TRUE(r) << "no answer";
    if (!r) return {};
    EXPECT_EQ(r->get_header_value("Content-Type").rfind("application/json", 0), 0u);
    return nlohmann::json::parse(r->body, nullptr, false);
  }
  std::unique_ptr<HttpService> service_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(HttpServiceTest, PageVersionStatsAndNotFound) {
  Start();
  auto page = client_->Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  // The page's script builds each camera's view from this list.
  EXPECT_NE(page->body.find(R"(const cameras = ["door","yard"];)"), std::string::npos);

  auto version = client_->Get("/api/version");
  EXPECT_EQ(version->status, 200);
  EXPECT_EQ(Json(version)["version"], "1.2.3");

  PipelineStats stats;
  stats.cameras.push_back({"door", 10, 9, 1, 4});
  service_->OnStats(stats);
  auto j = Json(client_->Get("/api/stats"));
  EXPECT_EQ(j["cameras"]["door"]["process_fps"], 9.0);

  for (const char* path : {"/nope", "/api/garage", "/api/garage/latest.jpg", "/api/door/x"}) {
    auto r = client_->Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 404) << path;
    j = Json(r);
    EXPECT_TRUE(j.contains("message")) << path << ": " << r->body;
  }
}

TEST_F(HttpServiceTest, LatestJpegDecodesWithItsBox) {
  Start();
  auto none = client_->Get("/api/door/latest.jpg");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 503);  // no frame yet
  service_->OnFrame(Frame(1));
  auto r = client_->Get("/api/door/latest.jpg");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "image/jpeg");
  std::vector<uint8_t> bytes(r->body.begin(), r->body.end());
  auto image = DecodeImage(bytes, "latest.jpg");
  ASSERT_TRUE(image.ok()) << image.error().message;
  EXPECT_EQ(image->width, 320);
  EXPECT_EQ(image->height, 240);
  auto at = [&](int x, int y) {
    const uint8_t* p = image->rgb.data() + 3 * (static_cast<size_t>(y) * 320 + x);
    return std::abs(p[0] - 128) + std::abs(p[1] - 128) + std::abs(p[2] - 128);
  };
  EXPECT_GT(at(120, 61), 100);  // on the box's top edge
  EXPECT_LT(at(120, 120), 30);  // inside: the frame's grey
  auto half = client_->Get("/api/door/latest.jpg?height=120");
  ASSERT_TRUE(half);
  auto small = DecodeImage(std::vector<uint8_t>(half->body.begin(), half->body.end()), "half");
  ASSERT_TRUE(small.ok());
  EXPECT_EQ(small->height, 120);
}

// Reads /api/door until `parts` JPEG parts arrived (or `stop` is set); returns the parts seen.
int ReadStream(int port, int parts, const std::atomic<bool>* stop = nullptr) {
  httplib::Client c("127.0.0.1", port);
  c.set_read_timeout(10);
  std::string data;
  int seen = 0;
  c.Get("/api/door?fps=30", [&](const char* d, size_t n) {
    data.append(d, n);
    seen = 0;
    for (size_t at = data.find("\r\n\r\n\xff\xd8"); at != std::string::npos;
         at = data.find("\r\n\r\n\xff\xd8", at + 1)) {
      ++seen;
    }
    return seen < parts && !(stop && *stop);
  });
  return seen;
}

TEST_F(HttpServiceTest, MjpegStreamDeliversParts) {
  Start();
  FrameFeeder feeder(*service_);
  EXPECT_GE(ReadStream(service_->port(), 3), 3);
}

TEST_F(HttpServiceTest, StreamClientCapHolds) {
  HttpConfig config;
  config.max_stream_clients = 1;
  Start(config);
  FrameFeeder feeder(*service_);
  std::atomic<bool> stop{false};
  std::thread first([&] { ReadStream(service_->port(), 1 << 30, &stop); });
  for (int i = 0; i < 200 && service_->stream_clients() < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(service_->stream_clients(), 1);
  auto second = client_->Get("/api/door");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 503);
  EXPECT_NE(Json(second)["message"].get<std::string>().find("too many stream clients"),
            std::string::npos);
  // Other requests are still answered while the stream runs.
  EXPECT_EQ(client_->Get("/api/version")->status, 200);
  stop = true;
  first.join();
}

TEST_F(HttpServiceTest, EventsNewestFirst) {
  Start();
  for (int i = 1; i <= 2; ++i) {
    Event e;
    e.after.id = "event-" + std::to_string(i);
    e.after.camera = "door";
    e.after.label = "dog";
    e.before = e.after;
    service_->OnEvent(e);
  }
  auto j = Json(client_->Get("/api/events"));
  ASSERT_TRUE(j.is_array()) << j;
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["id"], "event-2");
  EXPECT_EQ(j[1]["id"], "event-1");
}

TEST_F(HttpServiceTest, TokenRequiredWhenConfigured) {
  HttpConfig config;
  config.token = "s3cret-token";
  Start(config);
  auto r = client_->Get("/api/version");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(client_->Get("/api/version?token=wrong-token")->status, 401);
  EXPECT_EQ(client_->Get("/api/version?token=s3cret-token")->status, 200);
  EXPECT_EQ(client_->Get("/api/version", {{"Authorization", "Bearer s3cret-token"}})->status, 200);
}

}  // namespace
}  // namespace coralpi
