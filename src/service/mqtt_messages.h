// What coralpi serve publishes over MQTT, as plain messages: topics and payloads in Frigate's
// shapes under the configured prefix (default "coralpi"), worked out without a broker so tests
// can check them one by one. MqttPublisher (mqtt_publisher.h) sends them.
//
//   <prefix>/available                "online" (retained); the last will says "offline"
//   <prefix>/events                   {"type":"new|update|end","before":{..},"after":{..}}
//   <prefix>/<camera>/<label>         objects of that label in view now (retained, on change;
//                                     0 for every tracked label at start)
//   <prefix>/<camera>/<label>/snapshot  JPEG of the best view of the latest object (retained)
//   <prefix>/stats                    service_json.h's statistics (with the Edge TPUs' health)
//   <prefix>/watchdog                 a detector stalled: service_json.h's stall message
//   <discovery>/sensor|camera/<client_id>/<camera>_<what>/config
//                                     Home Assistant discovery (retained, opt-in): a count sensor
//                                     and a snapshot camera per camera and tracked label, a
//                                     process-fps sensor per camera
//
// Everything retained is kept here as the current state, so that after a reconnection (the
// broker restarted and lost it) OnConnect hands all of it out again.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "service/config.h"
#include "service/service_json.h"
#include "video/events.h"

namespace coralpi {

struct MqttMessage {
  std::string topic;
  std::string payload;
  bool retain = false;
  bool operator==(const MqttMessage&) const = default;
};

class MqttMessages {
 public:
  // `labels`: the tracked labels (counts start at 0 for each); `cameras` in configuration order.
  MqttMessages(MqttConfig config, std::vector<std::string> cameras, std::vector<std::string> labels,
               StatsContext stats_context);

  std::string AvailableTopic() const { return config_.prefix + "/available"; }
  static constexpr const char* kOnline = "online";
  static constexpr const char* kOffline = "offline";

  // The retained state, for every (re)connection: available, discovery configs (opted in), the
  // counts and the latest snapshots.
  std::vector<MqttMessage> OnConnect() const;
  // The event, then the counts it changed, then its snapshot when it is a new picture.
  std::vector<MqttMessage> OnEvent(const Event& event);
  MqttMessage OnStats(const PipelineStats& stats) const;
  MqttMessage OnStall(const DetectorStall& stall) const;

  // "<prefix>/<camera>/<label>"; '/', '+' and '#' in a label become '_'.
  std::string CountTopic(const std::string& camera, const std::string& label) const;

 private:
  using Key = std::pair<std::string, std::string>;  // camera, label
  std::vector<MqttMessage> Discovery() const;
  MqttMessage Count(const Key& key) const;

  MqttConfig config_;
  std::vector<std::string> cameras_;
  std::vector<std::string> labels_;
  StatsContext stats_context_;
  std::map<Key, std::vector<std::string>> active_;  // ids of the events in progress
  std::map<Key, std::shared_ptr<const std::vector<uint8_t>>> snapshots_;     // latest per key
  std::map<std::string, std::shared_ptr<const std::vector<uint8_t>>> sent_;  // per event id
};

}  // namespace coralpi
