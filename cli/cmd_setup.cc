// coralpi setup: placeholder until the command lands.
#include "command.h"

namespace coralpi::cli {

RunFn AddSetupCommand(CLI::App& sub) {
  (void)sub;
  return [] { return ReportError(Error{"setup: not implemented yet"}); };
}

}  // namespace coralpi::cli
