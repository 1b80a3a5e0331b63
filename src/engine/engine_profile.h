// EngineProfile: where the CPU engine's time goes, per operator type and per node, from the
// step timings of an engine created with CpuEngineOptions::profile (what `bench --profile`
// prints, like TensorFlow Lite's --enable_op_profiling).
//
// In profile mode every node is its own step (one XNNPACK runtime per node), so the figures
// are an approximation of the normal run: XNNPACK cannot fuse across nodes and the thread pool
// is dispatched once per node. Debian's XNNPACK has no per-operator timing of its own.
#pragma once

#include <string>
#include <vector>

#include "engine/cpu_engine.h"

namespace coralpi {

struct NodeTime {
  int32_t index = 0;
  std::string type;    // "CONV_2D"
  std::string runner;  // "xnnpack", "reference", ...
  std::string shape;   // the output shape, e.g. "[1, 112, 112, 32]"
  double ms = 0;       // per invoke
  double share = 0;    // of the profiled total, 0..1
};

struct OpTypeTime {
  std::string type;
  int nodes = 0;
  double ms = 0;  // per invoke, summed over the nodes of this type
  double share = 0;
};

struct RunnerTime {
  std::string runner;
  int nodes = 0;
  double ms = 0;
  double share = 0;
};

struct EngineProfile {
  int64_t invokes = 0;
  double total_ms = 0;              // per invoke, the sum of every step
  std::vector<OpTypeTime> by_type;  // slowest type first
  std::vector<RunnerTime> by_runner;
  std::vector<NodeTime> nodes;  // slowest first
};

// Summarizes the step timings of a profiling engine (per invoke averages).
EngineProfile SummarizeProfile(const CpuEngine& engine);

}  // namespace coralpi
