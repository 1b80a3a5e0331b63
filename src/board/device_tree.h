// Device trees: the running tree under proc/device-tree and offline .dtb files (through
// libfdt). The Pi 5's external PCIe port (label pcie1 / pciex1) and its MSI controller (mip1)
// are resolved through __symbols__, never through hard-coded paths or phandles: both
// /axi/pcie@110000 and /axi/pcie@1000110000 naming exist.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "board/config_txt.h"
#include "core/result.h"
#include "host/root_fs.h"

namespace coralpi::board {

struct BoardIdentity {
  std::string model;                    // "Raspberry Pi 5 Model B Rev 1.0", "" if unknown
  std::vector<std::string> compatible;  // root node's compatible list
  bool is_bcm2712 = false;              // a Pi 5-family board
  PiModel variant = PiModel::kPi5;
};

// Reads proc/device-tree/{model,compatible}. A missing tree is an identity with no fields.
BoardIdentity ReadBoardIdentity(const RootFs& fs);

// The external PCIe port's MSI routing and state, from a live tree or a .dtb.
struct PcieMsiState {
  std::string pcie_path;              // "/axi/pcie@110000"
  std::string mip_path;               // "/axi/msi-controller@131000", "" if not found
  std::optional<std::string> status;  // "okay", "disabled"; nullopt when the property is absent
  std::optional<uint32_t> msi_parent;
  std::optional<uint32_t> phandle;      // the port's own phandle
  std::optional<uint32_t> mip_phandle;  // mip1's phandle
  std::optional<uint32_t> max_link_speed;

  bool Enabled() const { return !status || *status == "okay" || *status == "ok"; }
  // msi-parent points at the port itself (its own MSI controller with 32 vectors).
  bool MsiFixed() const { return msi_parent && phandle && *msi_parent == *phandle; }
  bool MsiOnMip() const { return msi_parent && mip_phandle && *msi_parent == *mip_phandle; }
};

// Reads the running tree under `dt_dir` (normally "proc/device-tree").
Result<PcieMsiState> ReadLiveMsiState(const RootFs& fs,
                                      const std::string& dt_dir = "proc/device-tree");

// Reads a flattened device tree blob.
Result<PcieMsiState> ReadDtbMsiState(const std::string& dtb);

// Returns a copy of `dtb` whose pcie1 msi-parent is pcie1's own phandle (adding a phandle
// property when the node has none). Unchanged when already fixed.
Result<std::string> PatchDtbMsiParent(const std::string& dtb);

// The names of an overlay's parameters: the properties of its __overrides__ node.
Result<std::vector<std::string>> OverlayParameterNames(const std::string& dtbo);

}  // namespace coralpi::board
