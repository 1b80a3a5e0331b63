// coralpi setup: fixes what software can fix in the Pi 5 + Coral setup (see src/board/setup.h).
// Without --apply it only shows the diff; --apply backs up and writes; --undo restores the
// latest backups. What it cannot do is printed as exact commands, in order.
#include <cstdio>
#include <ctime>
#include <memory>
#include <string>

#include "board/doctor.h"
#include "board/root_fs.h"
#include "board/setup.h"
#include "command.h"

namespace coralpi::cli {
namespace {

struct SetupFlags {
  std::string root = "/";
  std::string user;
  std::string patch_dtb;
  bool apply = false;
  bool undo = false;
};

void Print(const std::string& s) { std::fwrite(s.data(), 1, s.size(), stdout); }

void PrintSteps(const std::vector<std::string>& steps) {
  if (steps.empty()) return;
  Print("\nStill to do by hand, in order:\n");
  for (size_t i = 0; i < steps.size(); ++i) {
    Print("  " + std::to_string(i + 1) + ". " + steps[i] + "\n");
  }
}

int Undo(const board::RootFs& fs, const SetupFlags& f) {
  std::vector<std::string> extra;
  if (!f.patch_dtb.empty()) {
    Result<std::string> rel = board::PathInsideRoot(fs, f.patch_dtb);
    if (!rel.ok()) return ReportError(rel.error());
    size_t slash = rel->rfind('/');
    extra.push_back(slash == std::string::npos ? "" : rel->substr(0, slash));
  }
  Result<std::vector<std::string>> restored = board::UndoSetup(fs, extra);
  if (!restored.ok()) return ReportError(restored.error());
  for (const std::string& p : *restored) Print("restored " + p + "\n");
  return kExitOk;
}

int RunSetupCommand(const SetupFlags& f) {
  board::RootFs fs(f.root);
  if (!fs.IsDir("")) return ReportError(MakeError("--root " + f.root, "is not a directory"));
  if (f.undo) return Undo(fs, f);
  board::SetupOptions options;
  options.doctor.user = f.user.empty() ? board::DefaultTargetUser() : f.user;
  if (!f.patch_dtb.empty()) options.patch_dtb = f.patch_dtb;
  Result<board::SetupPlan> plan = board::PlanSetup(fs, options);
  if (!plan.ok()) return ReportError(WithContext("setup", plan.error()));

  Print("coralpi setup" + (fs.IsRealRoot() ? std::string() : " (root " + fs.root() + ")") + ": ");
  if (plan->changes.empty()) {
    Print("nothing to change; every file setup manages is already right.\n");
  } else {
    Print(std::to_string(plan->changes.size()) + " file(s) to change.\n");
    for (const board::FileChange& ch : plan->changes) {
      Print("\n# /" + ch.path + ": " + ch.summary + "\n" + board::RenderChange(ch));
    }
  }
  if (!plan->notes.empty()) {
    Print("\nNotes:\n");
    for (const std::string& n : plan->notes) Print("  - " + n + "\n");
  }
  if (!plan->changes.empty() && !f.apply) {
    Print(
        "\nNothing was written. Run again with --apply to write these changes (each file is "
        "backed up next to itself first).\n");
    PrintSteps(plan->manual_steps);
    return kExitProblems;
  }
  if (!plan->changes.empty()) {
    Result<std::vector<std::string>> backups = board::ApplySetup(fs, *plan, std::time(nullptr));
    if (!backups.ok()) return ReportError(backups.error());
    Print("\n");
    for (const std::string& b : *backups) Print("backup " + b + "\n");
    for (const board::FileChange& ch : plan->changes) Print("wrote " + fs.Path(ch.path) + "\n");
    Print("Undo with: coralpi setup --undo" +
          (fs.IsRealRoot() ? std::string() : " --root " + fs.root()) + "\n");
  }
  PrintSteps(plan->manual_steps);
  return kExitOk;
}

}  // namespace

RunFn AddSetupCommand(CLI::App& sub) {
  auto flags = std::make_shared<SetupFlags>();
  sub.add_option("--root", flags->root, "Work on the tree under DIR instead of this machine")
      ->capture_default_str();
  sub.add_option("--user", flags->user,
                 "Who should get access to the TPU (default: $SUDO_USER or you)");
  sub.add_option("--patch-dtb", flags->patch_dtb,
                 "Also set pcie1's msi-parent in this board .dtb (only for kernels without the "
                 "pineboards-hat-ai overlay)");
  auto* apply = sub.add_flag("--apply", flags->apply, "Write the changes (backups first)");
  sub.add_flag("--undo", flags->undo, "Restore the files from the latest backups")->excludes(apply);
  sub.footer(
      "Without --apply nothing is written. Exit status: 0 done or nothing to do, "
      "3 changes pending, 1 error, 2 usage.");
  return [flags] { return RunSetupCommand(*flags); };
}

}  // namespace coralpi::cli
