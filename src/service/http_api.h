// The HTTP API's requests as coralpi reads them, apart from any server: which page a path asks
// for, its query parameters checked, and the token check. Pure functions over strings (the
// fuzz target fuzz_http_request drives them), so the server only looks up and sends.
//
//   /                             the live page
//   /api/<camera>                 MJPEG stream  ?fps=1..30 (5) &height=16..4320 (the frame's)
//   /api/<camera>/latest.jpg      the latest frame with its boxes  ?height=
//   /api/events                   recent events, newest first  ?camera= &label= &limit=1..1000
//   (100) /api/events/<id>/snapshot.jpg an event's snapshot /api/stats statistics (service_json.h)
//   /api/version                  {"version": ...}
//   /metrics                      the statistics as Prometheus text (metrics_text.h)
//
// A path that names nothing is 404, an unknown camera too; a bad parameter is 400. Every
// answer that is not a picture or the page is JSON; errors are {"message": "..."}.
#pragma once

#include <map>
#include <set>
#include <string>

namespace coralpi {

enum class ApiRoute {
  kPage,
  kStream,
  kLatest,
  kEvents,
  kEventSnapshot,
  kStats,
  kVersion,
  kMetrics,  // Prometheus text
  kError,  // status and message say what went wrong
};

struct ApiRequest {
  ApiRoute route = ApiRoute::kError;
  int status = 200;
  std::string message;  // why, for kError
  std::string camera;   // kStream, kLatest; filter for kEvents
  std::string label;    // filter for kEvents
  std::string event_id;
  int fps = 5;
  int height = 0;  // 0: the frame's own
  int limit = 100;
};

// `path` without the query; `params` are the decoded query parameters (a repeated key counts
// as a bad request); `cameras` the configured names.
ApiRequest ParseApiRequest(const std::string& path,
                           const std::multimap<std::string, std::string>& params,
                           const std::set<std::string>& cameras);

// Whether a request may proceed: always when `expected` is empty, otherwise when the
// Authorization header is "Bearer <expected>" or the `token` parameter equals it. Compares in
// time independent of where the strings differ.
bool TokenAccepted(const std::string& expected, const std::string& authorization,
                   const std::string& token_param);

}  // namespace coralpi
