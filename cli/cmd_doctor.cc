// coralpi doctor: placeholder until the command lands.
#include "command.h"

namespace coralpi::cli {

RunFn AddDoctorCommand(CLI::App& sub) {
  (void)sub;
  return [] { return ReportError(Error{"doctor: not implemented yet"}); };
}

}  // namespace coralpi::cli
