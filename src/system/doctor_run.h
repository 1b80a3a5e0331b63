// One doctor run as `coralpi doctor` and coralpi.doctor() do it: the checks of board/doctor.h
// with the kernel log (a file, or this machine's ring buffer) and, when libedgetpu is there,
// its own version and device list.
#pragma once

#include <string>

#include "board/doctor.h"
#include "core/result.h"

namespace coralpi {

struct DoctorRequest {
  std::string root = "/";
  std::string user;         // "" : $SUDO_USER, else $USER
  std::string dtb;          // also check this device tree blob's MSI routing
  std::string dmesg;        // read the kernel log from this file; "" : the ring buffer on "/"
  std::string edgetpu_lib;  // ask this libedgetpu; "" : the installed one, on this machine
};

// The report; an error when the root is not a directory, the dmesg file cannot be read, or an
// explicitly named libedgetpu does not load.
Result<board::Report> RunDoctorRequest(const DoctorRequest& request);

}  // namespace coralpi
