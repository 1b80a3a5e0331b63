// The HTTP server over cpp-httplib; see http_service.h. One catch-all GET handler: the path and
// query go through ParseApiRequest (http_api.h), so routing is coralpi's own, tested and fuzzed.
#include "service/http_service.h"

#include <httplib.h>

#include <chrono>

#include "service/http_api.h"
#include "service/metrics_text.h"
#include "service/web_page.h"

namespace coralpi {
namespace {

constexpr char kBoundary[] = "coralpi-frame";
constexpr int kApiThreads = 4;  // besides one per stream client

void SendJson(httplib::Response& res, int status, const nlohmann::ordered_json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(body.dump(), "application/json");
}

void SendError(httplib::Response& res, int status, const std::string& message) {
  SendJson(res, status, {{"message", message}});
}

void SendJpeg(httplib::Response& res, const std::vector<uint8_t>& jpeg) {
  res.set_header("Cache-Control", "no-store");
  res.set_content(reinterpret_cast<const char*>(jpeg.data()), jpeg.size(), "image/jpeg");
}

}  // namespace

HttpService::HttpService(const HttpConfig& config, const std::vector<std::string>& cameras,
                         StatsContext stats_context)
    : config_(config),
      camera_list_(cameras),
      cameras_(cameras.begin(), cameras.end()),
      stats_context_(std::move(stats_context)),
      live_(cameras) {
  for (const std::string& name : cameras) stats_.cameras.push_back({name});
}

Result<std::unique_ptr<HttpService>> HttpService::Start(const HttpConfig& config,
                                                        const std::vector<std::string>& cameras,
                                                        StatsContext stats_context) {
  std::unique_ptr<HttpService> s(new HttpService(config, cameras, std::move(stats_context)));
  s->server_ = std::make_unique<httplib::Server>();
  httplib::Server& server = *s->server_;
  const size_t threads = static_cast<size_t>(config.max_stream_clients + kApiThreads);
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_keep_alive_timeout(2);
  server.set_read_timeout(5);
  server.set_write_timeout(5);
  HttpService* self = s.get();
  server.Get(".*", [self](const httplib::Request& req, httplib::Response& res) {
    self->Handle(req, res);
  });
  server.set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        SendError(res, res.status, res.status == 404 ? "no such page" : "bad request");
        return httplib::Server::HandlerResponse::Handled;
      }));
  const std::string where = "http " + config.bind + ":" + std::to_string(config.port);
  if (config.port == 0) {
    s->port_ = server.bind_to_any_port(config.bind);
  } else if (server.bind_to_port(config.bind, config.port)) {
    s->port_ = config.port;
  } else {
    s->port_ = -1;
  }
  if (s->port_ <= 0) {
    return MakeError(where,
                     "cannot listen (the port is in use, or the address is not one of "
                     "this machine's)");
  }
  s->thread_ = std::thread([self] { self->server_->listen_after_bind(); });
  return s;
}

HttpService::~HttpService() { Stop(); }

void HttpService::Stop() {
  if (stopping_.exchange(true)) return;
  live_.Close();
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
}

void HttpService::OnFrame(const ProcessedFrame& frame) { live_.Update(frame); }

void HttpService::OnEvent(const Event& event) { events_.Add(event); }

void HttpService::OnStats(const PipelineStats& stats) {
  std::lock_guard lock(stats_mutex_);
  stats_ = stats;
}

void HttpService::Handle(const httplib::Request& req, httplib::Response& res) {
  const std::string token = req.has_param("token") ? req.get_param_value("token") : "";
  if (!TokenAccepted(config_.token, req.get_header_value("Authorization"), token)) {
    res.set_header("WWW-Authenticate", "Bearer");
    SendError(res, 401, "this server needs its token: Authorization: Bearer TOKEN, or ?token=");
    return;
  }
  ApiRequest r = ParseApiRequest(req.path, req.params, cameras_);
  switch (r.route) {
    case ApiRoute::kPage:
      res.set_header("Cache-Control", "no-store");
      res.set_content(LivePage(camera_list_), "text/html; charset=utf-8");
      return;
    case ApiRoute::kStream:
      return Stream(r.camera, r.fps, r.height, res);
    case ApiRoute::kLatest:
      return Latest(r.camera, r.height, res);
    case ApiRoute::kEvents:
      return SendJson(res, 200, events_.Json(r.camera, r.label, static_cast<size_t>(r.limit)));
    case ApiRoute::kEventSnapshot: {
      auto jpeg = events_.Snapshot(r.event_id);
      if (!jpeg) return SendError(res, 404, "no snapshot of event " + r.event_id);
      return SendJpeg(res, *jpeg);
    }
    case ApiRoute::kStats: {
      std::lock_guard lock(stats_mutex_);
      nlohmann::ordered_json j = StatsJson(stats_, stats_context_);
      j["http"] = {{"stream_clients", stream_clients_.load()}};
      return SendJson(res, 200, j);
    }
    case ApiRoute::kMetrics: {
      std::lock_guard lock(stats_mutex_);
      res.set_header("Cache-Control", "no-store");
      res.set_content(MetricsText(stats_), "text/plain; version=0.0.4; charset=utf-8");
      return;
    }
    case ApiRoute::kVersion:
      return SendJson(res, 200, {{"name", "coralpi"}, {"version", stats_context_.version}});
    case ApiRoute::kError:
      return SendError(res, r.status, r.message);
  }
}

void HttpService::Latest(const std::string& camera, int height, httplib::Response& res) {
  auto picture = live_.Latest(camera, height);
  if (!picture.ok()) return SendError(res, 500, picture.error().message);
  if (!*picture) {
    res.set_header("Retry-After", "1");
    return SendError(res, 503, "no frame from camera " + camera + " yet");
  }
  SendJpeg(res, *(*picture)->jpeg);
}

void HttpService::Stream(const std::string& camera, int fps, int height, httplib::Response& res) {
  if (stream_clients_.fetch_add(1) >= config_.max_stream_clients) {
    --stream_clients_;
    return SendError(res, 503,
                     "too many stream clients (at most " +
                         std::to_string(config_.max_stream_clients) + "; http.max_stream_clients)");
  }
  struct State {
    int64_t last = 0;
    std::chrono::steady_clock::time_point next{};
  };
  auto state = std::make_shared<State>();
  const auto period = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(1.0 / fps));
  res.set_header("Cache-Control", "no-store");
  res.set_content_provider(
      std::string("multipart/x-mixed-replace; boundary=") + kBoundary,
      [this, camera, height, period, state](size_t, httplib::DataSink& sink) {
        if (stopping_) return false;
        auto now = std::chrono::steady_clock::now();
        if (now < state->next) {  // at most `fps` parts per second
          std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
              state->next - now, std::chrono::milliseconds(200)));
          return !stopping_.load();
        }
        auto picture = live_.Next(camera, state->last, height, std::chrono::milliseconds(500));
        if (!picture.ok() || stopping_) return false;
        if (!*picture) return true;  // no new frame yet
        const std::vector<uint8_t>& jpeg = *(*picture)->jpeg;
        std::string head =
            std::string("--") + kBoundary +
            "\r\nContent-Type: image/jpeg\r\nContent-Length: " + std::to_string(jpeg.size()) +
            "\r\n\r\n";
        state->last = (*picture)->number;
        state->next = now + period;
        return sink.write(head.data(), head.size()) &&
               sink.write(reinterpret_cast<const char*>(jpeg.data()), jpeg.size()) &&
               sink.write("\r\n", 2);
      },
      [this](bool) { --stream_clients_; });
}

}  // namespace coralpi
