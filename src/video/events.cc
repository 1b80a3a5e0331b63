// Names of the event types, as publishers write them.
#include "video/events.h"

namespace coralpi {

const char* EventTypeName(EventType type) {
  switch (type) {
    case EventType::kNew:
      return "new";
    case EventType::kUpdate:
      return "update";
    case EventType::kEnd:
      return "end";
  }
  return "?";
}

}  // namespace coralpi
