// MQTT topics and payloads; see mqtt_messages.h.
#include "service/mqtt_messages.h"

#include <algorithm>
#include <cctype>

namespace coralpi {
namespace {

// A label as one topic level: MQTT's separators and wildcards cannot appear in it.
std::string TopicLevel(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (c == '/' || c == '+' || c == '#') c = '_';
  }
  return out;
}

// Home Assistant object ids: [a-zA-Z0-9_-] only.
std::string ObjectId(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') c = '_';
  }
  return out;
}

}  // namespace

MqttMessages::MqttMessages(MqttConfig config, std::vector<std::string> cameras,
                           std::vector<std::string> labels, StatsContext stats_context)
    : config_(std::move(config)),
      cameras_(std::move(cameras)),
      labels_(std::move(labels)),
      stats_context_(std::move(stats_context)) {
  for (const std::string& camera : cameras_) {
    for (const std::string& label : labels_) active_[{camera, label}];
  }
}

std::string MqttMessages::CountTopic(const std::string& camera, const std::string& label) const {
  return config_.prefix + "/" + camera + "/" + TopicLevel(label);
}

MqttMessage MqttMessages::Count(const Key& key) const {
  auto it = active_.find(key);
  size_t n = it == active_.end() ? 0 : it->second.size();
  return {CountTopic(key.first, key.second), std::to_string(n), true};
}

std::vector<MqttMessage> MqttMessages::Discovery() const {
  std::vector<MqttMessage> out;
  const std::string node = ObjectId(config_.client_id);
  nlohmann::ordered_json device = {{"identifiers", {"coralpi_" + node}},
                                   {"name", "coralpi " + config_.client_id},
                                   {"manufacturer", "coralpi"},
                                   {"sw_version", stats_context_.version}};
  auto add = [&](const std::string& component, const std::string& object,
                 nlohmann::ordered_json config) {
    const std::string id = ObjectId(object);
    config["unique_id"] = "coralpi_" + node + "_" + id;
    config["availability_topic"] = AvailableTopic();
    config["device"] = device;
    out.push_back({config_.discovery_prefix + "/" + component + "/" + node + "/" + id + "/config",
                   config.dump(), true});
  };
  for (const std::string& camera : cameras_) {
    for (const std::string& label : labels_) {
      add("sensor", camera + "_" + label + "_count",
          {{"name", camera + " " + label + " count"},
           {"state_topic", CountTopic(camera, label)},
           {"unit_of_measurement", "objects"},
           {"icon", "mdi:eye"}});
      add("camera", camera + "_" + label + "_snapshot",
          {{"name", camera + " " + label + " snapshot"},
           {"topic", CountTopic(camera, label) + "/snapshot"}});
    }
    add("sensor", camera + "_process_fps",
        {{"name", camera + " process fps"},
         {"state_topic", config_.prefix + "/stats"},
         {"value_template", "{{ value_json.cameras['" + camera + "'].process_fps }}"},
         {"unit_of_measurement", "fps"}});
  }
  return out;
}

std::vector<MqttMessage> MqttMessages::OnConnect() const {
  std::vector<MqttMessage> out = {{AvailableTopic(), kOnline, true}};
  if (config_.home_assistant) {
    for (MqttMessage& m : Discovery()) out.push_back(std::move(m));
  }
  for (const auto& [key, ids] : active_) out.push_back(Count(key));
  for (const auto& [key, jpeg] : snapshots_) {
    out.push_back({CountTopic(key.first, key.second) + "/snapshot",
                   std::string(jpeg->begin(), jpeg->end()), true});
  }
  return out;
}

std::vector<MqttMessage> MqttMessages::OnEvent(const Event& event) {
  std::vector<MqttMessage> out;
  out.push_back({config_.prefix + "/events", EventMessageJson(event).dump(), false});
  const TrackedObject& o = event.after;
  const Key key{o.camera, o.label};
  std::vector<std::string>& ids = active_[key];
  const size_t before = ids.size();
  if (event.type == EventType::kEnd) {
    ids.erase(std::remove(ids.begin(), ids.end(), o.id), ids.end());
  } else if (std::find(ids.begin(), ids.end(), o.id) == ids.end()) {
    ids.push_back(o.id);
  }
  if (ids.size() != before) out.push_back(Count(key));
  if (event.snapshot_jpeg && event.snapshot_jpeg != sent_[o.id]) {
    sent_[o.id] = event.snapshot_jpeg;
    snapshots_[key] = event.snapshot_jpeg;
    out.push_back({CountTopic(o.camera, o.label) + "/snapshot",
                   std::string(event.snapshot_jpeg->begin(), event.snapshot_jpeg->end()), true});
  }
  if (event.type == EventType::kEnd) sent_.erase(o.id);
  return out;
}

MqttMessage MqttMessages::OnStats(const PipelineStats& stats) const {
  return {config_.prefix + "/stats", StatsJson(stats, stats_context_).dump(), false};
}

MqttMessage MqttMessages::OnStall(const DetectorStall& stall) const {
  return {config_.prefix + "/watchdog", StallJson(stall, stats_context_.detector_timeout_s).dump(),
          false};
}

}  // namespace coralpi
