// CPU feature detection for the own kernels; see cpu_isa.h.
#include "engine/native/cpu_isa.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>

#if defined(__x86_64__)
#include <cpuid.h>
#include <sys/syscall.h>
#include <unistd.h>

// CPUID leaf 7, sub-leaf 0, EDX: AMX-TILE is bit 24, AMX-INT8 bit 25. GCC 12's cpuid.h names
// them; clang 14's does not.
#ifndef bit_AMX_TILE
#define bit_AMX_TILE (1u << 24)
#endif
#ifndef bit_AMX_INT8
#define bit_AMX_INT8 (1u << 25)
#endif
#endif

namespace coralpi::native {
namespace {

std::atomic<int> g_limit{-1};  // -1: no limit

#if defined(__x86_64__)
// XCR0 bits the OS sets when it saves a state component on context switches.
constexpr unsigned kXcr0Sse = 1u << 1, kXcr0Avx = 1u << 2, kXcr0Opmask = 1u << 5,
                   kXcr0ZmmHi256 = 1u << 6, kXcr0Hi16Zmm = 1u << 7;
constexpr unsigned long long kXcr0TileCfg = 1ull << 17, kXcr0TileData = 1ull << 18;

unsigned long long Xgetbv() {
  unsigned lo = 0, hi = 0;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<unsigned long long>(hi) << 32) | lo;
}

// Linux keeps AMX tile data off until a process asks for it (arch_prctl ARCH_REQ_XCOMP_PERM).
bool RequestAmxPermission() {
  constexpr int kArchReqXcompPerm = 0x1023;
  constexpr int kXfeatureXtileData = 18;
  return syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtileData) == 0;
}

CpuIsa Detect() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return CpuIsa::kNone;
  const bool osxsave = c & bit_OSXSAVE;
  if (!osxsave) return CpuIsa::kNone;
  const unsigned long long xcr0 = Xgetbv();
  const unsigned zmm_state = kXcr0Sse | kXcr0Avx | kXcr0Opmask | kXcr0ZmmHi256 | kXcr0Hi16Zmm;
  if ((xcr0 & zmm_state) != zmm_state) return CpuIsa::kNone;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return CpuIsa::kNone;
  const bool avx512 = (b & bit_AVX512F) && (b & bit_AVX512BW) && (b & bit_AVX512VL) &&
                      (b & bit_AVX512DQ) && (c & bit_AVX512VNNI) && (b & bit_AVX2);
  if (!avx512) return CpuIsa::kNone;
  const bool amx = (d & bit_AMX_TILE) && (d & bit_AMX_INT8) &&
                   (xcr0 & (kXcr0TileCfg | kXcr0TileData)) == (kXcr0TileCfg | kXcr0TileData);
  if (amx && RequestAmxPermission()) return CpuIsa::kAmx;
  return CpuIsa::kAvx512Vnni;
}
#else
CpuIsa Detect() { return CpuIsa::kNone; }
#endif

}  // namespace

const char* CpuIsaName(CpuIsa isa) {
  switch (isa) {
    case CpuIsa::kNone:
      return "none";
    case CpuIsa::kAvx512Vnni:
      return "avx512vnni";
    case CpuIsa::kAmx:
      return "amx";
  }
  return "?";
}

std::optional<CpuIsa> ParseCpuIsa(const std::string& name) {
  for (CpuIsa isa : {CpuIsa::kNone, CpuIsa::kAvx512Vnni, CpuIsa::kAmx}) {
    if (name == CpuIsaName(isa)) return isa;
  }
  return std::nullopt;
}

CpuIsa DetectedIsa() {
  static const CpuIsa detected = Detect();
  return detected;
}

CpuIsa ActiveIsa() {
  int limit = g_limit.load();
  if (const char* env = std::getenv("CORALPI_X86_ISA")) {
    if (auto parsed = ParseCpuIsa(env)) limit = static_cast<int>(*parsed);
  }
  const int detected = static_cast<int>(DetectedIsa());
  return static_cast<CpuIsa>(limit < 0 ? detected : std::min(limit, detected));
}

void SetIsaLimit(std::optional<CpuIsa> limit) {
  g_limit.store(limit ? static_cast<int>(*limit) : -1);
}

}  // namespace coralpi::native
