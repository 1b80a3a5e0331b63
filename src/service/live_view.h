// The latest processed frame of every camera, and its pictures for the HTTP clients: the frame
// with its boxes as JPEG, made once per frame and height however many clients look (the first
// to ask encodes, the others wait for that one and share it). Nothing is encoded while nobody
// looks. Update is cheap (it keeps pointers), so the pipeline's publishing thread never waits
// for an encoder.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "video/events.h"

namespace coralpi {

struct LivePicture {
  int64_t number = 0;  // the frame's number in its camera
  double time = 0.0;   // its capture time
  std::shared_ptr<const std::vector<uint8_t>> jpeg;
};

class LiveView {
 public:
  explicit LiveView(const std::vector<std::string>& cameras);

  void Update(const ProcessedFrame& frame);  // unknown cameras are ignored

  // The latest frame of `camera` at `height` (0: its own); nullopt before its first frame.
  Result<std::optional<LivePicture>> Latest(const std::string& camera, int height);
  // Waits up to `timeout` for a frame newer than `after`, then as Latest; nullopt when none
  // came or the view was closed.
  Result<std::optional<LivePicture>> Next(const std::string& camera, int64_t after, int height,
                                          std::chrono::milliseconds timeout);
  // Wakes every waiter; Next returns nullopt from now on (for shutdown).
  void Close();

  int64_t encodes() const;  // JPEGs made so far

 private:
  struct Encoded {
    int64_t number = -1;
    std::shared_ptr<const std::vector<uint8_t>> jpeg;
    bool encoding = false;
  };
  struct Camera {
    int64_t number = 0;
    double time = 0.0;
    std::shared_ptr<const Image> image;
    std::vector<Detection> detections;
    std::map<int, Encoded> by_height;
  };
  Result<std::optional<LivePicture>> LatestLocked(Camera& c, int height,
                                                  std::unique_lock<std::mutex>& lock);
  static void Trim(Camera& c, int keep);

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, Camera> cameras_;
  bool closed_ = false;
  int64_t encodes_ = 0;
};

}  // namespace coralpi
