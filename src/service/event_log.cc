// Recent events; see event_log.h.
#include "service/event_log.h"

#include "service/service_json.h"

namespace coralpi {

void EventLog::Add(const Event& event) {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(event.after.id);
  if (it == by_id_.end()) {
    if (event.type != EventType::kNew) return;  // fell out of the log already
    entries_.push_front({event.after, event.snapshot_jpeg});
    by_id_[event.after.id] = entries_.begin();
    if (entries_.size() > capacity_) {
      by_id_.erase(entries_.back().object.id);
      entries_.pop_back();
    }
    return;
  }
  it->second->object = event.after;
  if (event.snapshot_jpeg) it->second->snapshot = event.snapshot_jpeg;
}

nlohmann::ordered_json EventLog::Json(const std::string& camera, const std::string& label,
                                      size_t limit) const {
  std::lock_guard lock(mutex_);
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const Entry& e : entries_) {
    if (out.size() >= limit) break;
    if (!camera.empty() && e.object.camera != camera) continue;
    if (!label.empty() && e.object.label != label) continue;
    out.push_back(EventObjectJson(e.object, e.snapshot != nullptr));
  }
  return out;
}

std::shared_ptr<const std::vector<uint8_t>> EventLog::Snapshot(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second->snapshot;
}

}  // namespace coralpi
