// The recent events for the HTTP API: the latest state of each of the last `capacity` tracked
// objects that became events, newest first, with their snapshots. Thread-safe: the pipeline
// adds, HTTP clients read.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "video/events.h"

namespace coralpi {

class EventLog {
 public:
  explicit EventLog(size_t capacity = 500) : capacity_(capacity) {}

  void Add(const Event& event);
  // Event objects (service_json.h), newest first; empty filters match everything.
  nlohmann::ordered_json Json(const std::string& camera, const std::string& label,
                              size_t limit) const;
  // The snapshot of an event still in the log (null when it has none or is gone).
  std::shared_ptr<const std::vector<uint8_t>> Snapshot(const std::string& id) const;

 private:
  struct Entry {
    TrackedObject object;
    std::shared_ptr<const std::vector<uint8_t>> snapshot;
  };
  size_t capacity_;
  mutable std::mutex mutex_;
  std::list<Entry> entries_;  // newest first
  std::map<std::string, std::list<Entry>::iterator> by_id_;
};

}  // namespace coralpi
