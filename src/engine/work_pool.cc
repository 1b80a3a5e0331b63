// The own kernels' thread pool; see work_pool.h.
#include "engine/work_pool.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <climits>

namespace coralpi {
namespace {

// How long an idle worker keeps polling for the next loop before it sleeps.
constexpr auto kWorkerSpin = std::chrono::microseconds(50);
// How many pauses the caller polls for joined workers before it yields its CPU to them.
constexpr int kCallerSpins = 2000;

// A polite busy-wait step.
inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ volatile("yield");
#endif
}

}  // namespace

WorkPool::WorkPool(int threads) : ranges_(static_cast<size_t>(std::max(threads, 1))) {
  for (int i = 1; i < threads; ++i) workers_.emplace_back([this, i] { WorkerLoop(i); });
}

WorkPool::~WorkPool() {
  stop_.store(true);
  WakeWorkers();
  for (std::thread& t : workers_) t.join();
}

// A new epoch, and a futex wake when a worker may be asleep. (Not std::atomic::wait: the one
// in GCC 12's libstdc++ missed wake-ups here and left a worker asleep for good.)
void WorkPool::WakeWorkers() {
  epoch_.fetch_add(1, std::memory_order_seq_cst);
  if (sleepers_.load(std::memory_order_seq_cst) > 0) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(&epoch_), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr,
            nullptr, 0);
  }
}

// Sleeps while the epoch is still `seen` (the kernel checks it atomically).
void WorkPool::Sleep(uint32_t seen) {
  sleepers_.fetch_add(1, std::memory_order_seq_cst);
  if (epoch_.load(std::memory_order_seq_cst) == seen) {
    syscall(SYS_futex, reinterpret_cast<uint32_t*>(&epoch_), FUTEX_WAIT_PRIVATE, seen, nullptr,
            nullptr, 0);
  }
  sleepers_.fetch_sub(1, std::memory_order_seq_cst);
}

void WorkPool::RunTile(int64_t t) const {
  const int64_t begin = t * tile_;
  fn_(context_, begin, std::min(n_, begin + tile_));
}

void WorkPool::RunTiles(int self) {
  constexpr uint64_t kLow = 0xFFFFFFFFu;
  // Own range from the front.
  std::atomic<uint64_t>& own = ranges_[static_cast<size_t>(self)].bounds;
  for (uint64_t s = own.load(std::memory_order_acquire); (s & kLow) < (s >> 32);) {
    if (own.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel)) {
      RunTile(static_cast<int64_t>(s & kLow));
      s = own.load(std::memory_order_acquire);
    }
  }
  // Then the others' from their backs, the next thread's first.
  const int threads = static_cast<int>(ranges_.size());
  for (int k = 1; k < threads; ++k) {
    std::atomic<uint64_t>& other = ranges_[static_cast<size_t>((self + k) % threads)].bounds;
    for (uint64_t s = other.load(std::memory_order_acquire); (s & kLow) < (s >> 32);) {
      if (other.compare_exchange_weak(s, s - (uint64_t{1} << 32), std::memory_order_acq_rel)) {
        RunTile(static_cast<int64_t>(s >> 32) - 1);
        s = other.load(std::memory_order_acquire);
      }
    }
  }
}

void WorkPool::Run(int64_t n, int64_t tile, TileFn fn, const void* context) {
  if (n <= 0) return;
  tile = std::max<int64_t>(tile, 1);
  // Tile numbers are 32 bits in the ranges: fewer, larger tiles (whole multiples) beyond that.
  tile *= std::max<int64_t>(1, (n / tile) >> 30);
  const int64_t tiles = (n + tile - 1) / tile;
  if (workers_.empty() || tiles == 1) {
    fn(context, 0, n);
    return;
  }
  // No worker is inside (the last loop ended with none), so the loop's fields are ours.
  fn_ = fn;
  context_ = context;
  n_ = n;
  tile_ = tile;
  const auto threads = static_cast<int64_t>(ranges_.size());
  for (int64_t i = 0; i < threads; ++i) {
    const auto front = static_cast<uint64_t>(tiles * i / threads);
    const auto back = static_cast<uint64_t>(tiles * (i + 1) / threads);
    ranges_[static_cast<size_t>(i)].bounds.store(front | (back << 32), std::memory_order_relaxed);
  }
  const uint64_t generation = (state_.load(std::memory_order_relaxed) >> 32) + 1;
  state_.store((generation << 32) | kOpen, std::memory_order_release);
  WakeWorkers();
  RunTiles(0);
  // Close the loop to latecomers, then wait for the workers that joined to finish their tiles.
  uint64_t s = state_.fetch_and(~kOpen, std::memory_order_acq_rel);
  for (int spins = 0; (s & kInsideMask) != 0; ++spins) {
    if (spins < kCallerSpins) {
      CpuRelax();
    } else {
      std::this_thread::yield();
    }
    s = state_.load(std::memory_order_acquire);
  }
}

void WorkPool::WorkerLoop(int self) {
  // The epoch when the pool was made: a worker that starts late must still see the loops (and
  // the stop) that came before it ran.
  uint32_t seen = 0;
  for (;;) {
    // Wait for a new loop: poll for a while, then sleep.
    const auto spin_end = std::chrono::steady_clock::now() + kWorkerSpin;
    for (int i = 0; epoch_.load(std::memory_order_acquire) == seen; ++i) {
      if ((i & 255) == 255 && std::chrono::steady_clock::now() > spin_end) {
        Sleep(seen);
      }
      CpuRelax();
    }
    seen = epoch_.load(std::memory_order_acquire);
    if (stop_.load()) return;
    // Join the loop while it is open; the fields are stable until we leave.
    uint64_t s = state_.load(std::memory_order_acquire);
    while (s & kOpen) {
      if (state_.compare_exchange_weak(s, s + 1, std::memory_order_acq_rel)) {
        RunTiles(self);
        state_.fetch_sub(1, std::memory_order_release);
        break;
      }
    }
  }
}

}  // namespace coralpi
