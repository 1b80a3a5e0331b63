// coralpi bench: placeholder until the command lands.
#include "command.h"

namespace coralpi::cli {

RunFn AddBenchCommand(CLI::App& sub) {
  (void)sub;
  return [] { return ReportError(Error{"bench: not implemented yet"}); };
}

}  // namespace coralpi::cli
