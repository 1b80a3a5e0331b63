// Seeds for the boot-file parsers: config.txt with every line kind the parser tells apart
// (sections and their filters, dtoverlay scopes, includes, comments, CRLF endings) and
// cmdline.txt with quotes, tabs, "--" and the parameters coralpi edits.
#include "seeds.h"

namespace coralpi::fuzz {

std::vector<Seed> ConfigTxtSeeds(const std::string&) {
  return {
      TextSeed("sections.txt",
               "# boot\ndtparam=audio=on\n[pi4]\narm_boost=1\n[pi5]\nkernel=kernel8.img\n"
               "dtparam=pciex1\ndtparam=pciex1_gen=3\n[cm5]\notg_mode=1\n[all]\n"),
      TextSeed("overlays.txt",
               "dtoverlay=pineboards-hat-ai\ndtparam=pciex1\ndtoverlay=pciex1-compat-pi5,no-mip\n"
               "dtoverlay=\ndtparam=i2c_arm=on,spi=off\ndtoverlay=vc4-kms-v3d,cma-512\n"),
      TextSeed("filters.txt",
               "[none]\nkernel=a.img\n[pi5][cm5]\nkernel=b.img\n[board-type=0x17]\n"
               "[0xd8000000]\n[EDID=VSC-TD2220]\n[gpio4=1]\n[tryboot]\n[all]\ninclude extra.txt\n"),
      TextSeed("crlf.txt", "kernel=kernel_2712.img\r\n[all]\r\ndtparam=pciex1\r\n# no newline"),
      TextSeed("odd.txt", "  spaced = value  \n=novalue\nnokey=\n[\n]\n[pi5\n\t\n#\n=\n"),
  };
}

std::vector<Seed> CmdlineTxtSeeds(const std::string&) {
  return {
      TextSeed("stock.txt",
               "console=serial0,115200 console=tty1 root=PARTUUID=00-02 rootfstype=ext4 "
               "fsck.repair=yes rootwait\n"),
      TextSeed("aspm.txt", "pcie_aspm=off rootwait quiet\n"),
      TextSeed("init.txt", "root=/dev/mmcblk0p2 pcie_aspm=on -- single init=/bin/sh\n"),
      TextSeed("quotes.txt", "dyndbg=\"file a.c +p\"\tpcie_aspm \"un closed\n"),
      TextSeed("two_lines.txt", "rootwait\npcie_aspm=off\n"),
      TextSeed("crlf.txt", "rootwait quiet\r\n"),
  };
}

}  // namespace coralpi::fuzz
