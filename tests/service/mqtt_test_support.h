// A real mosquitto broker on 127.0.0.1 and a subscribing client, for the MQTT tests. The broker
// runs from a configuration the test writes (one listener on a free port, anonymous, no
// persistence, so a restart forgets every retained message); the client records what arrives.
#pragma once

#include <arpa/inet.h>
#include <mosquitto.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace coralpi::testing {

inline int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return -1;
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

inline bool CanConnect(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  ::close(fd);
  return ok;
}

inline const char* kMosquitto = "/usr/sbin/mosquitto";

class Broker {
 public:
  Broker() : port_(FreePort()) {
    conf_ = std::string(::testing::TempDir()) + "mosquitto-" + std::to_string(::getpid()) + "-" +
            std::to_string(port_) + ".conf";
    std::ofstream(conf_) << "listener " << port_ << " 127.0.0.1\n"
                         << "allow_anonymous true\npersistence false\nlog_dest none\n";
  }
  ~Broker() {
    Stop();
    std::remove(conf_.c_str());
  }
  int port() const { return port_; }

  // Starts mosquitto and waits until it accepts connections.
  bool Start() {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::execl(kMosquitto, kMosquitto, "-c", conf_.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 200; ++i) {
      if (CanConnect(port_)) return true;
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {  // it exited: the port, the config
        pid_ = -1;
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }
  void Stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  int port_;
  std::string conf_;
  pid_t pid_ = -1;
};

struct Received {
  std::string topic;
  std::string payload;
  bool retain = false;
};

// Subscribes to `filter` and keeps every message; reconnects (and subscribes again) by itself.
class Subscriber {
 public:
  Subscriber(int port, std::string filter, std::string id) : filter_(std::move(filter)) {
    mosquitto_lib_init();
    mosq_ = mosquitto_new(id.c_str(), true, this);
    mosquitto_connect_callback_set(mosq_, [](mosquitto* m, void* self, int rc) {
      if (rc == 0) {
        mosquitto_subscribe(m, nullptr, static_cast<Subscriber*>(self)->filter_.c_str(), 1);
      }
    });
    mosquitto_subscribe_callback_set(mosq_, [](mosquitto*, void* self, int, int, const int*) {
      auto* s = static_cast<Subscriber*>(self);
      std::lock_guard lock(s->mutex_);
      ++s->subscriptions_;
      s->changed_.notify_all();
    });
    mosquitto_message_callback_set(mosq_, [](mosquitto*, void* self, const mosquitto_message* m) {
      auto* s = static_cast<Subscriber*>(self);
      std::lock_guard lock(s->mutex_);
      s->messages_.push_back(
          {m->topic,
           std::string(static_cast<const char*>(m->payload), static_cast<size_t>(m->payloadlen)),
           m->retain});
      s->changed_.notify_all();
    });
    mosquitto_reconnect_delay_set(mosq_, 1, 1, false);
    mosquitto_connect_async(mosq_, "127.0.0.1", port, 10);
    mosquitto_loop_start(mosq_);
  }
  ~Subscriber() {
    mosquitto_disconnect(mosq_);
    mosquitto_loop_stop(mosq_, false);
    mosquitto_destroy(mosq_);
  }

  // Waits until subscribed `n` times in all (1: the first connection).
  bool WaitSubscribed(int n, double seconds = 10) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::duration<double>(seconds),
                             [&] { return subscriptions_ >= n; });
  }
  // Waits until a message satisfies `pred`; returns it (or an empty topic after the timeout).
  Received WaitFor(const std::function<bool(const Received&)>& pred, double seconds = 10) {
    std::unique_lock lock(mutex_);
    Received found;
    changed_.wait_for(lock, std::chrono::duration<double>(seconds), [&] {
      for (const Received& r : messages_) {
        if (pred(r)) {
          found = r;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  Received WaitTopic(const std::string& topic, const std::string& payload, double seconds = 10) {
    return WaitFor([&](const Received& r) { return r.topic == topic && r.payload == payload; },
                   seconds);
  }
  // Waits until `n` messages arrived on `topic`.
  bool WaitCount(const std::string& topic, size_t n, double seconds = 10) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, std::chrono::duration<double>(seconds), [&] {
      return static_cast<size_t>(std::count_if(messages_.begin(), messages_.end(),
                                               [&](auto& r) { return r.topic == topic; })) >= n;
    });
  }
  std::vector<Received> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  void Clear() {
    std::lock_guard lock(mutex_);
    messages_.clear();
  }

 private:
  std::string filter_;
  mosquitto* mosq_ = nullptr;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Received> messages_;
  int subscriptions_ = 0;
};

}  // namespace coralpi::testing
