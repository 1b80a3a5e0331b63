// IoU tracking and the new / update / end transitions; see tracker.h.
#include "video/tracker.h"

#include <algorithm>
#include <cstdio>

namespace coralpi {

float MedianScore(std::span<const float> scores, int window, int min_count) {
  size_t n = std::min(scores.size(), static_cast<size_t>(std::max(window, 1)));
  std::vector<float> recent(scores.end() - static_cast<std::ptrdiff_t>(n), scores.end());
  if (recent.size() < static_cast<size_t>(min_count)) recent.resize(min_count, 0.0f);
  if (recent.empty()) return 0.0f;
  std::sort(recent.begin(), recent.end());
  size_t mid = recent.size() / 2;
  return recent.size() % 2 ? recent[mid] : (recent[mid - 1] + recent[mid]) / 2.0f;
}

float Tracker::ThresholdFor(const std::string& label) const {
  auto it = options_.label_thresholds.find(label);
  return it == options_.label_thresholds.end() ? options_.threshold : it->second;
}

std::string Tracker::NewId(const std::string& camera, double time) {
  char stamp[32];
  std::snprintf(stamp, sizeof stamp, "%.6f", time);
  return std::string(stamp) + "-" + camera + "-" + std::to_string(++counter_);
}

// Best-overlapping pairs first, each track and detection used once; the rest start tracks.
void Tracker::Match(std::vector<Track>& tracks, const std::string& camera, double time,
                    std::span<const Detection> detections) {
  struct Pair {
    float iou;
    size_t track, detection;
  };
  std::vector<Pair> pairs;
  for (size_t t = 0; t < tracks.size(); ++t) {
    for (size_t d = 0; d < detections.size(); ++d) {
      if (tracks[t].object.class_id != detections[d].class_id) continue;
      float iou = IoU(tracks[t].object.box, detections[d].box);
      if (iou >= options_.match_iou) pairs.push_back({iou, t, d});
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const Pair& a, const Pair& b) { return a.iou > b.iou; });
  std::vector<bool> track_used(tracks.size()), detection_used(detections.size());
  for (const Pair& p : pairs) {
    if (track_used[p.track] || detection_used[p.detection]) continue;
    track_used[p.track] = detection_used[p.detection] = true;
    Track& t = tracks[p.track];
    const Detection& d = detections[p.detection];
    t.scores.push_back(d.score);
    if (t.scores.size() > static_cast<size_t>(options_.score_window))
      t.scores.erase(t.scores.begin());
    t.object.box = d.box;
    t.object.label = d.label;
    t.object.frame_time = time;
    t.missing = 0;
  }
  for (size_t d = 0; d < detections.size(); ++d) {
    if (detection_used[d]) continue;
    Track t;
    t.object.id = NewId(camera, time);
    t.object.camera = camera;
    t.object.class_id = detections[d].class_id;
    t.object.label = detections[d].label;
    t.object.box = detections[d].box;
    t.object.frame_time = t.object.start_time = time;
    t.scores = {detections[d].score};
    tracks.push_back(std::move(t));
  }
}

void Tracker::Report(Track& t, std::vector<Event>& events) {
  TrackedObject& o = t.object;
  o.score = MedianScore(t.scores, options_.score_window, options_.min_scores);
  o.top_score = std::max(o.top_score, o.score);
  if (!t.is_event) {
    if (o.score < ThresholdFor(o.label)) return;
    t.is_event = true;
    t.told = o;
    events.push_back({EventType::kNew, o, o, nullptr});
    return;
  }
  bool better = o.top_score >= t.told.top_score + options_.update_score_gain;
  bool moved = IoU(o.box, t.told.box) < options_.update_box_iou;
  if (!better && !moved) return;
  events.push_back({EventType::kUpdate, t.told, o, nullptr});
  t.told = o;
}

Event Tracker::EndEvent(Track& t) {
  t.object.end_time = t.object.frame_time;
  return {EventType::kEnd, t.told, t.object, nullptr};
}

std::vector<Event> Tracker::Update(const std::string& camera, double time,
                                   std::span<const Detection> detections) {
  std::vector<Track>& tracks = cameras_[camera];
  for (Track& t : tracks) ++t.missing;
  Match(tracks, camera, time, detections);
  std::vector<Event> events;
  std::erase_if(tracks, [&](Track& t) {
    if (t.missing == 0) return false;
    bool gone = t.missing >= options_.end_after_frames ||
                time - t.object.frame_time >= options_.end_after_seconds;
    if (gone && t.is_event) events.push_back(EndEvent(t));
    return gone;
  });
  for (Track& t : tracks) {
    if (t.missing == 0) Report(t, events);
  }
  return events;
}

std::vector<Event> Tracker::Expire(double now) {
  std::vector<Event> events;
  for (auto& [camera, tracks] : cameras_) {
    std::erase_if(tracks, [&](Track& t) {
      bool gone = now - t.object.frame_time >= options_.end_after_seconds;
      if (gone && t.is_event) events.push_back(EndEvent(t));
      return gone;
    });
  }
  return events;
}

std::vector<Event> Tracker::EndAll(const std::string& camera) {
  std::vector<Event> events;
  for (auto& [name, tracks] : cameras_) {
    if (!camera.empty() && name != camera) continue;
    for (Track& t : tracks) {
      if (t.is_event) events.push_back(EndEvent(t));
    }
    tracks.clear();
  }
  return events;
}

std::vector<TrackedObject> Tracker::Active(const std::string& camera) const {
  std::vector<TrackedObject> out;
  auto it = cameras_.find(camera);
  if (it == cameras_.end()) return out;
  for (const Track& t : it->second) {
    if (t.is_event) out.push_back(t.object);
  }
  return out;
}

}  // namespace coralpi
