// Reading the HTTP API's paths and parameters; see http_api.h.
#include "service/http_api.h"

#include <cctype>
#include <charconv>
#include <iterator>
#include <vector>

namespace coralpi {
namespace {

ApiRequest Fail(int status, std::string message) {
  ApiRequest r;
  r.route = ApiRoute::kError;
  r.status = status;
  r.message = std::move(message);
  return r;
}

// "/api/door/latest.jpg" -> {"api", "door", "latest.jpg"}; empty segments (a doubled or
// trailing slash) are kept, so such paths match nothing.
std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    out.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return out;
}

bool IsEventId(const std::string& id) {
  if (id.empty() || id.size() > 128 || !std::isalnum(static_cast<unsigned char>(id[0])))
    return false;
  for (unsigned char c : id) {
    if (!std::isalnum(c) && c != '.' && c != '-' && c != '_') return false;
  }
  return true;
}

// Reads the parameters a route takes into `r`; anything else, or a repeat, is a 400.
class Params {
 public:
  Params(const std::multimap<std::string, std::string>& params, ApiRequest& r)
      : params_(params), r_(r) {}

  // False (and r_ becomes the error) when `key` is there but not a whole number in [lo, hi].
  bool Int(const std::string& key, int lo, int hi, int& out) {
    const std::string* v = Get(key);
    if (!v) return r_.route != ApiRoute::kError;
    int value = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), value);
    if (ec != std::errc() || end != v->data() + v->size() || value < lo || value > hi) {
      r_ = Fail(400, key + "=" + *v + ": expected a whole number from " + std::to_string(lo) +
                         " to " + std::to_string(hi));
      return false;
    }
    out = value;
    return true;
  }
  bool String(const std::string& key, std::string& out) {
    const std::string* v = Get(key);
    if (v) out = *v;
    return r_.route != ApiRoute::kError;
  }
  // After the route's own keys: the token is the server's business, all else is unknown.
  bool Done() {
    if (r_.route == ApiRoute::kError) return false;
    for (const auto& [key, value] : params_) {
      if (key != "token" && !used_.count(key)) {
        r_ = Fail(400, "unknown parameter " + key);
        return false;
      }
    }
    return true;
  }

 private:
  const std::string* Get(const std::string& key) {
    used_.insert(key);
    auto [first, last] = params_.equal_range(key);
    if (first == last) return nullptr;
    if (std::next(first) != last) {
      r_ = Fail(400, key + " given more than once");
      return nullptr;
    }
    return &first->second;
  }

  const std::multimap<std::string, std::string>& params_;
  ApiRequest& r_;
  std::set<std::string> used_;
};

ApiRequest CameraRequest(const std::vector<std::string>& s,
                         const std::multimap<std::string, std::string>& params,
                         const std::set<std::string>& cameras) {
  if (s[1].empty()) return Fail(404, "no such page");
  if (!cameras.count(s[1])) return Fail(404, "no camera named " + s[1]);
  ApiRequest r;
  r.camera = s[1];
  if (s.size() == 2) {
    r.route = ApiRoute::kStream;
    Params p(params, r);
    if (p.Int("fps", 1, 30, r.fps) && p.Int("height", 16, 4320, r.height)) p.Done();
    return r;
  }
  if (s.size() == 3 && s[2] == "latest.jpg") {
    r.route = ApiRoute::kLatest;
    Params p(params, r);
    if (p.Int("height", 16, 4320, r.height)) p.Done();
    return r;
  }
  return Fail(404, "no such page");
}

ApiRequest EventsRequest(const std::vector<std::string>& s,
                         const std::multimap<std::string, std::string>& params) {
  ApiRequest r;
  if (s.size() == 2) {
    r.route = ApiRoute::kEvents;
    Params p(params, r);
    if (p.String("camera", r.camera) && p.String("label", r.label) &&
        p.Int("limit", 1, 1000, r.limit)) {
      p.Done();
    }
    return r;
  }
  if (s.size() == 4 && s[3] == "snapshot.jpg") {
    if (!IsEventId(s[2])) return Fail(404, "no event " + s[2]);
    r.route = ApiRoute::kEventSnapshot;
    r.event_id = s[2];
    Params(params, r).Done();
    return r;
  }
  return Fail(404, "no such page");
}

}  // namespace

ApiRequest ParseApiRequest(const std::string& path,
                           const std::multimap<std::string, std::string>& params,
                           const std::set<std::string>& cameras) {
  ApiRequest r;
  if (path == "/" || path == "/index.html") {
    r.route = ApiRoute::kPage;
    Params(params, r).Done();
    return r;
  }
  if (path == "/metrics") {
    r.route = ApiRoute::kMetrics;
    Params(params, r).Done();
    return r;
  }
  if (path.empty() || path[0] != '/') return Fail(404, "no such page");
  std::vector<std::string> s = Segments(path);
  if (s.size() < 2 || s[0] != "api") return Fail(404, "no such page");
  if (s[1] == "events") return EventsRequest(s, params);
  if (s.size() == 2 && (s[1] == "stats" || s[1] == "version")) {
    r.route = s[1] == "stats" ? ApiRoute::kStats : ApiRoute::kVersion;
    Params(params, r).Done();
    return r;
  }
  return CameraRequest(s, params, cameras);
}

bool TokenAccepted(const std::string& expected, const std::string& authorization,
                   const std::string& token_param) {
  if (expected.empty()) return true;
  auto same = [&](const std::string& given) {
    if (given.size() != expected.size()) return false;
    unsigned char diff = 0;
    for (size_t i = 0; i < given.size(); ++i) diff |= given[i] ^ expected[i];
    return diff == 0;
  };
  const std::string bearer = "Bearer ";
  bool header = authorization.size() > bearer.size() &&
                authorization.compare(0, bearer.size(), bearer) == 0 &&
                same(authorization.substr(bearer.size()));
  return header || (!token_param.empty() && same(token_param));
}

}  // namespace coralpi
