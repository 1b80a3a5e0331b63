// MQTT topics and payloads without a broker: retained state, events, counts, snapshots, stats,
// Home Assistant discovery.
#include "service/mqtt_messages.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace coralpi {
namespace {

TrackedObject Object(const std::string& id, const std::string& label, float score) {
  TrackedObject o;
  o.id = id;
  o.camera = "door";
  o.label = label;
  o.class_id = label == "dog" ? 17 : 0;
  o.score = score;
  o.top_score = score;
  o.box = {10, 20, 110, 70};
  o.frame_time = o.start_time = 1700000000.5;
  return o;
}

Event Make(EventType type, TrackedObject before, TrackedObject after,
           std::shared_ptr<const std::vector<uint8_t>> jpeg = nullptr) {
  Event e;
  e.type = type;
  e.before = std::move(before);
  e.after = std::move(after);
  e.snapshot_jpeg = std::move(jpeg);
  return e;
}

MqttMessages Messages(bool home_assistant = false) {
  MqttConfig config;
  config.enabled = true;
  config.prefix = "home/cp";
  config.home_assistant = home_assistant;
  return MqttMessages(config, {"door", "yard"}, {"person", "dog"}, {"edgetpu", "1.2.3"});
}

std::vector<std::string> Topics(const std::vector<MqttMessage>& messages) {
  std::vector<std::string> out;
  for (const MqttMessage& m : messages) out.push_back(m.topic);
  return out;
}

TEST(MqttMessagesTest, ConnectPublishesAvailableAndZeroCountsForEveryTrackedLabel) {
  auto messages = Messages().OnConnect();
  ASSERT_EQ(messages.size(), 5u);
  EXPECT_EQ(messages[0], (MqttMessage{"home/cp/available", "online", true}));
  std::set<std::string> counts;
  for (size_t i = 1; i < messages.size(); ++i) {
    EXPECT_EQ(messages[i].payload, "0");
    EXPECT_TRUE(messages[i].retain);
    counts.insert(messages[i].topic);
  }
  EXPECT_EQ(counts, (std::set<std::string>{"home/cp/door/person", "home/cp/door/dog",
                                           "home/cp/yard/person", "home/cp/yard/dog"}));
}

TEST(MqttMessagesTest, EventsCountsAndSnapshots) {
  MqttMessages m = Messages();
  auto jpeg1 = std::make_shared<const std::vector<uint8_t>>(std::vector<uint8_t>{0xff, 0xd8, 1});
  auto jpeg2 = std::make_shared<const std::vector<uint8_t>>(std::vector<uint8_t>{0xff, 0xd8, 2});
  TrackedObject dog = Object("1700000000.500000-door-1", "dog", 0.8f);

  auto out = m.OnEvent(Make(EventType::kNew, dog, dog, jpeg1));
  ASSERT_EQ(Topics(out), (std::vector<std::string>{"home/cp/events", "home/cp/door/dog",
                                                   "home/cp/door/dog/snapshot"}));
  auto j = nlohmann::json::parse(out[0].payload);
  EXPECT_FALSE(out[0].retain);
  EXPECT_EQ(j["type"], "new");
  EXPECT_EQ(j["after"]["id"], dog.id);
  EXPECT_EQ(j["after"]["camera"], "door");
  EXPECT_EQ(j["after"]["label"], "dog");
  EXPECT_NEAR(j["after"]["score"].get<double>(), 0.8, 1e-4);
  EXPECT_EQ(j["after"]["box"], nlohmann::json::parse("[10.0, 20.0, 110.0, 70.0]"));
  EXPECT_EQ(j["after"]["area"], 100 * 50);
  EXPECT_NEAR(j["after"]["ratio"].get<double>(), 2.0, 1e-9);
  EXPECT_TRUE(j["after"]["end_time"].is_null());
  EXPECT_EQ(j["after"]["has_snapshot"], true);
  EXPECT_EQ(j["after"]["false_positive"], false);
  EXPECT_EQ(out[1], (MqttMessage{"home/cp/door/dog", "1", true}));
  EXPECT_EQ(out[2].payload, std::string("\xff\xd8\x01", 3));
  EXPECT_TRUE(out[2].retain);

  // An update with the same snapshot: the event only.
  TrackedObject moved = dog;
  moved.box = {12, 20, 112, 70};
  out = m.OnEvent(Make(EventType::kUpdate, dog, moved, jpeg1));
  EXPECT_EQ(Topics(out), (std::vector<std::string>{"home/cp/events"}));
  // A better snapshot is published again.
  out = m.OnEvent(Make(EventType::kUpdate, moved, moved, jpeg2));
  EXPECT_EQ(Topics(out), (std::vector<std::string>{"home/cp/events", "home/cp/door/dog/snapshot"}));

  // A second dog: count 2; the first ends: count 1.
  TrackedObject dog2 = Object("1700000001.000000-door-2", "dog", 0.9f);
  out = m.OnEvent(Make(EventType::kNew, dog2, dog2));
  EXPECT_EQ(out[1], (MqttMessage{"home/cp/door/dog", "2", true}));
  TrackedObject ended = moved;
  ended.end_time = 1700000003.0;
  out = m.OnEvent(Make(EventType::kEnd, moved, ended, jpeg2));
  ASSERT_EQ(out.size(), 2u);
  j = nlohmann::json::parse(out[0].payload);
  EXPECT_EQ(j["type"], "end");
  EXPECT_NEAR(j["after"]["end_time"].get<double>(), 1700000003.0, 1e-6);
  EXPECT_TRUE(j["before"]["end_time"].is_null());
  EXPECT_EQ(out[1], (MqttMessage{"home/cp/door/dog", "1", true}));

  // A reconnection hands out the state as it is now: count 1, the latest dog snapshot.
  auto state = m.OnConnect();
  bool count = false, snapshot = false;
  for (const MqttMessage& s : state) {
    if (s.topic == "home/cp/door/dog") count = s.payload == "1";
    if (s.topic == "home/cp/door/dog/snapshot")
      snapshot = s.payload == std::string("\xff\xd8\x02", 3);
  }
  EXPECT_TRUE(count);
  EXPECT_TRUE(snapshot);
}

TEST(MqttMessagesTest, UntrackedLabelsAndOddCharactersInTopics) {
  MqttMessages m = Messages();
  TrackedObject o = Object("x-1", "traffic light/red+#", 0.9f);
  auto out = m.OnEvent(Make(EventType::kNew, o, o));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].topic, "home/cp/door/traffic light_red__");
  EXPECT_EQ(out[1].payload, "1");
}

TEST(MqttMessagesTest, Stats) {
  PipelineStats s;
  s.uptime_s = 12.34;
  s.inference_ms = 3.456;
  s.cpu_percent = 41.26;
  s.cameras = {{"door", 30.0, 24.5, 5.5, 49.0}, {"yard", 10.0, 10.0, 0.0, 0.0}};
  MqttMessage m = Messages().OnStats(s);
  EXPECT_EQ(m.topic, "home/cp/stats");
  EXPECT_FALSE(m.retain);
  auto j = nlohmann::json::parse(m.payload);
  EXPECT_DOUBLE_EQ(j["cameras"]["door"]["camera_fps"].get<double>(), 30.0);
  EXPECT_DOUBLE_EQ(j["cameras"]["door"]["process_fps"].get<double>(), 24.5);
  EXPECT_DOUBLE_EQ(j["cameras"]["door"]["skipped_fps"].get<double>(), 5.5);
  EXPECT_DOUBLE_EQ(j["cameras"]["door"]["detection_fps"].get<double>(), 49.0);
  EXPECT_DOUBLE_EQ(j["detection_fps"].get<double>(), 49.0);
  EXPECT_DOUBLE_EQ(j["detectors"]["edgetpu"]["inference_speed"].get<double>(), 3.46);
  EXPECT_DOUBLE_EQ(j["cpu_percent"].get<double>(), 41.3);
  EXPECT_EQ(j["service"]["version"], "1.2.3");
}

TEST(MqttMessagesTest, HomeAssistantDiscoveryOnlyWhenAskedFor) {
  for (const MqttMessage& m : Messages(false).OnConnect()) {
    EXPECT_EQ(m.topic.find("homeassistant/"), std::string::npos) << m.topic;
  }
  std::map<std::string, nlohmann::json> configs;
  for (const MqttMessage& m : Messages(true).OnConnect()) {
    if (m.topic.rfind("homeassistant/", 0) != 0) continue;
    EXPECT_TRUE(m.retain);
    configs[m.topic] = nlohmann::json::parse(m.payload);
  }
  // Per camera: a count sensor and a snapshot camera per label, and a process fps sensor.
  EXPECT_EQ(configs.size(), 2u * (2 * 2 + 1));
  auto& count = configs.at("homeassistant/sensor/coralpi/door_dog_count/config");
  EXPECT_EQ(count["state_topic"], "home/cp/door/dog");
  EXPECT_EQ(count["availability_topic"], "home/cp/available");
  EXPECT_EQ(count["unique_id"], "coralpi_coralpi_door_dog_count");
  EXPECT_EQ(count["device"]["sw_version"], "1.2.3");
  auto& camera = configs.at("homeassistant/camera/coralpi/yard_person_snapshot/config");
  EXPECT_EQ(camera["topic"], "home/cp/yard/person/snapshot");
  auto& fps = configs.at("homeassistant/sensor/coralpi/door_process_fps/config");
  EXPECT_EQ(fps["state_topic"], "home/cp/stats");
  EXPECT_NE(fps["value_template"].get<std::string>().find("'door'"), std::string::npos);
}

}  // namespace
}  // namespace coralpi
