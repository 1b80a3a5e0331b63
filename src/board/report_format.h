// Rendering a doctor report: a grouped, readable text (colour only when asked, i.e. on a
// terminal) and JSON with one entry per check.
#pragma once

#include <string>

#include "board/doctor.h"

namespace coralpi::board {

std::string FormatReport(const Report& report, bool color);

// {"root":..., "is_pi5":..., "board":..., "summary":{...}, "reboot_required":...,
//  "manual_steps":[...], "checks":[{"id","row","title","group","config","status","message",
//  "fix","commands","setup_fixes","reboot_required"}, ...]}
std::string ReportToJson(const Report& report);

}  // namespace coralpi::board
