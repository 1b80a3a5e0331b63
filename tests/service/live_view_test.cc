// The live view's pictures (boxes drawn, scaled, decodable), shared encoding across clients, and
// the recent-events log.
#include "service/live_view.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "image/image.h"
#include "service/event_log.h"
#include "service/test_frames.h"

namespace coralpi {
namespace {

// A mid-grey frame with one detection box.
ProcessedFrame Frame(int64_t number, int width = 320, int height = 240) {
  return testing::TestFrame(number, width, height);
}

Image Decode(const std::vector<uint8_t>& jpeg) {
  auto image = DecodeImage(jpeg, "live.jpg");
  EXPECT_TRUE(image.ok()) << image.error().message;
  return image.ok() ? *image : Image{};
}

// How far a pixel is from the frame's grey.
int Distance(const Image& im, int x, int y) {
  const uint8_t* p = im.rgb.data() + 3 * (static_cast<size_t>(y) * im.width + x);
  return std::abs(p[0] - 128) + std::abs(p[1] - 128) + std::abs(p[2] - 128);
}

TEST(LiveViewTest, NoFrameYetThenTheLatestWithItsBox) {
  LiveView view({"door"});
  auto none = view.Latest("door", 0);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_FALSE(view.Latest("garage", 0).ok());

  view.Update(Frame(7));
  auto picture = view.Latest("door", 0);
  ASSERT_TRUE(picture.ok() && picture->has_value());
  EXPECT_EQ((*picture)->number, 7);
  Image im = Decode(*(*picture)->jpeg);
  ASSERT_EQ(im.width, 320);
  ASSERT_EQ(im.height, 240);
  // The box's edges are coloured, its inside and the rest of the frame stay grey.
  EXPECT_GT(Distance(im, 120, 61), 100);   // top edge
  EXPECT_GT(Distance(im, 41, 120), 100);   // left edge
  EXPECT_GT(Distance(im, 198, 120), 100);  // right edge
  EXPECT_LT(Distance(im, 120, 120), 20);   // inside
  EXPECT_LT(Distance(im, 10, 10), 20);     // outside
  EXPECT_LT(Distance(im, 300, 220), 20);
}

TEST(LiveViewTest, ScaledToTheAskedHeightNeverEnlarged) {
  LiveView view({"door"});
  view.Update(Frame(1));
  auto small = view.Latest("door", 120);
  ASSERT_TRUE(small.ok() && small->has_value());
  Image im = Decode(*(*small)->jpeg);
  EXPECT_EQ(im.width, 160);
  EXPECT_EQ(im.height, 120);
  EXPECT_GT(Distance(im, 60, 30), 100);  // the top edge, at half scale
  auto big = view.Latest("door", 1000);
  ASSERT_TRUE(big.ok() && big->has_value());
  EXPECT_EQ(Decode(*(*big)->jpeg).height, 240);
  // 1000 is "full size": the same picture as height 0, encoded once.
  auto full = view.Latest("door", 0);
  EXPECT_EQ((*full)->jpeg, (*big)->jpeg);
  EXPECT_EQ(view.encodes(), 2);
}

TEST(LiveViewTest, ManyClientsShareOneEncodingPerFrame) {
  LiveView view({"door"});
  constexpr int kClients = 6, kFrames = 20;
  std::atomic<int> received{0};
  std::atomic<bool> done{false};
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&] {
      int64_t last = 0;
      while (!done) {
        auto p = view.Next("door", last, 0, std::chrono::milliseconds(50));
        ASSERT_TRUE(p.ok());
        if (!p->has_value()) continue;
        EXPECT_GT((*p)->number, last);
        last = (*p)->number;
        ++received;
      }
    });
  }
  for (int n = 1; n <= kFrames; ++n) {
    view.Update(Frame(n));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  done = true;
  for (auto& t : clients) t.join();
  EXPECT_GT(received, kFrames);        // the clients got pictures...
  EXPECT_LE(view.encodes(), kFrames);  // ...but each frame was encoded at most once
}

TEST(LiveViewTest, CloseWakesWaiters) {
  LiveView view({"door"});
  std::thread waiter([&] {
    auto p = view.Next("door", 0, 0, std::chrono::seconds(30));
    ASSERT_TRUE(p.ok());
    EXPECT_FALSE(p->has_value());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  auto start = std::chrono::steady_clock::now();
  view.Close();
  waiter.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

Event Ev(EventType type, const std::string& id, const std::string& camera, const std::string& label,
         double end = 0) {
  Event e;
  e.type = type;
  e.after.id = id;
  e.after.camera = camera;
  e.after.label = label;
  e.after.end_time = end;
  e.before = e.after;
  return e;
}

TEST(EventLogTest, NewestFirstFiltersLimitAndCapacity) {
  EventLog log(3);
  auto jpeg = std::make_shared<const std::vector<uint8_t>>(std::vector<uint8_t>{1, 2});
  Event first = Ev(EventType::kNew, "a", "door", "dog");
  first.snapshot_jpeg = jpeg;
  log.Add(first);
  log.Add(Ev(EventType::kNew, "b", "yard", "cat"));
  log.Add(Ev(EventType::kEnd, "a", "door", "dog", 1700000005.0));
  log.Add(Ev(EventType::kUpdate, "zz", "door", "dog"));  // never new here: ignored
  auto all = log.Json("", "", 100);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["id"], "b");
  EXPECT_EQ(all[1]["id"], "a");
  EXPECT_DOUBLE_EQ(all[1]["end_time"].get<double>(), 1700000005.0);
  EXPECT_EQ(all[1]["has_snapshot"], true);  // kept from the new event
  EXPECT_EQ(log.Json("door", "", 100).size(), 1u);
  EXPECT_EQ(log.Json("", "cat", 100).size(), 1u);
  EXPECT_EQ(log.Json("", "", 1).size(), 1u);
  EXPECT_EQ(log.Snapshot("a"), jpeg);
  EXPECT_EQ(log.Snapshot("b"), nullptr);
  log.Add(Ev(EventType::kNew, "c", "door", "dog"));
  log.Add(Ev(EventType::kNew, "d", "door", "dog"));  // "a" falls out
  all = log.Json("", "", 100);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2]["id"], "b");
  EXPECT_EQ(log.Snapshot("a"), nullptr);
}

}  // namespace
}  // namespace coralpi
