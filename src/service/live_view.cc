// Latest frames and their shared JPEGs; see live_view.h.
#include "service/live_view.h"

#include "service/picture.h"

namespace coralpi {
namespace {

// Heights kept encoded per camera (clients asking for many sizes cannot grow memory).
constexpr size_t kMaxHeights = 8;

}  // namespace

LiveView::LiveView(const std::vector<std::string>& cameras) {
  for (const std::string& name : cameras) cameras_[name];
}

void LiveView::Update(const ProcessedFrame& frame) {
  if (!frame.display) return;
  std::lock_guard lock(mutex_);
  auto it = cameras_.find(frame.camera);
  if (it == cameras_.end()) return;
  Camera& c = it->second;
  c.number = frame.number;
  c.time = frame.capture_time;
  c.image = frame.display;
  c.detections = frame.detections;
  changed_.notify_all();
}

Result<std::optional<LivePicture>> LiveView::Latest(const std::string& camera, int height) {
  std::unique_lock lock(mutex_);
  auto it = cameras_.find(camera);
  if (it == cameras_.end()) return Error{"no camera named " + camera};
  return LatestLocked(it->second, height, lock);
}

Result<std::optional<LivePicture>> LiveView::Next(const std::string& camera, int64_t after,
                                                  int height, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  auto it = cameras_.find(camera);
  if (it == cameras_.end()) return Error{"no camera named " + camera};
  Camera& c = it->second;
  if (!changed_.wait_for(lock, timeout, [&] { return closed_ || (c.image && c.number > after); }) ||
      closed_) {
    return std::optional<LivePicture>();
  }
  return LatestLocked(c, height, lock);
}

Result<std::optional<LivePicture>> LiveView::LatestLocked(Camera& c, int height,
                                                          std::unique_lock<std::mutex>& lock) {
  if (!c.image) return std::optional<LivePicture>();
  if (height >= c.image->height) height = 0;  // never enlarged: one entry for "full size"
  for (;;) {
    Encoded& e = c.by_height[height];
    if (e.jpeg && e.number == c.number)
      return std::optional<LivePicture>({c.number, c.time, e.jpeg});
    if (!e.encoding) break;
    changed_.wait(lock);  // someone encodes this height: share theirs
  }
  // This thread encodes the current frame; others asking meanwhile wait above.
  c.by_height[height].encoding = true;
  std::shared_ptr<const Image> image = c.image;
  std::vector<Detection> detections = c.detections;
  LivePicture picture{c.number, c.time, nullptr};
  lock.unlock();
  auto jpeg = DetectionsJpeg(*image, detections, height);
  lock.lock();
  Encoded& e = c.by_height[height];
  e.encoding = false;
  if (jpeg.ok()) {
    e.number = picture.number;
    e.jpeg = std::make_shared<const std::vector<uint8_t>>(std::move(*jpeg));
    picture.jpeg = e.jpeg;
    ++encodes_;
  }
  Trim(c, height);
  changed_.notify_all();
  if (!jpeg.ok()) return jpeg.error();
  return std::optional<LivePicture>(picture);
}

void LiveView::Trim(Camera& c, int keep) {
  for (auto it = c.by_height.begin();
       c.by_height.size() > kMaxHeights && it != c.by_height.end();) {
    if (it->first != keep && !it->second.encoding) {
      it = c.by_height.erase(it);
    } else {
      ++it;
    }
  }
}

void LiveView::Close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  changed_.notify_all();
}

int64_t LiveView::encodes() const {
  std::lock_guard lock(mutex_);
  return encodes_;
}

}  // namespace coralpi
