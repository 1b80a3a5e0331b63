// coralpi.devices() and coralpi.doctor(): the system layer's reports as the JSON text the CLI's
// --json prints (coralpi/__init__.py returns it as dicts), so the two never differ.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>

#include "board/report_format.h"
#include "py_errors.h"
#include "system/devices_report.h"
#include "system/doctor_run.h"

namespace coralpi::python {

namespace py = pybind11;

namespace {

std::string DevicesJson(const std::string& root, const std::string& edgetpu_lib) {
  Result<DevicesReport> report = [&] {
    py::gil_scoped_release release;  // libedgetpu may take a moment to enumerate
    return ScanDevices({root, edgetpu_lib, ""});
  }();
  return DevicesToJson(ValueOrThrow(std::move(report))).dump();
}

std::string DoctorJson(const DoctorRequest& request) {
  Result<board::Report> report = [&] {
    py::gil_scoped_release release;
    return RunDoctorRequest(request);
  }();
  return board::ReportToJson(ValueOrThrow(std::move(report)));
}

}  // namespace

void BindSystem(py::module_& m) {
  m.def("_devices_json", &DevicesJson, py::arg("root"), py::arg("edgetpu_lib"));
  m.def(
      "_doctor_json",
      [](const std::string& root, const std::string& user, const std::string& dtb,
         const std::string& dmesg, const std::string& edgetpu_lib) {
        return DoctorJson({root, user, dtb, dmesg, edgetpu_lib});
      },
      py::arg("root"), py::arg("user"), py::arg("dtb"), py::arg("dmesg"), py::arg("edgetpu_lib"));
}

}  // namespace coralpi::python
