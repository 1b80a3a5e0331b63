// Adding a user to a group by editing /etc/group (and /etc/gshadow) text, as `groupadd --system`
// and `usermod -aG` would: a missing group gets the highest free system gid (999 down to 100),
// the user is appended to the member list, every other byte stays. Pure: strings in and out.
#pragma once

#include <optional>
#include <string>

#include "core/result.h"

namespace coralpi::board {

// The group's member list, or nullopt when the group is missing. Works for group and gshadow
// (both keep members in the fourth field).
std::optional<std::string> GroupMembers(const std::string& text, const std::string& group);

// The highest gid from 999 down to 100 that no line of an etc/group text uses.
Result<unsigned> FreeSystemGid(const std::string& group_text);

// An etc/group text with `user` in `group`; a missing group is added as
// "group:x:<gid>:user". Unchanged when the user is already a member.
std::string AddToGroupFile(const std::string& text, const std::string& group,
                           const std::string& user, unsigned gid);

// The same for etc/gshadow; a missing group is added as "group:!::user".
std::string AddToGshadowFile(const std::string& text, const std::string& group,
                             const std::string& user);

// Whether `name` can be written into these files (no ':', ',', blanks or newlines; not empty).
bool ValidUserName(const std::string& name);

}  // namespace coralpi::board
