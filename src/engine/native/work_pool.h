// WorkPool: the threads of the own kernels. A parallel loop hands out tiles from an atomic
// counter to the calling thread and the workers, and returns as soon as every tile has run.
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

namespace coralpi::native {

class WorkPool {
 public:
  // A pool of `threads` threads in all: the caller of ParallelFor and threads - 1 workers.
  explicit WorkPool(int threads);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  int threads() const { return static_cast<int>(workers_.size()) + 1; }

  // Runs fn(begin, end) over ranges of whole tiles of `tile` items that cover [0, n) once: one
  // tile per call when there are workers, everything in one call when there are none. fn must
  // be safe to run concurrently on different tiles. Not reentrant: one loop at a time, from
  // one thread.
  template <typename Fn>
  void ParallelFor(int64_t n, int64_t tile, const Fn& fn) {
    Run(
        n, tile, [](const void* f, int64_t b, int64_t e) { (*static_cast<const Fn*>(f))(b, e); },
        &fn);
  }

 private:
  using TileFn = void (*)(const void* context, int64_t begin, int64_t end);
  void Run(int64_t n, int64_t tile, TileFn fn, const void* context);
  void RunTiles();
  void WorkerLoop();
  void WakeWorkers();
  void Sleep(uint32_t seen);

  // state_: generation (high 32 bits), open flag (bit 31), workers inside the loop (low bits).
  static constexpr uint64_t kOpen = uint64_t{1} << 31;
  static constexpr uint64_t kInsideMask = kOpen - 1;
  std::atomic<uint64_t> state_{0};
  std::atomic<int64_t> next_tile_{0};
  std::atomic<uint32_t> epoch_{0};    // bumped for every loop; idle workers sleep on it
  std::atomic<int32_t> sleepers_{0};  // workers asleep (or about to be) on epoch_
  std::atomic<bool> stop_{false};
  // The current loop, written only while no worker is inside.
  TileFn fn_ = nullptr;
  const void* context_ = nullptr;
  int64_t n_ = 0, tile_ = 1, tiles_ = 0;
  std::vector<std::thread> workers_;
};

}  // namespace coralpi::native
