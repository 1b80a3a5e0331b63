// Fake hosts for the Edge TPU tests: a temporary directory laid out like the parts of a
// machine's sysfs and /dev that Edge TPU discovery reads (PCIe TPUs with the apex driver,
// USB Accelerators), plus a tiny model holding an edgetpu-custom-op. Built by the tests.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace coralpi::testing {

class FakeHost {
 public:
  FakeHost();
  ~FakeHost();
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  const std::string& root() const { return root_; }
  std::string Path(const std::string& rel) const { return root_ + "/" + rel; }
  void Write(const std::string& rel, const std::string& content);
  void Symlink(const std::string& rel, const std::string& target);
  void Remove(const std::string& rel);

  struct Pcie {
    std::string address = "0000:01:00.0";
    std::string driver = "apex";  // "" for no driver bound
    std::string apex = "apex_0";  // "" for no apex class device
    std::string status = "ALIVE";
    bool dev_node = true;
    mode_t dev_mode = 0660;
    gid_t dev_gid = 4242;  // the apex group in etc/group
    long temp_millic = 47300;
  };
  void AddPcie(const Pcie& tpu);

  struct Usb {
    std::string name = "2-1";
    bool firmware_loaded = true;  // 18d1:9302, else 1a6e:089a
    int busnum = 2;
    int devnum = 3;
    bool dev_node = true;
    mode_t dev_mode = 0664;
    gid_t dev_gid = 4343;  // plugdev
  };
  void AddUsb(const Usb& tpu);

 private:
  std::string root_;
};

// An Edge TPU custom-op payload as the Edge TPU compiler lays it out: a FlexBuffer map whose
// key "4" holds a package with an EXECUTION_ONLY executable (`instruction_bytes` of
// instructions) and a PARAMETER_CACHING one (`parameter_bytes` of parameters).
std::vector<uint8_t> MakeEdgeTpuPayload(size_t instruction_bytes, size_t parameter_bytes);

// input uint8 [1, 8, 8, 3] -> edgetpu-custom-op -> uint8 [1, 16], then
// `cpu_ops` RESHAPEs after the custom op (they stay on the CPU).
std::vector<uint8_t> BuildEdgeTpuModel(int cpu_ops = 1);

}  // namespace coralpi::testing
