// coralpi setup: planning, applying and undoing; see setup.h.
#include "board/setup.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <map>

#include "board/doctor_context.h"
#include "board/group_file.h"
#include "board/unified_diff.h"
#include "core/file.h"

namespace coralpi::board {
namespace {

constexpr const char* kMarker = ".coralpi-";

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

std::string Join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : sep) + p;
  return out;
}

// config.txt: the lines the checks want, appended under [all].
void PlanConfig(const DoctorContext& c, const SetupOptions& options, SetupPlan& plan) {
  if (!c.pi5) {
    plan.notes.push_back("not a Raspberry Pi 5-family board: boot files left alone");
    return;
  }
  if (!c.config || !c.config_text) {
    plan.notes.push_back("config.txt not edited: " + c.config_error);
    return;
  }
  std::vector<std::string> add;
  std::vector<std::string> why;
  if (!PcieConfigured(c).value_or(false)) {
    // A dtparam read inside an overlay's scope may go to that overlay: close the scope first.
    const std::string& scope =
        c.config->lines().empty() ? std::string() : c.config->lines().back().overlay_scope;
    if (!scope.empty()) add.push_back("dtoverlay=");
    add.push_back("dtparam=pciex1");
    why.push_back("enable the PCIe connector");
  }
  if (!Kernel4kConfigured(c) && ConfiguredKernel(c) != "kernel8.img") {
    add.push_back("kernel=kernel8.img");
    why.push_back("boot the 4K-page kernel");
  }
  if (MsiOverlayConfigured(c).empty()) {
    std::string overlay = MsiOverlayToAdd(c);
    if (overlay == kHatAiOverlay) {
      add.push_back(std::string("dtoverlay=") + kHatAiOverlay);
    } else if (overlay == kCompatOverlay) {
      add.push_back(std::string("dtoverlay=") + kCompatOverlay + ",no-mip");
    } else if (!options.patch_dtb) {
      plan.notes.push_back(
          "no MSI overlay (pineboards-hat-ai.dtbo, pciex1-compat-pi5.dtbo) in " + c.boot +
          "/overlays: update the kernel package, or patch the board DTB with --patch-dtb");
    }
    if (!overlay.empty()) why.push_back("route PCIe MSIs to the port's own controller");
  }
  if (add.empty()) return;
  add.insert(add.begin(), "# Coral Edge TPU (added by coralpi setup)");
  FileChange ch;
  ch.path = c.BootFile("config.txt");
  ch.before = *c.config_text;
  ch.after = AppendConfigLines(ch.before, add);
  std::optional<std::string> last = c.config->LastSection();
  ch.summary = Join(why, ", ") + (last && *last != "all" ? " (after an [all] line)" : "");
  plan.changes.push_back(std::move(ch));
}

void PlanCmdline(const DoctorContext& c, SetupPlan& plan) {
  if (!c.pi5 || !c.cmdline_text) return;
  if (AspmOffConfigured(c).value_or(false)) return;
  Result<std::string> edited = AddKernelParam(*c.cmdline_text, "pcie_aspm=off");
  if (!edited.ok()) {
    plan.notes.push_back(c.BootFile("cmdline.txt") + " not edited: " + edited.error().message);
    return;
  }
  FileChange ch;
  ch.path = c.BootFile("cmdline.txt");
  ch.before = *c.cmdline_text;
  ch.after = *edited;
  ch.summary = "turn PCIe ASPM off";
  plan.changes.push_back(std::move(ch));
}

void PlanUdev(const DoctorContext& c, SetupPlan& plan) {
  if (!c.PcieExpected() || UdevRulePresent(c)) return;
  FileChange ch;
  ch.path = kUdevRulePath;
  Result<std::string> existing = c.fs.ReadText(ch.path);
  ch.created = !existing.ok();
  ch.before = existing.ok() ? *existing : "";
  ch.after = ch.before;
  if (!ch.after.empty() && ch.after.back() != '\n') ch.after += '\n';
  ch.after += std::string(kUdevRuleText) + "\n";
  ch.summary = "let the apex group open /dev/apex_N";
  plan.changes.push_back(std::move(ch));
}

void PlanAptSources(const DoctorContext& c, SetupPlan& plan) {
  std::map<std::string, std::vector<int>> stale;
  for (const AptSourceLine& s : CoralAptSources(c.fs)) {
    if (s.suite == "coral-edgetpu-stable") continue;
    if (s.deb822) {
      plan.notes.push_back("/" + s.file + ": remove suite '" + s.suite + "' by hand");
      continue;
    }
    stale[s.file].push_back(s.line);
  }
  for (const auto& [file, lines] : stale) {
    Result<std::string> text = c.fs.ReadText(file);
    if (!text.ok()) continue;
    FileChange ch;
    ch.path = file;
    ch.before = *text;
    int number = 1;
    size_t pos = 0;
    while (pos <= ch.before.size()) {
      if (std::find(lines.begin(), lines.end(), number) != lines.end()) {
        ch.after += "# disabled by coralpi setup (this suite no longer exists): ";
      }
      size_t nl = ch.before.find('\n', pos);
      if (nl == std::string::npos) {
        ch.after += ch.before.substr(pos);
        break;
      }
      ch.after += ch.before.substr(pos, nl - pos + 1);
      pos = nl + 1;
      ++number;
    }
    ch.summary = "disable Coral apt suites that no longer exist";
    plan.changes.push_back(std::move(ch));
  }
}

Status PlanPatchDtb(const RootFs& fs, const DoctorContext& c, const std::string& file,
                    SetupPlan& plan) {
  CORALPI_ASSIGN_OR_RETURN(std::string rel, PathInsideRoot(fs, file));
  std::string overlay = MsiOverlayToAdd(c);
  if (!overlay.empty()) {
    plan.notes.push_back(file + " not patched: " + overlay +
                         ".dtbo exists, and an overlay survives kernel updates; setup uses it "
                         "instead");
    return OkStatus();
  }
  CORALPI_ASSIGN_OR_RETURN(std::string blob, fs.ReadText(rel));
  Result<std::string> patched = PatchDtbMsiParent(blob);
  if (!patched.ok()) return WithContext(file, patched.error());
  if (*patched == blob) return OkStatus();
  Result<PcieMsiState> before = ReadDtbMsiState(blob);
  Result<PcieMsiState> after = ReadDtbMsiState(*patched);
  FileChange ch;
  ch.path = rel;
  ch.before = std::move(blob);
  ch.after = *std::move(patched);
  ch.binary = true;
  ch.summary = "set " + (after.ok() ? after->pcie_path : std::string("pcie1")) +
               " msi-parent to its own phandle" +
               (before.ok() && before->msi_parent && after.ok() && after->phandle
                    ? " (" + std::to_string(*before->msi_parent) + " -> " +
                          std::to_string(*after->phandle) + ")"
                    : "");
  plan.changes.push_back(std::move(ch));
  return OkStatus();
}

bool UserInPasswd(const std::string& passwd, const std::string& user) {
  return passwd.rfind(user + ":", 0) == 0 || passwd.find("\n" + user + ":") != std::string::npos;
}

// etc/group (and etc/gshadow when present): the apex group, created if needed, with `user`.
Status PlanAddUser(const RootFs& fs, const std::string& user, SetupPlan& plan) {
  const std::string where = "--add-user " + user;
  if (!ValidUserName(user)) return MakeError(where, "not a valid user name");
  if (user == "root") {
    plan.notes.push_back("--add-user root: root opens /dev/apex_N without the group");
    return OkStatus();
  }
  if (Result<std::string> passwd = fs.ReadText("etc/passwd");
      passwd.ok() && !UserInPasswd(*passwd, user)) {
    return MakeError(where, "no such user in " + fs.Path("etc/passwd"));
  }
  CORALPI_ASSIGN_OR_RETURN(std::string group, fs.ReadText("etc/group"));
  CORALPI_ASSIGN_OR_RETURN(unsigned gid, FreeSystemGid(group));
  bool exists = GroupMembers(group, "apex").has_value();
  std::string after = AddToGroupFile(group, "apex", user, gid);
  if (after == group) return OkStatus();
  std::string why = exists ? "add " + user + " to the apex group"
                           : "create the apex group (gid " + std::to_string(gid) + ") with " + user;
  plan.changes.push_back({"etc/group", group, after, false, false, why});
  if (!fs.Exists("etc/gshadow")) return OkStatus();
  Result<std::string> shadow = fs.ReadText("etc/gshadow");
  if (!shadow.ok()) {
    return MakeError(where, shadow.error().message + " (run setup with sudo)");
  }
  std::string shadow_after = AddToGshadowFile(*shadow, "apex", user);
  if (shadow_after != *shadow) {
    plan.changes.push_back({"etc/gshadow", *shadow, shadow_after, false, false, why});
  }
  return OkStatus();
}

// The driver: patched DKMS source files, the dkms commands, and what is left.
void PlanDriver(const RootFs& fs, SetupPlan& plan, std::vector<std::string>& steps) {
  DriverRepair driver = PlanDriverRepair(fs);
  plan.changes.insert(plan.changes.end(), driver.changes.begin(), driver.changes.end());
  plan.notes.insert(plan.notes.end(), driver.notes.begin(), driver.notes.end());
  plan.dkms = driver.dkms;
  steps = driver.manual_steps;
}

// doctor's steps after the plan, with setup's own driver steps in place of its dkms ones.
std::vector<std::string> ManualSteps(const RootFs& fs, const SetupPlan& plan,
                                     const std::vector<std::string>& driver_steps) {
  std::vector<std::string> steps;
  auto add = [&](const std::string& s) {
    if (std::find(steps.begin(), steps.end(), s) == steps.end()) steps.push_back(s);
  };
  for (const std::string& s : driver_steps) add(s);
  if (!fs.IsRealRoot()) {
    for (const DkmsCommand& d : plan.dkms) add("sudo " + CommandLine(d.argv));
  }
  // Kernels whose headers were missing get the driver when setup runs again.
  if (!driver_steps.empty()) add("sudo coralpi setup --apply");
  for (const std::string& s : plan.after.ManualSteps()) {
    if (s.rfind("sudo coralpi setup", 0) == 0) continue;
    if (!plan.dkms.empty() && s.rfind("sudo dkms ", 0) == 0) continue;
    if (s != "sudo reboot") add(s);
  }
  if (!plan.after.ManualSteps().empty() && plan.after.ManualSteps().back() == "sudo reboot") {
    add("sudo reboot");
  }
  return steps;
}

Error ErrnoError(const std::string& path, const std::string& what) {
  return MakeError(path, what + ": " + std::strerror(errno));
}

// Writes `content` to host path `path` atomically, then gives it the mode and owner of `like`
// (or `new_mode` for a new file). Mode and owner are best effort: the Pi's boot partition is
// FAT, which has neither.
Status WriteLike(const std::string& path, const std::string& content, const struct stat* like,
                 mode_t new_mode) {
  CORALPI_RETURN_IF_ERROR(WriteFileAtomic(path, content));
  if (like == nullptr) {
    (void)::chmod(path.c_str(), new_mode);
    return OkStatus();
  }
  (void)::chmod(path.c_str(), like->st_mode & 07777);
  struct stat now {};
  if (::stat(path.c_str(), &now) == 0 &&
      (now.st_uid != like->st_uid || now.st_gid != like->st_gid)) {
    (void)::chown(path.c_str(), like->st_uid, like->st_gid);
  }
  return OkStatus();
}

Status NeedPrivileges(const RootFs& fs) {
  if (fs.IsRealRoot() && ::geteuid() != 0) {
    return MakeError("setup",
                     "changing the running system's files needs root privileges; run it "
                     "with sudo (or pass --root DIR to work on a copy)");
  }
  return OkStatus();
}

}  // namespace

std::string BackupPath(const std::string& path, std::time_t now, const char* suffix) {
  std::tm tm{};
  ::localtime_r(&now, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
  return path + kMarker + stamp + suffix;
}

Result<std::string> PathInsideRoot(const RootFs& fs, const std::string& file) {
  char root_real[PATH_MAX], file_real[PATH_MAX];
  if (::realpath(fs.root().c_str(), root_real) == nullptr) {
    return ErrnoError(fs.root(), "cannot resolve the root");
  }
  if (::realpath(file.c_str(), file_real) == nullptr) return ErrnoError(file, "cannot resolve");
  std::string r = root_real, f = file_real;
  if (r == "/") return f.substr(1);
  if (f == r) return std::string();
  if (f.size() <= r.size() + 1 || f.compare(0, r.size(), r) != 0 || f[r.size()] != '/') {
    return MakeError(file, "is outside the root " + fs.root() + "; setup writes only inside it");
  }
  return f.substr(r.size() + 1);
}

Result<SetupPlan> PlanSetup(const RootFs& fs, const SetupOptions& options) {
  DoctorContext c = BuildContext(fs, options.doctor);
  SetupPlan plan;
  if (c.boot_is_stub) {
    plan.notes.push_back(
        "/boot/config.txt is the \"DO NOT EDIT\" stub and /boot/firmware is "
        "missing: boot files left alone");
  } else {
    PlanConfig(c, options, plan);
    PlanCmdline(c, plan);
  }
  PlanUdev(c, plan);
  PlanAptSources(c, plan);
  if (options.patch_dtb) CORALPI_RETURN_IF_ERROR(PlanPatchDtb(fs, c, *options.patch_dtb, plan));
  if (options.add_user) CORALPI_RETURN_IF_ERROR(PlanAddUser(fs, *options.add_user, plan));
  std::vector<std::string> driver_steps;
  PlanDriver(fs, plan, driver_steps);

  RootFs preview = fs;
  for (const FileChange& ch : plan.changes) preview.Override(ch.path, ch.after);
  plan.after = RunDoctor(preview, options.doctor);
  plan.manual_steps = ManualSteps(fs, plan, driver_steps);
  const CheckResult* group = plan.after.Find("access.group");
  if (!options.add_user && group != nullptr && group->status == CheckStatus::kFail) {
    std::string user = options.doctor.user.empty() ? "NAME" : options.doctor.user;
    plan.notes.push_back("the apex group: --add-user " + user + " creates it if needed and adds " +
                         user + " (or run the commands below)");
  }
  bool boot_changed =
      std::any_of(plan.changes.begin(), plan.changes.end(),
                  [&](const FileChange& ch) { return ch.path.rfind(c.boot + "/", 0) == 0; });
  if (boot_changed && std::find(plan.manual_steps.begin(), plan.manual_steps.end(),
                                "sudo reboot") == plan.manual_steps.end()) {
    plan.manual_steps.push_back("sudo reboot");
  }
  return plan;
}

std::string RenderChange(const FileChange& ch) {
  if (ch.binary) {
    return "Binary file /" + ch.path + ": " + ch.summary + " (" + std::to_string(ch.before.size()) +
           " -> " + std::to_string(ch.after.size()) + " bytes)\n";
  }
  return UnifiedDiff(ch.path, ch.before, ch.after, !ch.created);
}

Result<std::vector<std::string>> ApplySetup(const RootFs& fs, const SetupPlan& plan,
                                            std::time_t now) {
  CORALPI_RETURN_IF_ERROR(NeedPrivileges(fs));
  // Check everything before writing anything.
  std::vector<struct stat> stats(plan.changes.size());
  for (size_t i = 0; i < plan.changes.size(); ++i) {
    const FileChange& ch = plan.changes[i];
    std::string path = fs.Path(ch.path);
    std::string dir = Dirname(path).empty() ? "/" : Dirname(path);
    struct stat dst {};
    if (::stat(dir.c_str(), &dst) != 0 || !S_ISDIR(dst.st_mode)) {
      return MakeError(dir, "is not a directory; nothing was changed");
    }
    // A directory without write bits is refused even for root (who may write anyway).
    if (::access(dir.c_str(), W_OK) != 0 || (dst.st_mode & 0222) == 0) {
      return MakeError(dir, "is not writable; nothing was changed");
    }
    // Nothing is written outside the root, even through a symbolic link.
    if (Result<std::string> inside = PathInsideRoot(fs, dir); !inside.ok()) {
      return MakeError(inside.error().message, "nothing was changed");
    }
    struct stat lst {};
    if (::lstat(path.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode)) {
      return MakeError(path, "is a symbolic link; refusing to replace it, nothing was changed");
    }
    std::string backup = BackupPath(path, now, ch.created ? ".new" : ".bak");
    if (::access(backup.c_str(), F_OK) == 0) {
      return MakeError(backup, "already exists; nothing was changed");
    }
    if (ch.created) {
      if (fs.Exists(ch.path))
        return MakeError(path, "appeared since the plan; nothing was changed");
      continue;
    }
    if (::stat(path.c_str(), &stats[i]) != 0 || !S_ISREG(stats[i].st_mode)) {
      return MakeError(path, "is not a regular file; nothing was changed");
    }
    if (::access(path.c_str(), W_OK) != 0 || (stats[i].st_mode & 0222) == 0) {
      return MakeError(path, "is not writable; nothing was changed");
    }
    Result<std::string> current = ReadFileText(path);
    if (!current.ok() || *current != ch.before) {
      return MakeError(path, "changed since the plan; nothing was changed");
    }
  }
  std::vector<std::string> backups;
  auto remove_backups = [&] {
    for (const std::string& b : backups) ::unlink(b.c_str());
  };
  for (size_t i = 0; i < plan.changes.size(); ++i) {
    const FileChange& ch = plan.changes[i];
    std::string path = fs.Path(ch.path);
    std::string backup = BackupPath(path, now, ch.created ? ".new" : ".bak");
    Status s =
        WriteLike(backup, ch.created ? "" : ch.before, ch.created ? nullptr : &stats[i], 0600);
    if (!s.ok()) {
      remove_backups();
      return MakeError(backup,
                       "cannot write the backup (" + s.error().message + "); nothing was changed");
    }
    backups.push_back(backup);
  }
  for (size_t i = 0; i < plan.changes.size(); ++i) {
    const FileChange& ch = plan.changes[i];
    std::string path = fs.Path(ch.path);
    Status s = WriteLike(path, ch.after, ch.created ? nullptr : &stats[i], 0644);
    if (s.ok()) continue;
    // Put back what was already written, so the tree is as before.
    for (size_t j = 0; j <= i; ++j) {
      const FileChange& done = plan.changes[j];
      std::string p = fs.Path(done.path);
      if (done.created) {
        ::unlink(p.c_str());
      } else {
        (void)WriteLike(p, done.before, &stats[j], 0644);
      }
    }
    remove_backups();
    return MakeError(path, "cannot write (" + s.error().message + "); nothing was changed");
  }
  return backups;
}

Result<std::vector<std::string>> UndoSetup(const RootFs& fs,
                                           const std::vector<std::string>& extra_dirs) {
  CORALPI_RETURN_IF_ERROR(NeedPrivileges(fs));
  std::vector<std::string> dirs = {"boot/firmware",    "boot",    "etc",
                                   "etc/udev/rules.d", "etc/apt", "etc/apt/sources.list.d"};
  for (const GasketSource& src : FindGasketSources(fs)) dirs.push_back(src.dir);
  dirs.insert(dirs.end(), extra_dirs.begin(), extra_dirs.end());
  struct Backup {
    std::string dir, name, original;
    bool created;
  };
  std::map<std::string, std::vector<Backup>> by_stamp;
  for (const std::string& dir : dirs) {
    for (const std::string& name : fs.List(dir)) {
      size_t m = name.rfind(kMarker);
      if (m == std::string::npos || m == 0) continue;
      std::string rest = name.substr(m + std::string(kMarker).size());
      bool bak = rest.size() == 19 && rest.compare(15, 4, ".bak") == 0;
      bool created = rest.size() == 19 && rest.compare(15, 4, ".new") == 0;
      if (!bak && !created) continue;
      by_stamp[rest.substr(0, 15)].push_back({dir, name, name.substr(0, m), created});
    }
  }
  if (by_stamp.empty())
    return MakeError("setup --undo", "no coralpi backups found under " + fs.root());
  std::vector<Backup>& latest = by_stamp.rbegin()->second;
  std::vector<std::string> restored;
  for (const Backup& b : latest) {
    std::string backup = fs.Path(JoinPath(b.dir, b.name));
    std::string original = fs.Path(JoinPath(b.dir, b.original));
    if (b.created) {
      if (::unlink(original.c_str()) != 0 && errno != ENOENT) {
        return ErrnoError(original, "cannot remove the file setup created");
      }
    } else {
      CORALPI_ASSIGN_OR_RETURN(std::string content, ReadFileText(backup));
      struct stat st {};
      bool have = ::stat(original.c_str(), &st) == 0;
      if (!have && ::stat(backup.c_str(), &st) != 0) return ErrnoError(backup, "cannot stat");
      Status s = WriteLike(original, content, &st, 0644);
      if (!s.ok()) return s.error();
    }
    if (::unlink(backup.c_str()) != 0) return ErrnoError(backup, "cannot remove the backup");
    restored.push_back(original);
  }
  return restored;
}

}  // namespace coralpi::board
