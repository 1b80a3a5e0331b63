// MqttPublisher against a real mosquitto started on 127.0.0.1: the retained state a late
// subscriber finds, events in order with their payloads, counts, snapshots, stats, the last
// will after kill -9, and the state published again after the broker restarts empty.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "service/mqtt_publisher.h"
#include "service/mqtt_test_support.h"

namespace coralpi {
namespace {

using testing::Broker;
using testing::Received;
using testing::Subscriber;

MqttConfig Config(int port) {
  MqttConfig c;
  c.enabled = true;
  c.port = port;
  c.prefix = "cp/test";
  c.client_id = "coralpi-test-" + std::to_string(::getpid());
  c.keepalive_s = 5;
  c.stats_interval_s = 0.2;
  return c;
}

std::unique_ptr<MqttPublisher> StartPublisher(const MqttConfig& config) {
  MqttMessages messages(config, {"door"}, {"dog", "person"}, {"cpu", "9.9.9"});
  auto p = MqttPublisher::Start(config, std::move(messages));
  EXPECT_TRUE(p.ok()) << p.error().message;
  if (!p.ok()) return nullptr;
  EXPECT_TRUE((*p)->WaitConnected(10));
  return std::move(*p);
}

TrackedObject Dog(const std::string& id) {
  TrackedObject o;
  o.id = id;
  o.camera = "door";
  o.label = "dog";
  o.class_id = 17;
  o.score = o.top_score = 0.8f;
  o.box = {10, 20, 110, 70};
  o.frame_time = o.start_time = 1700000000.5;
  return o;
}

Event MakeEvent(EventType type, const TrackedObject& before, const TrackedObject& after,
                std::shared_ptr<const std::vector<uint8_t>> jpeg) {
  Event e;
  e.type = type;
  e.before = before;
  e.after = after;
  e.snapshot_jpeg = std::move(jpeg);
  return e;
}

std::shared_ptr<const std::vector<uint8_t>> Jpeg(uint8_t tag) {
  return std::make_shared<const std::vector<uint8_t>>(std::vector<uint8_t>{0xff, 0xd8, tag, 0});
}

// A fresh subscription to `topic` gets `payload` as a retained message (the broker keeps it).
void ExpectRetained(int port, const std::string& topic, const std::string& payload) {
  Subscriber fresh(port, topic, "fresh");
  Received r = fresh.WaitFor([](const Received&) { return true; });
  EXPECT_EQ(r.topic, topic) << "nothing retained on " << topic;
  EXPECT_EQ(r.payload, payload) << topic;
  EXPECT_TRUE(r.retain) << topic;
}

class MqttBrokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::access(testing::kMosquitto, X_OK) != 0) {
      GTEST_SKIP() << testing::kMosquitto << " is not installed (Debian package mosquitto)";
    }
    ASSERT_TRUE(broker_.Start()) << "mosquitto did not start on port " << broker_.port();
  }
  Broker broker_;
};

TEST_F(MqttBrokerTest, RetainedStateEventsCountsSnapshotsAndCleanOffline) {
  MqttConfig config = Config(broker_.port());
  auto publisher = StartPublisher(config);
  ASSERT_TRUE(publisher);
  // A subscriber that comes later finds the retained state.
  Subscriber late(broker_.port(), "cp/test/#", "late");
  ASSERT_TRUE(late.WaitSubscribed(1));
  EXPECT_TRUE(late.WaitTopic("cp/test/available", "online").retain);
  ASSERT_FALSE(late.WaitTopic("cp/test/door/person", "0").topic.empty());
  ExpectRetained(broker_.port(), "cp/test/door/dog", "0");
  ExpectRetained(broker_.port(), "cp/test/door/person", "0");

  TrackedObject dog = Dog("1700000000.500000-door-1");
  TrackedObject moved = dog;
  moved.box = {14, 20, 114, 70};
  TrackedObject ended = moved;
  ended.end_time = 1700000002.0;
  publisher->OnEvent(MakeEvent(EventType::kNew, dog, dog, Jpeg(1)));
  publisher->OnEvent(MakeEvent(EventType::kUpdate, dog, moved, Jpeg(1)));
  publisher->OnEvent(MakeEvent(EventType::kEnd, moved, ended, Jpeg(1)));
  late.WaitFor([](const Received& r) { return r.topic == "cp/test/door/dog" && r.payload == "1"; });
  // The end's count: a third message on the count topic ("0", "1", "0").
  EXPECT_TRUE(late.WaitCount("cp/test/door/dog", 3));

  std::vector<std::string> types, counts;
  std::string snapshot;
  for (const Received& r : late.messages()) {
    if (r.topic == "cp/test/events") {
      auto j = nlohmann::json::parse(r.payload);
      types.push_back(j["type"]);
      EXPECT_EQ(j["after"]["id"], dog.id);
      EXPECT_EQ(j["after"]["label"], "dog");
      if (j["type"] == "update") {
        EXPECT_EQ(j["before"]["box"][0], 10.0);
        EXPECT_EQ(j["after"]["box"][0], 14.0);
      }
      if (j["type"] == "end") {
        EXPECT_NEAR(j["after"]["end_time"].get<double>(), 1700000002.0, 1e-6);
      }
      EXPECT_FALSE(r.retain);
    }
    if (r.topic == "cp/test/door/dog") counts.push_back(r.payload);
    if (r.topic == "cp/test/door/dog/snapshot") snapshot = r.payload;
  }
  EXPECT_EQ(types, (std::vector<std::string>{"new", "update", "end"}));
  EXPECT_EQ(counts, (std::vector<std::string>{"0", "1", "0"}));
  EXPECT_EQ(snapshot, std::string("\xff\xd8\x01\x00", 4));

  // The snapshot and the count stay with the broker for whoever subscribes next.
  ExpectRetained(broker_.port(), "cp/test/door/dog/snapshot", std::string("\xff\xd8\x01\x00", 4));
  ExpectRetained(broker_.port(), "cp/test/door/dog", "0");

  // A clean stop says offline itself.
  publisher.reset();
  EXPECT_FALSE(late.WaitTopic("cp/test/available", "offline").topic.empty());
  ExpectRetained(broker_.port(), "cp/test/available", "offline");
}

TEST_F(MqttBrokerTest, StatsEveryInterval) {
  MqttConfig config = Config(broker_.port());
  auto publisher = StartPublisher(config);
  ASSERT_TRUE(publisher);
  Subscriber sub(broker_.port(), "cp/test/stats", "stats");
  ASSERT_TRUE(sub.WaitSubscribed(1));
  PipelineStats stats;
  stats.uptime_s = 12;
  stats.inference_ms = 3.5;
  stats.cameras.push_back({"door", 30, 29, 1, 2});
  Received got;
  for (int i = 0; i < 100 && got.topic.empty(); ++i) {
    publisher->OnStats(stats);
    got = sub.WaitFor([](const Received& r) { return !r.topic.empty(); }, 0.05);
  }
  ASSERT_FALSE(got.topic.empty()) << "no stats message";
  auto j = nlohmann::json::parse(got.payload);
  EXPECT_EQ(j["cameras"]["door"]["camera_fps"], 30.0);
  EXPECT_EQ(j["cameras"]["door"]["process_fps"], 29.0);
  EXPECT_EQ(j["cameras"]["door"]["skipped_fps"], 1.0);
  EXPECT_EQ(j["service"]["version"], "9.9.9");
}

TEST_F(MqttBrokerTest, LastWillSaysOfflineAfterKill9) {
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = ::fork();
  if (child == 0) {
    // The "service": connects, says so, then waits to be killed.
    ::close(ready[0]);
    MqttConfig config = Config(broker_.port());
    MqttMessages messages(config, {"door"}, {"dog"}, {"cpu", "9.9.9"});
    auto p = MqttPublisher::Start(config, std::move(messages));
    if (p.ok() && (*p)->WaitConnected(10)) (void)!::write(ready[1], "1", 1);
    for (;;) ::pause();
  }
  ::close(ready[1]);
  char byte = 0;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1) << "the child did not connect";
  ::close(ready[0]);
  Subscriber sub(broker_.port(), "cp/test/available", "will");
  EXPECT_FALSE(sub.WaitTopic("cp/test/available", "online").topic.empty());
  ::kill(child, SIGKILL);
  ::waitpid(child, nullptr, 0);
  Received will = sub.WaitTopic("cp/test/available", "offline");
  EXPECT_EQ(will.payload, "offline");
}

TEST_F(MqttBrokerTest, ReconnectsAfterTheBrokerRestartsAndPublishesTheStateAgain) {
  MqttConfig config = Config(broker_.port());
  auto publisher = StartPublisher(config);
  ASSERT_TRUE(publisher);
  TrackedObject dog = Dog("1700000000.500000-door-1");
  publisher->OnEvent(MakeEvent(EventType::kNew, dog, dog, Jpeg(7)));
  {
    Subscriber before(broker_.port(), "cp/test/door/dog", "before");
    ASSERT_FALSE(before.WaitTopic("cp/test/door/dog", "1").topic.empty());
  }
  // The broker dies and comes back without any retained message (persistence false).
  broker_.Stop();
  ASSERT_TRUE(broker_.Start());
  for (int i = 0; i < 300 && publisher->connections() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(publisher->connections(), 2) << "no reconnection within 15 s";
  Subscriber after(broker_.port(), "cp/test/#", "after");
  EXPECT_FALSE(after.WaitTopic("cp/test/door/dog/snapshot", std::string("\xff\xd8\x07\x00", 4))
                   .topic.empty());
  ExpectRetained(broker_.port(), "cp/test/available", "online");
  ExpectRetained(broker_.port(), "cp/test/door/dog", "1");
  ExpectRetained(broker_.port(), "cp/test/door/person", "0");
  ExpectRetained(broker_.port(), "cp/test/door/dog/snapshot", std::string("\xff\xd8\x07\x00", 4));
  // And it publishes live again.
  TrackedObject ended = dog;
  ended.end_time = 1700000001.0;
  publisher->OnEvent(MakeEvent(EventType::kEnd, dog, ended, Jpeg(7)));
  EXPECT_FALSE(after.WaitTopic("cp/test/door/dog", "0").topic.empty());
}

}  // namespace
}  // namespace coralpi
