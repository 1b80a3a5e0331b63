// coralpi setup: fixes what software can fix in the Pi 5 + Coral setup (see src/board/setup.h).
// Without --apply it only shows the diff and the dkms commands; --apply backs up and writes, then
// (on this machine only) runs dkms; --undo restores the latest backups. What it cannot do is
// printed as exact commands, in order.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>

#include "board/command_runner.h"
#include "board/doctor.h"
#include "board/driver_repair.h"
#include "board/setup.h"
#include "command.h"
#include "host/root_fs.h"

namespace coralpi::cli {
namespace {

struct SetupFlags {
  std::string root = "/";
  std::string user;
  std::string patch_dtb;
  std::string add_user;
  bool add_user_given = false;
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
  bool driver = false;
  for (const std::string& p : *restored) {
    Print("restored " + p + "\n");
    driver = driver || p.find("/usr/src/gasket-") != std::string::npos;
  }
  if (driver) {
    Print(
        "Driver modules dkms built from the patched source, if any, stay installed ('sudo "
        "dkms remove gasket/<version> --all' removes them).\n");
  }
  return kExitOk;
}

// The last `n` lines of a command's output, indented.
std::string Tail(const std::string& out, int n) {
  size_t pos = out.size();
  if (pos > 0 && out[pos - 1] == '\n') --pos;
  for (int i = 0; i < n && pos != std::string::npos && pos > 0; ++i) pos = out.rfind('\n', pos - 1);
  std::string tail = out.substr(pos == std::string::npos ? 0 : pos + 1);
  std::string indented;
  size_t start = 0;
  while (start < tail.size()) {
    size_t nl = tail.find('\n', start);
    indented += "    " +
                tail.substr(start, nl == std::string::npos ? std::string::npos : nl - start) + "\n";
    start = nl == std::string::npos ? tail.size() : nl + 1;
  }
  return indented;
}

void PrintDkmsPlan(const board::RootFs& fs, const board::SetupPlan& plan) {
  if (plan.dkms.empty()) return;
  Print(fs.IsRealRoot() ? "\nThen, to build the driver:\n"
                        : "\nTo build the driver (not run here: the root is " + fs.root() +
                              ", not this machine; see the steps below):\n");
  for (const board::DkmsCommand& d : plan.dkms) Print("  " + board::CommandLine(d.argv) + "\n");
}

// Runs the dkms commands on this machine; false when one failed.
bool RunDkms(const board::SetupPlan& plan) {
  if (::geteuid() != 0) {
    ReportError(MakeError("setup",
                          "building the driver with dkms needs root privileges; run it "
                          "with sudo"));
    return false;
  }
  board::SystemCommandRunner runner("/");
  bool ok = true;
  Print("\n");
  for (const board::DkmsOutcome& o : board::RunDkms(plan.dkms, runner)) {
    std::string line = board::CommandLine(o.command.argv);
    if (o.ok()) {
      Print("ran " + line + ": ok\n");
      continue;
    }
    ok = false;
    Print("ran " + line + ": " + o.error + "\n" + Tail(o.output, 8));
  }
  if (!ok) {
    std::fprintf(stderr,
                 "coralpi: error: setup: dkms: a build failed; see "
                 "/var/lib/dkms/<module>/<version>/build/make.log (coralpi doctor names the "
                 "cause)\n");
  }
  return ok;
}

int RunSetupCommand(const SetupFlags& f) {
  board::RootFs fs(f.root);
  if (!fs.IsDir("")) return ReportError(MakeError("--root " + f.root, "is not a directory"));
  if (f.undo) return Undo(fs, f);
  board::SetupOptions options;
  options.doctor.user = f.user.empty() ? board::DefaultTargetUser() : f.user;
  if (!f.patch_dtb.empty()) options.patch_dtb = f.patch_dtb;
  if (f.add_user_given) {
    const char* sudo_user = std::getenv("SUDO_USER");
    options.add_user = !f.add_user.empty() ? f.add_user : sudo_user ? sudo_user : "";
    if (options.add_user->empty()) {
      return ReportError(MakeError("--add-user", "no user named and SUDO_USER is not set"));
    }
  }
  Result<board::SetupPlan> plan = board::PlanSetup(fs, options);
  if (!plan.ok()) return ReportError(WithContext("setup", plan.error()));

  Print("coralpi setup" + (fs.IsRealRoot() ? std::string() : " (root " + fs.root() + ")") + ": ");
  bool run_dkms = !plan->dkms.empty() && fs.IsRealRoot();
  if (plan->changes.empty()) {
    Print("nothing to change; every file setup manages is already right.\n");
  } else {
    Print(std::to_string(plan->changes.size()) + " file(s) to change.\n");
    for (const board::FileChange& ch : plan->changes) {
      Print("\n# /" + ch.path + ": " + ch.summary + "\n" + board::RenderChange(ch));
    }
  }
  PrintDkmsPlan(fs, *plan);
  if (!plan->notes.empty()) {
    Print("\nNotes:\n");
    for (const std::string& n : plan->notes) Print("  - " + n + "\n");
  }
  if ((!plan->changes.empty() || run_dkms) && !f.apply) {
    Print(
        "\nNothing was written or run. Run again with --apply to write these changes (each file "
        "is backed up next to itself first) and run the commands.\n");
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
  bool built = !run_dkms || RunDkms(*plan);
  PrintSteps(plan->manual_steps);
  return built ? kExitOk : kExitError;
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
  auto* add_user = sub.add_option("--add-user", flags->add_user,
                                  "Create the apex group if needed and add NAME to it (default: "
                                  "$SUDO_USER)")
                       ->expected(0, 1);
  auto* apply = sub.add_flag("--apply", flags->apply,
                             "Write the changes (backups first), then build the driver with dkms");
  sub.add_flag("--undo", flags->undo, "Restore the files from the latest backups")->excludes(apply);
  sub.footer(
      "Without --apply nothing is written. Exit status: 0 done or nothing to do, "
      "3 changes pending, 1 error, 2 usage.");
  return [flags, add_user] {
    flags->add_user_given = add_user->count() > 0;
    return RunSetupCommand(*flags);
  };
}

}  // namespace coralpi::cli
