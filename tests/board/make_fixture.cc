// board_make_fixture: writes one of the test suite's fake machine trees to a directory, so the
// doctor/setup acceptance steps can be run by hand:
//   board_make_fixture stock /tmp/pi5 && coralpi doctor --root /tmp/pi5
// "trixie" is Raspberry Pi OS trixie with gasket-dkms 1.0-18 failed to build on 6.12.47
// ("trixie-6.13": the same on 6.13.12), for `coralpi setup --root DIR --apply`.
// "two-tpus" is two PCIe TPUs around the thermal trip points, one throttled (apex_health_tree.h):
//   board_make_fixture two-tpus /tmp/tpus && coralpi devices --root /tmp/tpus
#include <cstdio>
#include <filesystem>
#include <string>

#include "apex_health_tree.h"
#include "fake_tree.h"

int main(int argc, char** argv) {
  using namespace coralpi::board::testing;
  if (argc != 3) {
    std::fprintf(stderr,
                 "usage: board_make_fixture stock|working|x86|trixie|trixie-6.13|two-tpus DIR\n");
    return 2;
  }
  const std::string kind = argv[1];
  FakeTree tree;
  if (kind == "stock") BuildStockPi5(tree);
  else if (kind == "working") BuildWorkingPi5(tree);
  else if (kind == "x86") BuildX86Host(tree);
  else if (kind == "trixie") BuildTrixiePi5(tree);
  else if (kind == "trixie-6.13") BuildTrixiePi5(tree, "6.13.12");
  else if (kind == "two-tpus") BuildTwoApexTpus(tree);
  else {
    std::fprintf(stderr, "board_make_fixture: unknown tree \"%s\"\n", kind.c_str());
    return 2;
  }
  std::error_code ec;
  std::filesystem::create_directories(argv[2], ec);
  std::filesystem::copy(tree.root(), argv[2],
                        std::filesystem::copy_options::recursive |
                            std::filesystem::copy_options::copy_symlinks |
                            std::filesystem::copy_options::overwrite_existing,
                        ec);
  if (ec) {
    std::fprintf(stderr, "board_make_fixture: %s: %s\n", argv[2], ec.message().c_str());
    return 1;
  }
  return 0;
}
