// Which byte lookup runs (byte_lookup.h), and the arm64 one.
#include "engine/native/byte_lookup.h"

#if defined(__x86_64__)
#include <cpuid.h>

#include "engine/native/cpu_isa.h"
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

namespace coralpi::native {
namespace {

#if defined(__x86_64__)
// VBMI (CPUID leaf 7, ECX bit 1) beside the AVX-512 VNNI level, whose check covers the OS's
// saving of the wider registers.
bool HasVbmi() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  return (c & (1u << 1)) != 0;
}
#endif

#if defined(__aarch64__)
void ByteLookupNeon(const uint8_t* table, const uint8_t* in, uint8_t* out, int64_t n) {
  const uint8x16x4_t q0 = vld1q_u8_x4(table), q1 = vld1q_u8_x4(table + 64);
  const uint8x16x4_t q2 = vld1q_u8_x4(table + 128), q3 = vld1q_u8_x4(table + 192);
  const uint8x16_t k64 = vdupq_n_u8(64);
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    // TBL gives 0 for indexes past 63, TBX keeps what is there: each quarter fills its part.
    uint8x16_t idx = vld1q_u8(in + i);
    uint8x16_t r = vqtbl4q_u8(q0, idx);
    idx = vsubq_u8(idx, k64);
    r = vqtbx4q_u8(r, q1, idx);
    idx = vsubq_u8(idx, k64);
    r = vqtbx4q_u8(r, q2, idx);
    idx = vsubq_u8(idx, k64);
    r = vqtbx4q_u8(r, q3, idx);
    vst1q_u8(out + i, r);
  }
  for (; i < n; ++i) out[i] = table[in[i]];
}
#endif

}  // namespace

ByteLookupFn FastByteLookup() {
#if defined(__x86_64__)
  static const bool vbmi = HasVbmi();
  return vbmi && ActiveIsa() >= CpuIsa::kAvx512Vnni ? &ByteLookupAvx512Vbmi : nullptr;
#elif defined(__aarch64__)
  return &ByteLookupNeon;
#else
  return nullptr;
#endif
}

}  // namespace coralpi::native
