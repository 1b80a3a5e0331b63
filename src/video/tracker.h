// Following detections across frames and turning them into events.
//
// Per camera, each detection is matched to a tracked object of the same class by box overlap
// (IoU, best pairs first); unmatched detections start new objects. An object becomes an event
// (`new`) once the median of its last `score_window` scores reaches the threshold (fewer scores
// than `min_scores` are padded with zeros, so one lucky frame is not enough); after that it sends
// `update` when something worth telling changed (its top score rose, its box moved) and `end`
// when it has not been seen for `end_after_frames` processed frames or `end_after_seconds`.
// Objects that never became events vanish silently.
//
// Pure logic: time is the frame's capture time given by the caller (tests inject their own),
// no threads, no images.
#pragma once

#include <map>
#include <span>
#include <string>
#include <vector>

#include "video/events.h"
#include "vision/detection.h"
#include "vision/nms.h"  // IoU

namespace coralpi {

struct TrackerOptions {
  float match_iou = 0.3f;  // a detection continues an object when their boxes overlap this much
  int score_window = 10;   // the median is over this many recent scores
  int min_scores = 3;      // shorter histories are padded with zeros
  float threshold = 0.7f;  // median score that makes an object an event
  std::map<std::string, float> label_thresholds;  // per label, instead of `threshold`
  int end_after_frames = 25;        // not seen in this many processed frames of its camera: end
  double end_after_seconds = 5.0;   // or for this long
  float update_score_gain = 0.02f;  // update when the top score rose by at least this
  float update_box_iou = 0.7f;      // or the box's IoU with the last told box fell below this
};

// The median of the last `window` scores, zero-padded to `min_count`.
float MedianScore(std::span<const float> scores, int window, int min_count);

class Tracker {
 public:
  explicit Tracker(TrackerOptions options) : options_(std::move(options)) {}

  // One processed frame of `camera` at `time` (seconds): the events it causes, in order
  // (ends of objects that went missing first, then new and updated ones).
  std::vector<Event> Update(const std::string& camera, double time,
                            std::span<const Detection> detections);
  // Ends the objects of every camera not seen since `now - end_after_seconds` (cameras that
  // stopped sending frames). Call it now and then with the current time.
  std::vector<Event> Expire(double now);
  // Ends every event of `camera` ("" for all cameras), e.g. at shutdown.
  std::vector<Event> EndAll(const std::string& camera = "");

  // The events in progress of a camera, oldest first (for per-label counts).
  std::vector<TrackedObject> Active(const std::string& camera) const;

 private:
  struct Track {
    TrackedObject object;  // current state
    TrackedObject told;    // as the last event told it
    std::vector<float> scores;
    int missing = 0;  // processed frames since last seen
    bool is_event = false;
  };
  float ThresholdFor(const std::string& label) const;
  std::string NewId(const std::string& camera, double time);
  void Match(std::vector<Track>& tracks, const std::string& camera, double time,
             std::span<const Detection> detections);
  void Report(Track& t, std::vector<Event>& events);
  Event EndEvent(Track& t);

  TrackerOptions options_;
  std::map<std::string, std::vector<Track>> cameras_;
  int64_t counter_ = 0;
};

}  // namespace coralpi
