// Live and offline device tree reading; see device_tree.h.
#include "board/device_tree.h"

extern "C" {
#include <libfdt.h>
}

#include <algorithm>

namespace coralpi::board {
namespace {

std::vector<std::string> SplitNul(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('\0', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string StripNul(std::string s) {
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

// Node paths tried when a tree carries no __symbols__ (both naming schemes in use).
const char* const kFallbackPciePaths[] = {"/axi/pcie@110000", "/axi/pcie@1000110000"};
const char* const kFallbackMipPaths[] = {"/axi/msi-controller@131000",
                                         "/axi/msi-controller@1000131000"};

Error FdtError(const std::string& what, int err) {
  return MakeError("dtb", what + ": " + fdt_strerror(err));
}

Result<const void*> CheckBlob(const std::string& dtb) {
  if (dtb.size() < sizeof(fdt_header)) return MakeError("dtb", "too short to be a device tree");
  const void* fdt = dtb.data();
  int err = fdt_check_header(fdt);
  if (err != 0) return FdtError("not a valid device tree", err);
  if (fdt_totalsize(fdt) > dtb.size()) return MakeError("dtb", "truncated device tree");
  return fdt;
}

std::optional<uint32_t> FdtU32(const void* fdt, int node, const char* name) {
  int len = 0;
  const void* p = fdt_getprop(fdt, node, name, &len);
  if (p == nullptr || len < 4) return std::nullopt;
  return BigEndianU32(std::string(static_cast<const char*>(p), 4));
}

// Resolves a label through /__symbols__, then the fallback paths.
int FdtFindNode(const void* fdt, std::initializer_list<const char*> labels,
                const char* const* fallbacks, size_t n_fallbacks, std::string* path) {
  int symbols = fdt_path_offset(fdt, "/__symbols__");
  for (const char* label : labels) {
    if (symbols < 0) break;
    int len = 0;
    const char* p = static_cast<const char*>(fdt_getprop(fdt, symbols, label, &len));
    if (p == nullptr || len <= 1) continue;
    std::string target = StripNul(std::string(p, static_cast<size_t>(len)));
    int node = fdt_path_offset(fdt, target.c_str());
    if (node >= 0) {
      *path = target;
      return node;
    }
  }
  for (size_t i = 0; i < n_fallbacks; ++i) {
    int node = fdt_path_offset(fdt, fallbacks[i]);
    if (node >= 0) {
      *path = fallbacks[i];
      return node;
    }
  }
  return -FDT_ERR_NOTFOUND;
}

// Resolves a label in a live tree: __symbols__/<label> holds the node path.
std::optional<std::string> LiveFind(const RootFs& fs, const std::string& dt_dir,
                                    std::initializer_list<const char*> labels,
                                    const char* const* fallbacks, size_t n_fallbacks) {
  for (const char* label : labels) {
    Result<std::string> v = fs.ReadText(JoinPath(dt_dir, std::string("__symbols__/") + label));
    if (!v.ok()) continue;
    std::string path = StripNul(*v);
    if (!path.empty() && fs.IsDir(JoinPath(dt_dir, path))) return path;
  }
  for (size_t i = 0; i < n_fallbacks; ++i) {
    if (fs.IsDir(JoinPath(dt_dir, fallbacks[i]))) return std::string(fallbacks[i]);
  }
  return std::nullopt;
}

std::optional<uint32_t> LiveU32(const RootFs& fs, const std::string& file) {
  Result<std::string> v = fs.ReadText(file);
  if (!v.ok()) return std::nullopt;
  return BigEndianU32(*v);
}

}  // namespace

BoardIdentity ReadBoardIdentity(const RootFs& fs) {
  BoardIdentity id;
  if (Result<std::string> m = fs.ReadText("proc/device-tree/model"); m.ok()) {
    id.model = StripNul(*m);
  }
  if (Result<std::string> c = fs.ReadText("proc/device-tree/compatible"); c.ok()) {
    id.compatible = SplitNul(*c);
  }
  auto has = [&](const char* s) {
    return std::find(id.compatible.begin(), id.compatible.end(), s) != id.compatible.end();
  };
  id.is_bcm2712 = has("brcm,bcm2712");
  if (has("raspberrypi,5-compute-module")) id.variant = PiModel::kCm5;
  if (has("raspberrypi,500")) id.variant = PiModel::kPi500;
  return id;
}

Result<PcieMsiState> ReadLiveMsiState(const RootFs& fs, const std::string& dt_dir) {
  if (!fs.IsDir(dt_dir)) return MakeError(fs.Path(dt_dir), "no running device tree");
  std::optional<std::string> pcie =
      LiveFind(fs, dt_dir, {"pcie1", "pciex1"}, kFallbackPciePaths, std::size(kFallbackPciePaths));
  if (!pcie) {
    return MakeError(fs.Path(dt_dir), "the external PCIe port (pcie1) is not in the device tree");
  }
  PcieMsiState s;
  s.pcie_path = *pcie;
  std::string node = JoinPath(dt_dir, *pcie);
  if (Result<std::string> st = fs.ReadText(JoinPath(node, "status")); st.ok()) {
    s.status = StripNul(*st);
  }
  s.msi_parent = LiveU32(fs, JoinPath(node, "msi-parent"));
  s.phandle = LiveU32(fs, JoinPath(node, "phandle"));
  if (!s.phandle) s.phandle = LiveU32(fs, JoinPath(node, "linux,phandle"));
  s.max_link_speed = LiveU32(fs, JoinPath(node, "max-link-speed"));
  if (std::optional<std::string> mip =
          LiveFind(fs, dt_dir, {"mip1"}, kFallbackMipPaths, std::size(kFallbackMipPaths))) {
    s.mip_path = *mip;
    s.mip_phandle = LiveU32(fs, JoinPath(JoinPath(dt_dir, *mip), "phandle"));
  }
  return s;
}

Result<PcieMsiState> ReadDtbMsiState(const std::string& dtb) {
  CORALPI_ASSIGN_OR_RETURN(const void* fdt, CheckBlob(dtb));
  PcieMsiState s;
  int node = FdtFindNode(fdt, {"pcie1", "pciex1"}, kFallbackPciePaths,
                         std::size(kFallbackPciePaths), &s.pcie_path);
  if (node < 0) return MakeError("dtb", "the external PCIe port (pcie1) is not in this tree");
  int len = 0;
  if (const char* st = static_cast<const char*>(fdt_getprop(fdt, node, "status", &len))) {
    s.status = StripNul(std::string(st, static_cast<size_t>(std::max(len, 0))));
  }
  s.msi_parent = FdtU32(fdt, node, "msi-parent");
  uint32_t ph = fdt_get_phandle(fdt, node);
  if (ph != 0) s.phandle = ph;
  s.max_link_speed = FdtU32(fdt, node, "max-link-speed");
  int mip =
      FdtFindNode(fdt, {"mip1"}, kFallbackMipPaths, std::size(kFallbackMipPaths), &s.mip_path);
  if (mip >= 0) {
    uint32_t mph = fdt_get_phandle(fdt, mip);
    if (mph != 0) s.mip_phandle = mph;
  }
  return s;
}

Result<std::string> PatchDtbMsiParent(const std::string& dtb) {
  CORALPI_ASSIGN_OR_RETURN(PcieMsiState before, ReadDtbMsiState(dtb));
  if (before.MsiFixed()) return dtb;
  std::string out(dtb.size() + 256, '\0');
  int err = fdt_open_into(dtb.data(), out.data(), static_cast<int>(out.size()));
  if (err != 0) return FdtError("cannot open for editing", err);
  void* fdt = out.data();
  std::string path;
  int node = FdtFindNode(fdt, {"pcie1", "pciex1"}, kFallbackPciePaths,
                         std::size(kFallbackPciePaths), &path);
  if (node < 0) return MakeError("dtb", "the external PCIe port (pcie1) is not in this tree");
  uint32_t ph = fdt_get_phandle(fdt, node);
  if (ph == 0) {
    err = fdt_generate_phandle(fdt, &ph);
    if (err != 0) return FdtError("cannot allocate a phandle", err);
    // fdt_generate_phandle does not move nodes, but setprop may; look the node up again.
    err = fdt_setprop_u32(fdt, node, "phandle", ph);
    if (err != 0) return FdtError("cannot add a phandle to " + path, err);
    node = fdt_path_offset(fdt, path.c_str());
    if (node < 0) return FdtError("lost " + path, node);
  }
  err = fdt_setprop_u32(fdt, node, "msi-parent", ph);
  if (err != 0) return FdtError("cannot set msi-parent on " + path, err);
  err = fdt_pack(fdt);
  if (err != 0) return FdtError("cannot pack", err);
  out.resize(fdt_totalsize(fdt));
  return out;
}

Result<std::vector<std::string>> OverlayParameterNames(const std::string& dtbo) {
  CORALPI_ASSIGN_OR_RETURN(const void* fdt, CheckBlob(dtbo));
  std::vector<std::string> names;
  int node = fdt_path_offset(fdt, "/__overrides__");
  if (node < 0) return names;
  int prop;
  fdt_for_each_property_offset(prop, fdt, node) {
    const char* name = nullptr;
    int len = 0;
    if (fdt_getprop_by_offset(fdt, prop, &name, &len) != nullptr && name != nullptr) {
      names.emplace_back(name);
    }
  }
  return names;
}

}  // namespace coralpi::board
