// Process-wide XNNPACK initialization (xnn_initialize must run once before any other call).
#pragma once

#include "core/result.h"

namespace coralpi::xnnpack {

// Initializes XNNPACK on first use; later calls return the first call's result.
Status EnsureInitialized();

}  // namespace coralpi::xnnpack
