// coralpi inspect: placeholder until the command lands.
#include "command.h"

namespace coralpi::cli {

RunFn AddInspectCommand(CLI::App& sub) {
  (void)sub;
  return [] { return ReportError(Error{"inspect: not implemented yet"}); };
}

}  // namespace coralpi::cli
