// The flags of coralpi bench --source (bench_source.h), in both binaries: the lean coralpi
// declares them for its help and hands the run to coralpi-live (live_forward.h).
#include "bench_source.h"

namespace coralpi::cli {

void AddSourceBenchFlags(CLI::App& app, SourceBenchFlags& flags) {
  app.add_option("--source", flags.sources,
                 "Run the whole frame path on this video source instead of timing invoke alone "
                 "(repeat for several cameras; see coralpi watch)");
  app.add_option("--seconds", flags.seconds,
                 "With --source: run this long (or to the sources' end)")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  AddVideoFlags(app, flags.video);
}

}  // namespace coralpi::cli
