// Planning the driver repair over a root, and running dkms; see driver_repair.h.
#include "board/driver_repair.h"

#include <algorithm>
#include <set>

namespace coralpi::board {
namespace {

bool HasPrefix(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

// Finds "<name>.ko" or "<name>.ko.{xz,zst,gz}" anywhere below `dir` (a few levels deep).
bool FindModule(const RootFs& fs, const std::string& dir, const std::string& name, int depth) {
  for (const std::string& entry : fs.List(dir)) {
    if (entry == name + ".ko" || entry == name + ".ko.xz" || entry == name + ".ko.zst" ||
        entry == name + ".ko.gz") {
      return true;
    }
    if (depth > 0 && entry != "build" && entry != "source" && fs.IsDir(JoinPath(dir, entry)) &&
        FindModule(fs, JoinPath(dir, entry), name, depth - 1)) {
      return true;
    }
  }
  return false;
}

// A KEY="value" (or KEY=value) line of dkms.conf.
std::optional<std::string> DkmsConfValue(const std::string& conf, const std::string& key) {
  size_t pos = 0;
  while (pos < conf.size()) {
    size_t nl = conf.find('\n', pos);
    std::string line = conf.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? conf.size() : nl + 1;
    if (!HasPrefix(line, key + "=")) continue;
    std::string v = line.substr(key.size() + 1);
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    return v;
  }
  return std::nullopt;
}

// The source files the fixes touch, each once, in the table's order.
std::vector<std::string> FixFiles() {
  std::vector<std::string> files;
  for (const GasketFix& f : GasketFixes()) {
    if (std::find(files.begin(), files.end(), f.file) == files.end()) files.push_back(f.file);
  }
  return files;
}

std::vector<KernelVersion> Versions(const std::vector<std::string>& releases) {
  std::vector<KernelVersion> out;
  for (const std::string& r : releases) {
    if (std::optional<KernelVersion> v = ParseKernelRelease(r)) out.push_back(*v);
  }
  return out;
}

// "'.llseek = no_llseek,' becomes '.llseek = noop_llseek,' (Linux 6.12+)" for each fix that
// changes `before` for these kernels.
std::string DescribeFixes(const std::string& file, const std::string& before,
                          const std::vector<KernelVersion>& kernels) {
  std::string out;
  for (const GasketFix& f : GasketFixes()) {
    if (file != f.file || StateOf(before, f) != FixState::kNeeded) continue;
    Result<std::string> one = ApplyGasketFix(before, f, kernels);
    if (!one.ok() || *one == before) continue;
    out += (out.empty() ? "" : "; ") + std::string("'") + f.old_line + "' becomes '" + f.new_line +
           "' (Linux " + f.since.ToString() + "+)";
  }
  return out;
}

// The patched files of one source, or a note saying why none of them is patched.
Result<std::vector<FileChange>> PatchSource(const RootFs& fs, const GasketSource& src,
                                            const std::vector<KernelVersion>& kernels) {
  std::vector<FileChange> changes;
  for (const std::string& file : FixFiles()) {
    std::string path = JoinPath(src.dir, file);
    Result<std::string> text = fs.ReadText(path);
    if (!text.ok()) {
      return MakeError("/" + path,
                       "missing or unreadable: the driver source is incomplete "
                       "(reinstall gasket-dkms); nothing in /" +
                           src.dir + " was patched");
    }
    Result<std::string> patched = PatchGasketFile(file, *text, kernels);
    if (!patched.ok()) {
      return MakeError("/" + src.dir,
                       patched.error().message + "; nothing in /" + src.dir + " was patched");
    }
    if (*patched == *text) continue;
    FileChange ch;
    ch.path = path;
    ch.before = *text;
    ch.after = *patched;
    ch.summary =
        "build the driver on the installed kernels: " + DescribeFixes(file, *text, kernels);
    changes.push_back(std::move(ch));
  }
  return changes;
}

bool BuiltInDkms(const RootFs& fs, const GasketSource& src, const std::string& kernel) {
  std::string dir = "var/lib/dkms/" + src.module + "/" + src.version + "/" + kernel;
  return FindModule(fs, dir, "apex", 3) && FindModule(fs, dir, "gasket", 3);
}

// dkms add (when the module is not registered), then build and install per kernel.
void PlanDkms(const RootFs& fs, const GasketSource& src, const std::vector<std::string>& kernels,
              DriverRepair& out) {
  std::string mv = src.module + "/" + src.version;
  if (!fs.IsDir("var/lib/dkms/" + mv)) {
    out.dkms.push_back({"", {"dkms", "add", "-m", src.module, "-v", src.version}});
  }
  for (const std::string& k : kernels) {
    if (ModulesBuiltFor(fs, k)) continue;
    if (!KernelHeadersInstalled(fs, k)) {
      std::string pkg = KernelHeadersPackage(k);
      out.notes.push_back("kernel " + k + " still lacks its headers (/lib/modules/" + k +
                          "/build): the driver cannot be built for it; install " + pkg +
                          ", then run coralpi setup --apply again");
      std::string step = "sudo apt-get install dkms " + pkg;
      if (std::find(out.manual_steps.begin(), out.manual_steps.end(), step) ==
          out.manual_steps.end()) {
        out.manual_steps.push_back(step);
      }
      continue;
    }
    if (!BuiltInDkms(fs, src, k)) {
      out.dkms.push_back({k, {"dkms", "build", "-m", src.module, "-v", src.version, "-k", k}});
    }
    out.dkms.push_back({k, {"dkms", "install", "-m", src.module, "-v", src.version, "-k", k}});
  }
}

}  // namespace

std::vector<GasketSource> FindGasketSources(const RootFs& fs) {
  std::vector<GasketSource> out;
  for (const std::string& name : fs.List("usr/src")) {
    if (!HasPrefix(name, "gasket-") || !fs.IsDir("usr/src/" + name)) continue;
    GasketSource src;
    src.dir = "usr/src/" + name;
    src.version = name.substr(7);
    if (Result<std::string> conf = fs.ReadText(src.dir + "/dkms.conf"); conf.ok()) {
      src.module = DkmsConfValue(*conf, "PACKAGE_NAME").value_or(src.module);
      src.version = DkmsConfValue(*conf, "PACKAGE_VERSION").value_or(src.version);
    }
    out.push_back(std::move(src));
  }
  return out;
}

std::vector<std::string> InstalledKernels(const RootFs& fs) {
  std::vector<std::string> out;
  for (const std::string& name : fs.List("lib/modules")) {
    std::string dir = "lib/modules/" + name;
    if (fs.IsDir(dir + "/kernel") || fs.Exists(dir + "/modules.dep")) out.push_back(name);
  }
  return out;
}

bool ModulesBuiltFor(const RootFs& fs, const std::string& release) {
  std::string dir = "lib/modules/" + release;
  return FindModule(fs, dir, "apex", 6) && FindModule(fs, dir, "gasket", 6);
}

bool KernelHeadersInstalled(const RootFs& fs, const std::string& release) {
  std::string build = "lib/modules/" + release + "/build";
  std::optional<std::string> link = fs.ReadLink(build);
  if (link && !link->empty() && link->front() == '/') return fs.IsDir(*link);
  return fs.IsDir(build);
}

std::string KernelHeadersPackage(const std::string& release) {
  size_t rpt = release.find("+rpt-");
  if (rpt != std::string::npos) return "linux-headers-" + release.substr(rpt + 5);
  return "linux-headers-" + release;
}

std::optional<FixState> InstalledFixState(const RootFs& fs, const GasketFix& fix) {
  for (const GasketSource& src : FindGasketSources(fs)) {
    if (Result<std::string> text = fs.ReadText(JoinPath(src.dir, fix.file)); text.ok()) {
      return StateOf(*text, fix);
    }
  }
  return std::nullopt;
}

DriverRepair PlanDriverRepair(const RootFs& fs) {
  DriverRepair out;
  std::vector<GasketSource> sources = FindGasketSources(fs);
  if (sources.empty()) return out;
  std::vector<std::string> kernels = InstalledKernels(fs);
  if (kernels.empty()) {
    out.notes.push_back("no installed kernel in /lib/modules: the driver source was left alone");
    return out;
  }
  std::vector<KernelVersion> versions = Versions(kernels);
  std::vector<const GasketSource*> usable;
  for (const GasketSource& src : sources) {
    Result<std::vector<FileChange>> changes = PatchSource(fs, src, versions);
    if (!changes.ok()) {
      out.notes.push_back(changes.error().message);
      continue;
    }
    out.changes.insert(out.changes.end(), changes->begin(), changes->end());
    usable.push_back(&src);
  }
  if (usable.size() > 1) {
    out.notes.push_back(
        "several gasket sources in /usr/src: build the one you want with dkms "
        "by hand");
  } else if (usable.size() == 1) {
    PlanDkms(fs, *usable.front(), kernels, out);
  }
  return out;
}

std::vector<DkmsOutcome> RunDkms(const std::vector<DkmsCommand>& commands, CommandRunner& runner) {
  std::vector<DkmsOutcome> out;
  std::set<std::string> failed;  // kernels whose build failed ("" = dkms add)
  for (const DkmsCommand& c : commands) {
    DkmsOutcome o;
    o.command = c;
    if (failed.count(c.kernel) != 0 || failed.count("") != 0) {
      o.error =
          "skipped: an earlier step for " + (c.kernel.empty() ? "dkms" : c.kernel) + " failed";
      out.push_back(std::move(o));
      continue;
    }
    Result<CommandResult> r = runner.Run(c.argv);
    if (!r.ok()) {
      o.error = r.error().message;
    } else {
      o.ran = true;
      o.exit_code = r->exit_code;
      o.output = r->output;
      if (r->exit_code != 0) o.error = "exit status " + std::to_string(r->exit_code);
    }
    if (!o.ok()) failed.insert(c.kernel);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace coralpi::board
