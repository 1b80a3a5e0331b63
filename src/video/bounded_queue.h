// A small blocking queue with a fixed capacity, between the inference threads and the
// publishing thread: a slow publisher makes the detectors wait (and so the cameras skip frames
// in their slots) instead of letting results pile up.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace coralpi {

template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  // Waits for room; false when the queue was closed (the item is dropped).
  bool Push(T item) {
    std::unique_lock lock(mutex_);
    space_.wait(lock, [&] { return items_.size() < capacity_ || closed_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    ready_.notify_one();
    return true;
  }

  enum class PopStatus { kItem, kTimeout, kClosed };
  // Waits up to `timeout` for an item. kClosed once closed and empty.
  PopStatus Pop(T& out, std::chrono::duration<double> timeout) {
    std::unique_lock lock(mutex_);
    if (!ready_.wait_for(lock, timeout, [&] { return !items_.empty() || closed_; }))
      return PopStatus::kTimeout;
    if (items_.empty()) return PopStatus::kClosed;
    out = std::move(items_.front());
    items_.pop_front();
    space_.notify_one();
    return PopStatus::kItem;
  }

  // No more pushes; what is queued can still be popped.
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    ready_.notify_all();
    space_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_, space_;
  std::deque<T> items_;
  size_t capacity_;
  bool closed_ = false;
};

}  // namespace coralpi
