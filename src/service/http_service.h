// The HTTP side of coralpi serve (cpp-httplib): the live page and the API of http_api.h, fed by
// the pipeline as a Publisher (frames into a LiveView, events into an EventLog, the latest
// statistics). Requests run on a pool of max_stream_clients + 4 threads, so open MJPEG streams
// (capped: one more gets 503) never starve the other requests. With a token configured, every
// request needs it (401 otherwise).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "service/config.h"
#include "service/event_log.h"
#include "service/live_view.h"
#include "service/service_json.h"
#include "video/events.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace coralpi {

class HttpService : public Publisher {
 public:
  // Binds (port 0: any free port) and starts answering.
  static Result<std::unique_ptr<HttpService>> Start(const HttpConfig& config,
                                                    const std::vector<std::string>& cameras,
                                                    StatsContext stats_context);
  ~HttpService() override;  // Stop()

  void OnFrame(const ProcessedFrame& frame) override;
  void OnEvent(const Event& event) override;
  void OnStats(const PipelineStats& stats) override;

  // Ends every stream and stops the server; waits for its threads.
  void Stop();

  int port() const { return port_; }
  int stream_clients() const { return stream_clients_; }
  int64_t encodes() const { return live_.encodes(); }

 private:
  HttpService(const HttpConfig& config, const std::vector<std::string>& cameras,
              StatsContext stats_context);
  void Handle(const httplib::Request& req, httplib::Response& res);
  void Stream(const std::string& camera, int fps, int height, httplib::Response& res);
  void Latest(const std::string& camera, int height, httplib::Response& res);

  HttpConfig config_;
  std::vector<std::string> camera_list_;
  std::set<std::string> cameras_;
  StatsContext stats_context_;
  LiveView live_;
  EventLog events_;
  std::mutex stats_mutex_;
  PipelineStats stats_;

  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> stream_clients_{0};
  std::atomic<bool> stopping_{false};
};

}  // namespace coralpi
