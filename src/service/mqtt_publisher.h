// Sends MqttMessages over libmosquitto. The connection lives in libmosquitto's own network
// thread (mosquitto_loop_start): connecting, reconnecting after the broker went away (1 s, then
// doubling up to 10 s) and writing. The pipeline's publishing thread only queues messages
// (QoS 0, so nothing piles up while the broker is away) and never waits on the network.
//
// The will (`<prefix>/available` = "offline", retained) is left with the broker at every
// connection, so a coralpi that dies says so; on every (re)connection the retained state
// (available, counts, snapshots, discovery) is published again. A clean shutdown publishes
// "offline" itself before disconnecting.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "core/result.h"
#include "service/mqtt_messages.h"
#include "video/events.h"

struct mosquitto;

namespace coralpi {

class MqttPublisher : public Publisher {
 public:
  using LogFn = std::function<void(const std::string& line)>;

  // Checks the settings (TLS files, user), starts the network thread and the first connection
  // attempt; does not wait for it (a broker that is down is retried in the background).
  static Result<std::unique_ptr<MqttPublisher>> Start(const MqttConfig& config,
                                                      MqttMessages messages, LogFn log = nullptr);
  ~MqttPublisher() override;  // "offline", disconnect, join the network thread

  void OnEvent(const Event& event) override;
  void OnStats(const PipelineStats& stats) override;
  void OnStall(const DetectorStall& stall) override;

  bool connected() const { return connected_; }
  int connections() const { return connections_; }  // successful connections so far
  // Waits up to `seconds` for a connection; true once connected.
  bool WaitConnected(double seconds) const;

 private:
  MqttPublisher(const MqttConfig& config, MqttMessages messages, LogFn log);
  Status Setup();
  void Send(const MqttMessage& m);  // under mutex_
  void Log(const std::string& line) const;

  static void OnConnect(struct mosquitto*, void* self, int rc);
  static void OnDisconnect(struct mosquitto*, void* self, int rc);

  MqttConfig config_;
  LogFn log_;
  struct mosquitto* mosq_ = nullptr;
  bool loop_started_ = false;
  std::atomic<bool> connected_{false};
  std::atomic<int> connections_{0};
  std::atomic<double> stats_due_{0};  // steady seconds of the next stats message

  std::mutex mutex_;  // guards messages_ and keeps the order of what is queued
  MqttMessages messages_;
};

}  // namespace coralpi
