// Latency statistics over timed runs, as `coralpi bench` reports them.
#pragma once

#include <cstddef>
#include <span>

namespace coralpi {

struct LatencyStats {
  size_t count = 0;
  double min = 0, median = 0, mean = 0, p90 = 0, p99 = 0, max = 0, stddev = 0;
};

// Percentiles use linear interpolation between closest ranks (numpy's default);
// stddev is the population standard deviation. An empty input gives all zeros.
LatencyStats Summarize(std::span<const double> samples);

// Peak resident memory of this process so far, in KiB (getrusage's ru_maxrss).
long PeakResidentKiB();

// Resident memory of this process now, in KiB (/proc/self/statm; 0 when unreadable).
long CurrentResidentKiB();

// CPU time this process has used so far (user + system, all threads), in seconds.
double ProcessCpuSeconds();

}  // namespace coralpi
