// coralpi serve: the long-running service. Reads coralpi.yaml (service/config.h), then runs the
// cameras through the detector and publishes events, counts, snapshots and statistics over
// MQTT and a live page over HTTP until SIGINT/SIGTERM, with the Edge TPUs' health (sysfs under
// --root) in the statistics and at /metrics. --check only validates the file (and
// the files it names) and says what is wrong, line by line.
#include <cstdio>
#include <sstream>

#include "command.h"
#include "service/config.h"
#include "service/serve.h"

namespace coralpi::cli {
namespace {

struct ServeFlags {
  std::string config = "/etc/coralpi/coralpi.yaml";
  bool check = false;
  double seconds = 0;
  std::string root = "/";
};

// A configuration's problems, one "coralpi: error: ..." line each; the exit code of its kind.
int ReportErrors(const Error& error) {
  std::istringstream lines(error.message);
  for (std::string line; std::getline(lines, line);) ReportError(Error{line});
  return ExitCodeFor(error.kind);
}

void Log(const std::string& line) {
  std::fprintf(stderr, "coralpi: %s\n", line.c_str());
  std::fflush(stderr);
}

int RunServe(const ServeFlags& f) {
  StopSignals signals;  // before any thread starts, so all of them inherit the blocked mask
  auto config = LoadServiceConfig(f.config);
  if (!config.ok()) return ReportErrors(config.error());
  auto files = CheckConfigFiles(*config);
  if (!files.ok()) return ReportErrors(files.error());
  if (f.check) {
    const ServiceConfig& c = *config;
    std::string summary = std::to_string(c.cameras.size()) + " camera" +
                          (c.cameras.size() == 1 ? "" : "s") + ", detector " + c.detector.backend;
    if (c.mqtt.enabled) summary += ", mqtt " + c.mqtt.host + ":" + std::to_string(c.mqtt.port);
    if (c.http.enabled) summary += ", http " + c.http.bind + ":" + std::to_string(c.http.port);
    std::printf("%s: ok: %s\n", f.config.c_str(), summary.c_str());
    return kExitOk;
  }
  ServeOptions options;
  options.version = CORALPI_VERSION;
  options.log = Log;
  options.max_seconds = f.seconds;
  options.root = f.root;
  auto report = RunService(*config, signals, options);
  if (!report.ok()) return ReportErrors(report.error());
  for (const std::string& e : report->errors) ReportError(Error{e});
  return report->errors.empty() ? kExitOk : kExitError;
}

}  // namespace

RunFn AddServeCommand(CLI::App& sub) {
  auto f = std::make_shared<ServeFlags>();
  sub.add_option("-c,--config", f->config, "The configuration file (YAML)")->capture_default_str();
  sub.add_flag("--check", f->check,
               "Only check the configuration and the files it names; explain each problem");
  sub.add_option("--seconds", f->seconds,
                 "Stop after this many seconds (default: run until "
                 "SIGINT/SIGTERM or the end of the sources)")
      ->check(CLI::Range(0.1, 1e9));
  sub.add_option("--root", f->root,
                 "Read the Edge TPUs' sysfs (temperature, trip points, resets) under DIR")
      ->capture_default_str();
  return [f] { return RunServe(*f); };
}

}  // namespace coralpi::cli
