// coralpi classify: placeholder until the command lands.
#include "command.h"

namespace coralpi::cli {

RunFn AddClassifyCommand(CLI::App& sub) {
  (void)sub;
  return [] { return ReportError(Error{"classify: not implemented yet"}); };
}

}  // namespace coralpi::cli
