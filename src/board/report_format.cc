// Text and JSON rendering of doctor reports; see report_format.h.
#include "board/report_format.h"

#include <nlohmann/json.hpp>

namespace coralpi::board {
namespace {

const char* Tag(CheckStatus s) {
  switch (s) {
    case CheckStatus::kOk:
      return " ok ";
    case CheckStatus::kWarn:
      return "warn";
    case CheckStatus::kFail:
      return "FAIL";
    case CheckStatus::kSkip:
      return "skip";
  }
  return "????";
}

const char* Colour(CheckStatus s) {
  switch (s) {
    case CheckStatus::kOk:
      return "\033[32m";
    case CheckStatus::kWarn:
      return "\033[33m";
    case CheckStatus::kFail:
      return "\033[31m";
    case CheckStatus::kSkip:
      return "\033[2m";
  }
  return "";
}

}  // namespace

std::string FormatReport(const Report& r, bool color) {
  std::string out =
      "coralpi doctor: " +
      (r.is_pi5 ? (r.board_model.empty() ? std::string("Raspberry Pi 5") : r.board_model)
                : std::string("not a Raspberry Pi 5")) +
      (r.root == "/" ? "" : " (root " + r.root + ")") + "\n";
  const CheckGroup groups[] = {CheckGroup::kBoard,  CheckGroup::kBootConfig, CheckGroup::kRunning,
                               CheckGroup::kDevice, CheckGroup::kAccess,     CheckGroup::kRuntime,
                               CheckGroup::kHealth};
  for (CheckGroup g : groups) {
    bool header = false;
    for (const CheckResult& c : r.checks) {
      if (c.group != g) continue;
      if (!header) {
        out += std::string("\n") + (color ? "\033[1m" : "") + GroupName(g) +
               (color ? "\033[0m" : "") + "\n";
        header = true;
      }
      std::string tag = std::string("[") + Tag(c.status) + "]";
      if (color) tag = Colour(c.status) + tag + "\033[0m";
      out += "  " + tag + " " + c.title + " (" + c.id + ")";
      if (c.status == CheckStatus::kSkip) {
        out += ": " + c.message + "\n";
        continue;
      }
      out += "\n         " + c.message + "\n";
      if ((c.status == CheckStatus::kFail || c.status == CheckStatus::kWarn) && !c.fix.empty()) {
        out += "         fix: " + c.fix + "\n";
      }
    }
  }
  out += "\nSummary: " + std::to_string(r.Count(CheckStatus::kOk)) + " ok, " +
         std::to_string(r.Count(CheckStatus::kWarn)) + " warn, " +
         std::to_string(r.Count(CheckStatus::kFail)) + " fail, " +
         std::to_string(r.Count(CheckStatus::kSkip)) + " skipped.";
  if (r.RebootRequired()) out += " A reboot is needed for configured fixes to take effect.";
  out += "\n";
  bool fixable = false;
  for (const CheckResult& c : r.checks) {
    if (c.setup_fixes && c.status != CheckStatus::kOk && c.status != CheckStatus::kSkip)
      fixable = true;
  }
  if (fixable) out += "Run 'coralpi setup' to see the file changes that fix the marked checks.\n";
  std::vector<std::string> steps = r.ManualSteps();
  if (!steps.empty()) {
    out += "Manual steps, in order:\n";
    for (size_t i = 0; i < steps.size(); ++i)
      out += "  " + std::to_string(i + 1) + ". " + steps[i] + "\n";
  }
  return out;
}

std::string ReportToJson(const Report& r) {
  nlohmann::json j;
  j["root"] = r.root;
  j["is_pi5"] = r.is_pi5;
  j["board"] = r.board_model;
  j["summary"] = {{"ok", r.Count(CheckStatus::kOk)},
                  {"warn", r.Count(CheckStatus::kWarn)},
                  {"fail", r.Count(CheckStatus::kFail)},
                  {"skip", r.Count(CheckStatus::kSkip)}};
  j["reboot_required"] = r.RebootRequired();
  j["manual_steps"] = r.ManualSteps();
  j["checks"] = nlohmann::json::array();
  for (const CheckResult& c : r.checks) {
    j["checks"].push_back({{"id", c.id},
                           {"row", c.row},
                           {"title", c.title},
                           {"group", GroupName(c.group)},
                           {"config", c.config},
                           {"status", StatusName(c.status)},
                           {"message", c.message},
                           {"fix", c.fix},
                           {"commands", c.commands},
                           {"setup_fixes", c.setup_fixes},
                           {"reboot_required", c.reboot_required}});
  }
  // Replace invalid UTF-8 (from odd file contents) rather than throwing.
  return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace coralpi::board
