// The hand-over between capture and inference: one slot per camera holding only the newest
// frame. A frame that arrives while the slot is still full replaces the one there, which counts
// as skipped, so a slow detector makes cameras skip frames instead of building a queue (memory
// and latency stay bounded). In every-frame mode a full slot makes the capture thread wait
// instead (files, tests), so nothing is skipped.
//
// Inference threads take from the slots in turn (round robin over cameras), so several cameras
// share the detectors fairly. Each frame taken gets its camera's next sequence number, which the
// publishing stage uses to put results from several detectors back in order.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

namespace coralpi {

template <typename T>
class LatestFrameSlots {
 public:
  enum class PutResult { kStored, kReplaced, kRejected };
  struct Taken {
    size_t camera = 0;
    int64_t sequence = 0;  // 0, 1, 2, ... per camera, in the order frames were taken
    T frame;
  };

  // `max_per_camera` > 0: a camera is done after that many frames were taken from it.
  LatestFrameSlots(size_t cameras, bool every_frame, int64_t max_per_camera = 0)
      : slots_(cameras), every_frame_(every_frame), max_per_camera_(max_per_camera) {}

  // Stores `frame` as the camera's newest. kReplaced: an unread frame was dropped (skipped).
  // kRejected: the camera is done or the slots are closed (the frame is dropped, not counted).
  PutResult Put(size_t camera, T frame) {
    std::unique_lock lock(mutex_);
    Slot& s = slots_[camera];
    if (every_frame_) space_.wait(lock, [&] { return !s.frame || s.done || closed_; });
    if (s.done || closed_) return PutResult::kRejected;
    bool replaced = s.frame.has_value();
    if (replaced) ++s.skipped;
    s.frame = std::move(frame);
    frames_.notify_one();
    return replaced ? PutResult::kReplaced : PutResult::kStored;
  }

  // The next frame, taking cameras in turn; waits for one. nullopt once every camera is done
  // and every slot empty, or after Close.
  std::optional<Taken> Take() {
    std::unique_lock lock(mutex_);
    for (;;) {
      if (closed_) return std::nullopt;
      bool all_done = true;
      for (size_t i = 0; i < slots_.size(); ++i) {
        size_t c = (next_ + i) % slots_.size();
        Slot& s = slots_[c];
        if (s.frame) return TakeFrom(c);
        all_done = all_done && s.done;
      }
      if (all_done) return std::nullopt;
      frames_.wait(lock);
    }
  }

  // The camera will send nothing more (end of stream, error, stop). Its waiting frame, if any,
  // is still taken.
  void EndCamera(size_t camera) {
    std::lock_guard lock(mutex_);
    slots_[camera].done = true;
    frames_.notify_all();
    space_.notify_all();
  }

  // Ended, or reached max_per_camera.
  bool CameraDone(size_t camera) const {
    std::lock_guard lock(mutex_);
    return slots_[camera].done || closed_;
  }

  // Stops everything: held frames are dropped (counted by dropped()), waiting threads return.
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    for (Slot& s : slots_) {
      if (s.frame) ++s.dropped;
      s.frame.reset();
    }
    frames_.notify_all();
    space_.notify_all();
  }

  int64_t skipped(size_t camera) const {
    std::lock_guard lock(mutex_);
    return slots_[camera].skipped;
  }
  int64_t dropped(size_t camera) const {
    std::lock_guard lock(mutex_);
    return slots_[camera].dropped;
  }
  int64_t taken(size_t camera) const {
    std::lock_guard lock(mutex_);
    return slots_[camera].taken;
  }

 private:
  struct Slot {
    std::optional<T> frame;
    int64_t skipped = 0;
    int64_t dropped = 0;
    int64_t taken = 0;
    bool done = false;
  };

  Taken TakeFrom(size_t c) {
    Slot& s = slots_[c];
    Taken t{c, s.taken++, std::move(*s.frame)};
    s.frame.reset();
    if (max_per_camera_ > 0 && s.taken >= max_per_camera_) s.done = true;
    next_ = (c + 1) % slots_.size();
    space_.notify_all();
    if (s.done) frames_.notify_all();
    return t;
  }

  mutable std::mutex mutex_;
  std::condition_variable frames_;  // a slot filled, a camera ended, or closed
  std::condition_variable space_;   // a slot emptied (every-frame mode), or closed
  std::vector<Slot> slots_;
  size_t next_ = 0;
  bool every_frame_;
  int64_t max_per_camera_;
  bool closed_ = false;
};

}  // namespace coralpi
