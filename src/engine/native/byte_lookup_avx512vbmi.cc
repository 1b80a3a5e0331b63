// out[i] = table[in[i]] with AVX-512 VBMI (byte_lookup.h). Compiled with -mavx512f -mavx512bw
// -mavx512vbmi; called only when byte_lookup.cc found VBMI.
#include "engine/native/avx512vnni_util.h"  // first: the intrinsics' warning pragmas
#include "engine/native/byte_lookup.h"

namespace coralpi::native {
namespace {

// 64 lookups: VPERMI2B indexes 128 bytes with the low 7 bits, the top bit picks low or high.
inline __m512i Look(__m512i idx, __m512i t0, __m512i t1, __m512i t2, __m512i t3) {
  const __m512i low = _mm512_permutex2var_epi8(t0, idx, t1);
  const __m512i high = _mm512_permutex2var_epi8(t2, idx, t3);
  return _mm512_mask_blend_epi8(_mm512_movepi8_mask(idx), low, high);
}

}  // namespace

void ByteLookupAvx512Vbmi(const uint8_t* table, const uint8_t* in, uint8_t* out, int64_t n) {
  const __m512i t0 = _mm512_loadu_si512(table), t1 = _mm512_loadu_si512(table + 64);
  const __m512i t2 = _mm512_loadu_si512(table + 128), t3 = _mm512_loadu_si512(table + 192);
  int64_t i = 0;
  for (; i + 128 <= n; i += 128) {
    const __m512i a = _mm512_loadu_si512(in + i), b = _mm512_loadu_si512(in + i + 64);
    _mm512_storeu_si512(out + i, Look(a, t0, t1, t2, t3));
    _mm512_storeu_si512(out + i + 64, Look(b, t0, t1, t2, t3));
  }
  for (; i < n; i += 64) {
    const int64_t left = n - i;
    const __mmask64 m = left >= 64 ? ~__mmask64{0} : (__mmask64{1} << left) - 1;
    const __m512i a = _mm512_maskz_loadu_epi8(m, in + i);
    _mm512_mask_storeu_epi8(out + i, m, Look(a, t0, t1, t2, t3));
  }
}

}  // namespace coralpi::native
