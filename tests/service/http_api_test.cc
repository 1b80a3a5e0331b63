// Reading HTTP paths, parameters and tokens, without a server.
#include "service/http_api.h"

#include <gtest/gtest.h>

namespace coralpi {
namespace {

const std::set<std::string> kCameras = {"door", "yard"};

ApiRequest Parse(const std::string& path, std::multimap<std::string, std::string> params = {}) {
  return ParseApiRequest(path, params, kCameras);
}

TEST(HttpApiTest, Routes) {
  EXPECT_EQ(Parse("/").route, ApiRoute::kPage);
  EXPECT_EQ(Parse("/index.html").route, ApiRoute::kPage);
  EXPECT_EQ(Parse("/api/stats").route, ApiRoute::kStats);
  EXPECT_EQ(Parse("/api/version").route, ApiRoute::kVersion);
  ApiRequest s = Parse("/api/door");
  EXPECT_EQ(s.route, ApiRoute::kStream);
  EXPECT_EQ(s.camera, "door");
  EXPECT_EQ(s.fps, 5);
  EXPECT_EQ(s.height, 0);
  ApiRequest l = Parse("/api/yard/latest.jpg", {{"height", "240"}});
  EXPECT_EQ(l.route, ApiRoute::kLatest);
  EXPECT_EQ(l.camera, "yard");
  EXPECT_EQ(l.height, 240);
  ApiRequest e = Parse("/api/events", {{"camera", "door"}, {"label", "dog"}, {"limit", "7"}});
  EXPECT_EQ(e.route, ApiRoute::kEvents);
  EXPECT_EQ(e.camera, "door");
  EXPECT_EQ(e.label, "dog");
  EXPECT_EQ(e.limit, 7);
  EXPECT_EQ(Parse("/api/events").limit, 100);
  ApiRequest snap = Parse("/api/events/1700000000.500000-door-3/snapshot.jpg");
  EXPECT_EQ(snap.route, ApiRoute::kEventSnapshot);
  EXPECT_EQ(snap.event_id, "1700000000.500000-door-3");
  ApiRequest stream = Parse("/api/door", {{"fps", "12"}, {"height", "360"}, {"token", "x"}});
  EXPECT_EQ(stream.route, ApiRoute::kStream);
  EXPECT_EQ(stream.fps, 12);
  EXPECT_EQ(stream.height, 360);
}

TEST(HttpApiTest, NotFound) {
  for (const char* path : {"", "x", "/nope", "/api", "/api/", "/api/garage", "/api/door/",
                           "/api/door/latest.png", "/api/door/latest.jpg/x", "//api/door",
                           "/api//door", "/api/events/x", "/api/events/a b/snapshot.jpg",
                           "/api/events/../snapshot.jpg", "/api/stats/x", "/API/stats"}) {
    ApiRequest r = Parse(path);
    EXPECT_EQ(r.route, ApiRoute::kError) << path;
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_FALSE(r.message.empty()) << path;
  }
  EXPECT_EQ(Parse("/api/garage").message, "no camera named garage");
  EXPECT_EQ(Parse("/api/garage/latest.jpg").message, "no camera named garage");
}

TEST(HttpApiTest, BadParameters) {
  struct Case {
    const char* path;
    std::multimap<std::string, std::string> params;
    const char* message;
  };
  const Case cases[] = {
      {"/api/door", {{"fps", "0"}}, "fps=0: expected a whole number from 1 to 30"},
      {"/api/door", {{"fps", "31"}}, "fps=31: expected a whole number from 1 to 30"},
      {"/api/door", {{"fps", "5x"}}, "fps=5x: expected a whole number from 1 to 30"},
      {"/api/door", {{"fps", ""}}, "fps=: expected a whole number from 1 to 30"},
      {"/api/door", {{"fps", "99999999999999"}}, "fps=99999999999999: expected"},
      {"/api/door", {{"height", "8"}}, "height=8: expected a whole number from 16 to 4320"},
      {"/api/door", {{"fps", "5"}, {"fps", "6"}}, "fps given more than once"},
      {"/api/door", {{"size", "5"}}, "unknown parameter size"},
      {"/api/door/latest.jpg", {{"fps", "5"}}, "unknown parameter fps"},
      {"/api/events", {{"limit", "0"}}, "limit=0: expected a whole number from 1 to 1000"},
      {"/api/stats", {{"x", ""}}, "unknown parameter x"},
      {"/", {{"camera", "door"}}, "unknown parameter camera"},
  };
  for (const Case& c : cases) {
    ApiRequest r = Parse(c.path, c.params);
    EXPECT_EQ(r.route, ApiRoute::kError) << c.path;
    EXPECT_EQ(r.status, 400) << c.path;
    EXPECT_EQ(r.message.rfind(c.message, 0), 0u) << c.path << ": " << r.message;
  }
}

TEST(HttpApiTest, Token) {
  EXPECT_TRUE(TokenAccepted("", "", ""));
  EXPECT_TRUE(TokenAccepted("", "Bearer whatever", "x"));
  EXPECT_TRUE(TokenAccepted("s3cret-token", "Bearer s3cret-token", ""));
  EXPECT_TRUE(TokenAccepted("s3cret-token", "", "s3cret-token"));
  EXPECT_TRUE(TokenAccepted("s3cret-token", "Bearer wrong", "s3cret-token"));
  EXPECT_FALSE(TokenAccepted("s3cret-token", "", ""));
  EXPECT_FALSE(TokenAccepted("s3cret-token", "Bearer s3cret-tokeN", ""));
  EXPECT_FALSE(TokenAccepted("s3cret-token", "Bearer s3cret-token2", ""));
  EXPECT_FALSE(TokenAccepted("s3cret-token", "bearer s3cret-token", ""));
  EXPECT_FALSE(TokenAccepted("s3cret-token", "s3cret-token", ""));
  EXPECT_FALSE(TokenAccepted("s3cret-token", "Bearer ", ""));
  EXPECT_FALSE(TokenAccepted("s3cret-token", "", "s3cret"));
}

}  // namespace
}  // namespace coralpi
