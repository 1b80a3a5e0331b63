// Threads for the reference kernels that split their work: a kernel calls ParallelFor over
// independent parts of its output; the CPU engine lends its WorkPool for the duration of a
// step (PoolScope). Without a lent pool, or for one part, everything runs on the calling
// thread. The parts of one loop must write disjoint memory; the result does not depend on how
// the work is split, so the bytes are those of one thread.
#pragma once

#include <cstdint>
#include <functional>

#include "engine/work_pool.h"

namespace coralpi::reference {

// Lends `pool` (may be null) to the reference kernels run on this thread while it lives.
class PoolScope {
 public:
  explicit PoolScope(WorkPool* pool);
  ~PoolScope();
  PoolScope(const PoolScope&) = delete;
  PoolScope& operator=(const PoolScope&) = delete;

 private:
  WorkPool* previous_;
};

// Runs fn(begin, end) over ranges that cover [0, n) once, each of at least `min_part` items
// (except the last), on the lent pool's threads.
void ParallelFor(int64_t n, int64_t min_part, const std::function<void(int64_t, int64_t)>& fn);

}  // namespace coralpi::reference
