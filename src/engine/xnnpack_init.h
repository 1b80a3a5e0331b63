// Process-wide XNNPACK initialization (xnn_initialize must run once before any other call).
#pragma once

#include "core/result.h"

namespace coralpi {

// Initializes XNNPACK on first use; later calls return the first call's result.
Status EnsureXnnpackInitialized();

}  // namespace coralpi
