// WorkPool: the engine's threads, for the own kernels and the reference kernels that split their
// work. A parallel loop splits its tiles into one range per thread (the caller's first, then
// worker 1's, ...): each thread runs its own range from the front, then takes what is left of the
// others' from their backs, and the loop returns as soon as every tile has run.
//
// Why home ranges: consecutive nodes cut their work in the same order (output rows), so a
// thread mostly reads what it wrote itself in the node before, from its own cache; handing out
// tiles first come, first served made each node read about half of its input from the other
// core's cache, and small nodes ran slower on two threads than on one. Taking from the backs
// keeps a descheduled or late worker from holding up the loop.
//
// Why not pthreadpool (which XNNPACK uses): its caller waits until every worker has taken part
// in every loop, so on a busy machine (more runnable threads than CPUs) each of the hundred
// loops of an invoke waits for a descheduled worker to get a CPU again; a MobileNet at 2
// threads measured 6x slower than at 1. Here a worker joins a loop only while tiles are left,
// and the caller waits only for the workers that joined. Workers spin briefly between loops (the
// next node's loop follows within microseconds), then sleep on a futex.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace coralpi {

class WorkPool {
 public:
  // A pool of `threads` threads in all: the caller of ParallelFor and threads - 1 workers.
  explicit WorkPool(int threads);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs fn(begin, end) over ranges of whole tiles of `tile` items that cover [0, n) once: one
  // tile per call when there are workers, everything in one call when there are none. Thread i
  // of the pool (the caller is 0) starts on the i-th of `threads()` equal runs of tiles. fn
  // must be safe to run concurrently on different tiles. Not reentrant: one loop at a time,
  // from one thread.
  template <typename Fn>
  void ParallelFor(int64_t n, int64_t tile, const Fn& fn) {
    Run(
        n, tile, [](const void* f, int64_t b, int64_t e) { (*static_cast<const Fn*>(f))(b, e); },
        &fn);
  }

 private:
  using TileFn = void (*)(const void* context, int64_t begin, int64_t end);
  void Run(int64_t n, int64_t tile, TileFn fn, const void* context);
  void RunTiles(int self);
  void RunTile(int64_t t) const;
  void WorkerLoop(int self);
  void WakeWorkers();
  void Sleep(uint32_t seen);

  // state_: generation (high 32 bits), open flag (bit 31), workers inside the loop (low bits).
  static constexpr uint64_t kOpen = uint64_t{1} << 31;
  static constexpr uint64_t kInsideMask = kOpen - 1;
  std::atomic<uint64_t> state_{0};
  // The tiles left of each thread's range: front (low 32 bits, taken by its owner) and back
  // (high 32 bits, taken by the others), one cache line each.
  struct alignas(64) Range {
    std::atomic<uint64_t> bounds{0};
  };
  std::vector<Range> ranges_;
  std::atomic<uint32_t> epoch_{0};    // bumped for every loop; idle workers sleep on it
  std::atomic<int32_t> sleepers_{0};  // workers asleep (or about to be) on epoch_
  std::atomic<bool> stop_{false};
  // The current loop, written only while no worker is inside.
  TileFn fn_ = nullptr;
  const void* context_ = nullptr;
  int64_t n_ = 0, tile_ = 1;
  std::vector<std::thread> workers_;
};

}  // namespace coralpi
