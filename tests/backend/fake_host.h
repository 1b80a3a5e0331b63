// Fake hosts for the Edge TPU tests: a temporary directory laid out like the parts of a
// machine's sysfs and /dev that Edge TPU discovery reads (PCIe TPUs with the apex driver,
// USB Accelerators), plus a tiny model holding an edgetpu-custom-op. Built by the tests.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/model.h"
#include "model/types.h"

namespace coralpi::testing {

// Sets (or, with nullptr, unsets) an environment variable for the life of the object.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::string old_;
  bool had_ = false;
};

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

// A node tensor an Edge TPU layer reads or writes: one batch of its values (NHWC: y = H, x = W,
// z = C; other ranks: all in z), in the layer type that matches its element type.
struct PayloadTensor {
  DataType type = DataType::kUInt8;
  Shape shape;
};

// An Edge TPU custom-op payload as the Edge TPU compiler lays it out: a FlexBuffer map whose
// key "4" holds a package with an EXECUTION_ONLY executable (`instruction_bytes` of
// instructions, layers for `inputs` and `outputs`, outputs tiled as one tile) and a
// PARAMETER_CACHING one (`parameter_bytes` of parameters). The default tensors are those of
// BuildEdgeTpuModel: uint8 [1, 8, 8, 3] in, uint8 [1, 16] out.
std::vector<uint8_t> MakeEdgeTpuPayload(size_t instruction_bytes, size_t parameter_bytes,
                                        const std::vector<PayloadTensor>& inputs = {},
                                        const std::vector<PayloadTensor>& outputs = {});

// The part of a plain (CPU) model that a compiled model's edgetpu-custom-op node stands for, for
// the fake TPU's twin runner (FAKE_EDGETPU_TWIN): the plain model with the node's output tensors
// as its outputs, found by name, type and shape (the Edge TPU compiler keeps tensor names), in the
// node's order. The node's inputs must be the plain model's inputs. Written to `path`.
Status WriteTpuPartTwin(const Model& compiled, const std::string& plain_path,
                        const std::string& path);

// input uint8 [1, 8, 8, 3] -> edgetpu-custom-op -> uint8 [1, 16], then
// `cpu_ops` RESHAPEs after the custom op (they stay on the CPU).
std::vector<uint8_t> BuildEdgeTpuModel(int cpu_ops = 1);

}  // namespace coralpi::testing
