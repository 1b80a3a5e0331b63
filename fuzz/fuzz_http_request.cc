// libFuzzer target for the HTTP API's request reading (service/http_api.h): any path and query
// must give a route or an error without a crash, and what is accepted stays in its ranges and
// names a configured camera. Input: the path, then after the first '\n' the query parameters
// as key=value lines, after a second blank line an Authorization header and a token.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "service/http_api.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::istringstream in(text);
  std::string path;
  std::getline(in, path);
  std::multimap<std::string, std::string> params;
  std::string line;
  while (std::getline(in, line) && !line.empty()) {
    size_t eq = line.find('=');
    params.emplace(line.substr(0, eq), eq == std::string::npos ? "" : line.substr(eq + 1));
  }
  std::string authorization, token;
  std::getline(in, authorization);
  std::getline(in, token);

  const std::set<std::string> cameras = {"door", "yard"};
  coralpi::ApiRequest r = coralpi::ParseApiRequest(path, params, cameras);
  using coralpi::ApiRoute;
  if (r.route == ApiRoute::kError) {
    Check(r.status == 400 || r.status == 404);
    Check(!r.message.empty());
  } else {
    Check(r.status == 200);
  }
  if (r.route == ApiRoute::kStream || r.route == ApiRoute::kLatest) {
    Check(cameras.count(r.camera) == 1);
    Check(r.height == 0 || (r.height >= 16 && r.height <= 4320));
  }
  if (r.route == ApiRoute::kStream) Check(r.fps >= 1 && r.fps <= 30);
  if (r.route == ApiRoute::kEvents) Check(r.limit >= 1 && r.limit <= 1000);

  // The token: never accepted when it differs from the expected one.
  const std::string expected = "s3cret-token";
  if (coralpi::TokenAccepted(expected, authorization, token)) {
    Check(authorization == "Bearer " + expected || token == expected);
  }
  Check(coralpi::TokenAccepted("", authorization, token));
  return 0;
}
