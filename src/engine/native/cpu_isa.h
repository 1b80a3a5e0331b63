// CpuIsa: which of the engine's own x86-64 kernel sets this CPU can run, detected once with
// CPUID and XGETBV (the OS must save the wider registers), and a limit that tests, benchmarks
// and users can lower to force an older path on a newer CPU.
//
// The levels are ordered: each one includes what the ones before it need.
//   kNone        no own kernels (XNNPACK and the reference kernels run everything)
//   kAvx512Vnni  AVX-512 F/BW/VL/DQ with VNNI (Ice Lake and later Xeons, AMD Zen 4 and later)
//   kAmx         kAvx512Vnni and AMX-INT8 tiles, granted by the kernel (Sapphire Rapids)
// The limit comes from the environment variable CORALPI_X86_ISA (none, avx512vnni, amx) when
// set, else SetIsaLimit, else no limit. On other architectures everything is kNone.
#pragma once

#include <optional>
#include <string>

namespace coralpi::native {

enum class CpuIsa { kNone = 0, kAvx512Vnni = 1, kAmx = 2 };

const char* CpuIsaName(CpuIsa isa);  // "none", "avx512vnni", "amx"
std::optional<CpuIsa> ParseCpuIsa(const std::string& name);

// What the CPU and OS support (detected once).
CpuIsa DetectedIsa();
// min(DetectedIsa(), limit): what the engine uses for engines created from now on.
CpuIsa ActiveIsa();
// Lowers (or with nullopt, removes) the limit; CORALPI_X86_ISA still wins when it is set.
void SetIsaLimit(std::optional<CpuIsa> limit);

}  // namespace coralpi::native
