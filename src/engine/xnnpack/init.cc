#include "engine/xnnpack/init.h"

#include <xnnpack.h>

#include <mutex>
#include <string>

namespace coralpi::xnnpack {

Status EnsureInitialized() {
  static std::once_flag once;
  static xnn_status status = xnn_status_uninitialized;
  std::call_once(once, [] { status = xnn_initialize(nullptr); });
  if (status != xnn_status_success) {
    return MakeError("XNNPACK", "initialization failed (status " + std::to_string(status) +
                                    "); this CPU may lack the instructions XNNPACK needs");
  }
  return OkStatus();
}

}  // namespace coralpi::xnnpack
