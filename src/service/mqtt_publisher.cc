// libmosquitto behind the Publisher interface; see mqtt_publisher.h.
#include "service/mqtt_publisher.h"

#include <mosquitto.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <mutex>
#include <thread>

namespace coralpi {
namespace {

double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// libmosquitto's process-wide setup, once.
void InitLibrary() {
  static std::once_flag once;
  std::call_once(once, [] { mosquitto_lib_init(); });
}

std::string Describe(int rc) {
  return rc == MOSQ_ERR_ERRNO ? std::strerror(errno) : mosquitto_strerror(rc);
}

const char* OrNull(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

}  // namespace

MqttPublisher::MqttPublisher(const MqttConfig& config, MqttMessages messages, LogFn log)
    : config_(config), log_(std::move(log)), messages_(std::move(messages)) {}

Result<std::unique_ptr<MqttPublisher>> MqttPublisher::Start(const MqttConfig& config,
                                                            MqttMessages messages, LogFn log) {
  InitLibrary();
  std::unique_ptr<MqttPublisher> p(new MqttPublisher(config, std::move(messages), std::move(log)));
  CORALPI_RETURN_IF_ERROR(p->Setup());
  return p;
}

Status MqttPublisher::Setup() {
  const std::string where = "mqtt " + config_.host + ":" + std::to_string(config_.port);
  mosq_ = mosquitto_new(config_.client_id.c_str(), /*clean_session=*/true, this);
  if (!mosq_) return MakeError(where, "cannot create the MQTT client");
  mosquitto_int_option(mosq_, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
  const std::string available = messages_.AvailableTopic();
  int rc =
      mosquitto_will_set(mosq_, available.c_str(),
                         static_cast<int>(std::char_traits<char>::length(MqttMessages::kOffline)),
                         MqttMessages::kOffline, /*qos=*/1, /*retain=*/true);
  if (rc != MOSQ_ERR_SUCCESS) return MakeError(where, "last will: " + Describe(rc));
  if (!config_.user.empty()) {
    rc = mosquitto_username_pw_set(mosq_, config_.user.c_str(), OrNull(config_.password));
    if (rc != MOSQ_ERR_SUCCESS) return MakeError(where, "user: " + Describe(rc));
  }
  if (config_.tls.enabled()) {
    rc = mosquitto_tls_set(mosq_, config_.tls.ca_file.c_str(), nullptr,
                           OrNull(config_.tls.cert_file), OrNull(config_.tls.key_file), nullptr);
    if (rc != MOSQ_ERR_SUCCESS) return MakeError(where, "TLS files: " + Describe(rc));
    rc = mosquitto_tls_insecure_set(mosq_, config_.tls.insecure);
    if (rc != MOSQ_ERR_SUCCESS) return MakeError(where, "TLS: " + Describe(rc));
  }
  mosquitto_connect_callback_set(mosq_, &MqttPublisher::OnConnect);
  mosquitto_disconnect_callback_set(mosq_, &MqttPublisher::OnDisconnect);
  mosquitto_reconnect_delay_set(mosq_, 1, 10, /*exponential=*/true);
  stats_due_ = SteadySeconds() + config_.stats_interval_s;
  rc = mosquitto_connect_async(mosq_, config_.host.c_str(), config_.port, config_.keepalive_s);
  if (rc == MOSQ_ERR_INVAL) return MakeError(where, "invalid settings");
  if (rc != MOSQ_ERR_SUCCESS) {
    // The broker is not there yet: the network thread keeps trying.
    Log("cannot connect to " + config_.host + ":" + std::to_string(config_.port) + " (" +
        Describe(rc) + "); retrying");
  }
  rc = mosquitto_loop_start(mosq_);
  if (rc != MOSQ_ERR_SUCCESS) return MakeError(where, "network thread: " + Describe(rc));
  loop_started_ = true;
  return OkStatus();
}

MqttPublisher::~MqttPublisher() {
  if (!mosq_) return;
  if (loop_started_) {
    {
      std::lock_guard lock(mutex_);
      if (connected_) Send({messages_.AvailableTopic(), MqttMessages::kOffline, true});
    }
    mosquitto_disconnect(mosq_);
    mosquitto_loop_stop(mosq_, /*force=*/false);
  }
  mosquitto_destroy(mosq_);
}

void MqttPublisher::Send(const MqttMessage& m) {
  // QoS 0: while disconnected libmosquitto refuses the message instead of queueing it; what is
  // retained goes out again from OnConnect.
  mosquitto_publish(mosq_, nullptr, m.topic.c_str(), static_cast<int>(m.payload.size()),
                    m.payload.data(), /*qos=*/0, m.retain);
}

void MqttPublisher::Log(const std::string& line) const {
  if (log_) log_(line);
}

void MqttPublisher::OnEvent(const Event& event) {
  std::lock_guard lock(mutex_);
  for (const MqttMessage& m : messages_.OnEvent(event)) {
    if (connected_) Send(m);
  }
}

void MqttPublisher::OnStats(const PipelineStats& stats) {
  const double now = SteadySeconds();
  if (now < stats_due_) return;
  // A little early still counts, so a pipeline period equal to the interval skips none.
  stats_due_ = now + config_.stats_interval_s - 0.25;
  std::lock_guard lock(mutex_);
  if (connected_) Send(messages_.OnStats(stats));
}

void MqttPublisher::OnStall(const DetectorStall& stall) {
  std::lock_guard lock(mutex_);
  if (connected_) Send(messages_.OnStall(stall));
}

bool MqttPublisher::WaitConnected(double seconds) const {
  const double until = SteadySeconds() + seconds;
  while (!connected_ && SteadySeconds() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return connected_;
}

void MqttPublisher::OnConnect(struct mosquitto*, void* self, int rc) {
  auto* p = static_cast<MqttPublisher*>(self);
  if (rc != 0) {
    p->Log("broker refused the connection: " + std::string(mosquitto_connack_string(rc)));
    return;
  }
  std::lock_guard lock(p->mutex_);
  p->connected_ = true;
  ++p->connections_;
  p->Log("connected to " + p->config_.host + ":" + std::to_string(p->config_.port));
  for (const MqttMessage& m : p->messages_.OnConnect()) p->Send(m);
}

void MqttPublisher::OnDisconnect(struct mosquitto*, void* self, int rc) {
  auto* p = static_cast<MqttPublisher*>(self);
  p->connected_ = false;
  if (rc != 0) p->Log("connection lost (" + Describe(rc) + "); reconnecting");
}

}  // namespace coralpi
