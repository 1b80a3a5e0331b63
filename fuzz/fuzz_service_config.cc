// libFuzzer target for coralpi.yaml (service/config.h): any bytes must parse to a configuration
// or to errors without a crash; every error line names the file; an accepted configuration
// keeps what the parser promises (cameras with unique plain names, a detector with a model
// unless it is the stand-in, ranges that hold).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "service/config.h"

namespace {

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckAccepted(const coralpi::ServiceConfig& c) {
  Check(!c.cameras.empty());
  std::set<std::string> names;
  for (const coralpi::CameraConfig& camera : c.cameras) {
    Check(!camera.name.empty() && names.insert(camera.name).second);
    Check(camera.name.find('/') == std::string::npos);
    Check(!camera.source.empty());
    Check(camera.fps >= 0 && camera.width >= 0 && camera.height >= 0);
  }
  Check(c.detector.backend == "stand-in" || !c.detector.model.empty());
  Check(c.detector.count >= 1);
  Check(c.http.port >= 0 && c.http.port <= 65535);
  Check(c.mqtt.port >= 1 && c.mqtt.port <= 65535);
  Check(c.http.max_stream_clients >= 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = coralpi::ParseServiceConfig(text, "fuzz.yaml");
  if (config.ok()) {
    CheckAccepted(*config);
    return 0;
  }
  std::istringstream lines(config.error().message);
  for (std::string line; std::getline(lines, line);) Check(line.rfind("fuzz.yaml", 0) == 0);
  return 0;
}
