// SIGINT / SIGTERM taken synchronously; see stop_signals.h.
#include "core/stop_signals.h"

#include <pthread.h>

#include <cerrno>
#include <cmath>
#include <ctime>

namespace coralpi {

StopSignals::StopSignals() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set_, &previous_);
}

StopSignals::~StopSignals() { pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }

int StopSignals::Wait(double seconds) {
  if (seconds < 0) seconds = 0;
  timespec timeout{};
  timeout.tv_sec = static_cast<time_t>(seconds);
  timeout.tv_nsec = static_cast<long>(std::fmod(seconds, 1.0) * 1e9);
  int signal = sigtimedwait(&set_, nullptr, &timeout);
  return signal > 0 ? signal : 0;
}

}  // namespace coralpi
