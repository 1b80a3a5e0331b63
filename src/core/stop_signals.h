// Waiting for SIGINT / SIGTERM without a signal handler: the long-running commands (watch,
// serve, bench --source) block both signals before starting any thread, so every thread
// inherits the mask and the signals stay pending until the main thread takes them with
// sigtimedwait. No async-signal-safety puzzles, and a clean shutdown path.
#pragma once

#include <signal.h>

namespace coralpi {

class StopSignals {
 public:
  StopSignals();   // blocks SIGINT and SIGTERM in the calling thread (do it before any thread)
  ~StopSignals();  // restores the previous mask
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

  // Waits up to `seconds` for one of the signals; returns it, or 0 when none came.
  int Wait(double seconds);

 private:
  sigset_t set_{};
  sigset_t previous_{};
};

}  // namespace coralpi
