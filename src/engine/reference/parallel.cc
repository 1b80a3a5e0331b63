// See parallel.h.
#include "engine/reference/parallel.h"

#include <algorithm>

namespace coralpi::reference {
namespace {

thread_local WorkPool* lent_pool = nullptr;

}  // namespace

PoolScope::PoolScope(WorkPool* pool) : previous_(lent_pool) { lent_pool = pool; }

PoolScope::~PoolScope() { lent_pool = previous_; }

void ParallelFor(int64_t n, int64_t min_part, const std::function<void(int64_t, int64_t)>& fn) {
  if (n <= 0) return;
  WorkPool* pool = lent_pool;
  if (pool == nullptr || pool->threads() < 2 || n <= min_part) {
    fn(0, n);
    return;
  }
  // Four parts per thread, so that a thread that starts late still finds work.
  const int64_t parts = int64_t{4} * pool->threads();
  const int64_t part = std::max<int64_t>(min_part, (n + parts - 1) / parts);
  lent_pool = nullptr;  // a kernel's parts run to the end alone (the pool is not reentrant)
  pool->ParallelFor(n, part, [&](int64_t begin, int64_t end) { fn(begin, end); });
  lent_pool = pool;
}

}  // namespace coralpi::reference
