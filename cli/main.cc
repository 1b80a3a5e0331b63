// coralpi: the command-line entry point. Reads like a table of contents: the commands,
// then parsing, then running the one chosen.
#include <cstdio>
#include <iostream>
#include <map>

#include "command.h"
#ifndef CORALPI_LIVE_COMMANDS
#include "live_forward.h"
#endif

namespace coralpi::cli {

int ExitCodeFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInternal:
      return kExitError;
    case ErrorKind::kBadArgument:
      return kExitUsage;
    case ErrorKind::kBadFile:
    case ErrorKind::kNotFound:
      return kExitFile;
    case ErrorKind::kUnsupported:
      return kExitUnsupported;
    case ErrorKind::kDevice:
      return kExitDevice;
  }
  return kExitError;
}

int ReportError(const Error& error) {
  std::fprintf(stderr, "coralpi: error: %s\n", error.message.c_str());
  return ExitCodeFor(error.kind);
}

namespace {

// The commands, in the order `coralpi --help` lists them.
const CommandSpec kCommands[] = {
    {"classify", "Classify images with a model", AddClassifyCommand},
    {"inspect", "Describe what a .tflite model holds and where it can run", AddInspectCommand},
    {"bench", "Measure model load time, invoke latency and memory", AddBenchCommand},
    {"doctor", "Check every step of the Raspberry Pi 5 + Coral setup", AddDoctorCommand},
    {"setup", "Fix what software can fix in the Pi 5 + Coral setup", AddSetupCommand},
    {"devices", "List Edge TPUs, their state and the runtime libraries", AddDevicesCommand},
    {"compare", "Run the same input through two backends and compare the outputs", AddCompareCommand},
    {"detect", "Find objects in images with a detection model", AddDetectCommand},
    {"segment", "Label every pixel of images with a segmentation model", AddSegmentCommand},
    {"pose", "Find a person's keypoints in images with a pose model", AddPoseCommand},
#ifdef CORALPI_LIVE_COMMANDS  // coralpi-live runs them; coralpi hands them over (live_forward.h)
    {"watch", "Detect and track objects in video: JSON lines per frame and per event", AddWatchCommand},
    {"serve", "Run the cameras as a service: MQTT events and a live web page (coralpi.yaml)", AddServeCommand},
#else
    {"watch", "Detect and track objects in video: JSON lines per frame and per event", AddForwardedCommand},
    {"serve", "Run the cameras as a service: MQTT events and a live web page (coralpi.yaml)", AddForwardedCommand},
#endif
};

}  // namespace
}  // namespace coralpi::cli

int main(int argc, char** argv) {
  using namespace coralpi::cli;
#ifndef CORALPI_LIVE_COMMANDS
  RememberCommandLine(argc, argv);
#endif
  CLI::App app{"coralpi: fast computer vision on a Raspberry Pi 5, with or without a Coral TPU"};
  app.set_version_flag("--version", "coralpi " CORALPI_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit status: 0 ok, 1 internal error, 2 usage or bad argument, 3 doctor/setup found "
      "problems, 4 a file missing or unusable, 5 unsupported (an operator, a type), 6 the Edge "
      "TPU or its runtime absent or failing.");
  std::map<CLI::App*, RunFn> runs;
  for (const CommandSpec& spec : kCommands) {
    CLI::App* sub = app.add_subcommand(spec.name, spec.summary);
    runs[sub] = spec.add(*sub);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  for (auto& [sub, run] : runs) {
    if (sub->parsed()) return run();
  }
  return kExitUsage;
}
