// Fake machine trees for the board tests: a temporary directory laid out like the root of a
// Raspberry Pi 5 (proc, sys, boot/firmware, etc, var, lib, dev), built by the tests themselves.
// DTBs are compiled from the .dts fixtures with dtc at test time.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace coralpi::board::testing {

class FakeTree {
 public:
  FakeTree();
  ~FakeTree();
  FakeTree(const FakeTree&) = delete;
  FakeTree& operator=(const FakeTree&) = delete;

  const std::string& root() const { return root_; }
  std::string Path(const std::string& rel) const { return root_ + "/" + rel; }

  // Writes a file, creating its directories.
  void Write(const std::string& rel, const std::string& content);
  void Mkdir(const std::string& rel);
  void Symlink(const std::string& rel, const std::string& target);
  void Remove(const std::string& rel);  // a file, link or whole directory
  std::string Read(const std::string& rel) const;
  bool Exists(const std::string& rel) const;
  // Compiles tests/board/fixtures/<fixture> with dtc into `rel`.
  void CompileDts(const std::string& fixture, const std::string& rel, bool symbols = true);
  // Every regular file and link under the root with its bytes (links as "-> target").
  std::map<std::string, std::string> Snapshot() const;
  // Copies the whole tree into a new FakeTree.
  void CopyTo(FakeTree& other) const;

 private:
  std::string root_;
};

// Four big-endian bytes, as device tree cells appear in /proc/device-tree.
std::string Cell(uint32_t v);

// A stock Raspberry Pi OS bookworm Pi 5 with a Coral on a Hat AI!, nothing set up: the 16K
// kernel runs, the PCIe port is off, no driver, runtime, udev rule or group.
void BuildStockPi5(FakeTree& t);

// The same machine with every step done: everything doctor checks passes.
void BuildWorkingPi5(FakeTree& t);

// An x86 PC without device tree, boot partition or TPU.
void BuildX86Host(FakeTree& t);

// A Pi 5 on Raspberry Pi OS trixie: kernels <version>+rpt-rpi-2712 (running, with headers) and
// <version>+rpt-rpi-v8 (no headers), gasket-dkms 1.0-18 from Coral's repository installed in
// usr/src/gasket-1.0 (kGasket* below) and failed to build (DKMS make.log with the compiler's
// errors for that kernel), nothing else set up.
void BuildTrixiePi5(FakeTree& t, const std::string& version = "6.12.47");

// Excerpts of gasket-dkms 1.0-18's source around the lines newer kernels reject.
extern const char* const kGasketCoreC;
extern const char* const kGasketInterruptC;
extern const char* const kGasketPageTableC;

// The stock bookworm config.txt and cmdline.txt (pi-gen, stage1/00-boot-files).
extern const char* const kStockConfigTxt;
extern const char* const kStockCmdlineTxt;

}  // namespace coralpi::board::testing
