// Shared by the AVX-512 VNNI kernel files (kernels_avx512vnni.cc, dwconv_avx512vnni.cc):
// the dot product, masks, and the requantization of kernels.h. Include only from files compiled
// with -mavx512f -mavx512bw -mavx512vl -mavx512dq -mavx512vnni, before anything else.
#pragma once

// GCC 12's AVX-512 intrinsics start from _mm512_undefined_*, which its -Wuninitialized takes
// for a use of an uninitialized value (GCC bug 105593, fixed in GCC 13). For the whole file
// that includes this one.
#pragma GCC diagnostic ignored "-Wuninitialized"
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <immintrin.h>

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "engine/native/kernels.h"

namespace coralpi::native {

// acc += a (unsigned bytes) . b (signed bytes), per int32 lane. Inline assembly ties acc to
// one register: with the intrinsic, GCC 12 copies every accumulator each iteration (and spills
// them in the larger GEMM tiles).
inline __m512i Dpbusd(__m512i acc, __m512i a, __m512i b) {
  __asm__("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(a), "vm"(b));
  return acc;
}

inline int32_t LoadU32(const uint8_t* p) {
  int32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// Lanes [0, valid) set, for 16-lane (int32) or 64-lane (byte) masked loads and stores.
inline __mmask16 Mask16(int valid) {
  return valid >= 16 ? static_cast<__mmask16>(0xFFFF)
                     : static_cast<__mmask16>((1u << std::max(valid, 0)) - 1);
}
inline __mmask64 Mask64(int valid) {
  return valid >= 64 ? ~__mmask64{0} : ((__mmask64{1} << std::max(valid, 0)) - 1);
}

// The clamp bounds and zero point of an epilogue, in registers.
struct Bounds {
  __m512 lo, hi;
  __m512i zero_point;
  explicit Bounds(const QuantEpilogue& ep)
      : lo(_mm512_set1_ps(ep.lo)),
        hi(_mm512_set1_ps(ep.hi)),
        zero_point(_mm512_set1_epi32(ep.zero_point)) {}
};

// reference.h: f = (float) acc * scale; clamp to [lo, hi]; round to nearest even; + zero point.
inline __m512i Requantize(__m512i acc, const float* scale, const Bounds& b) {
  __m512 f = _mm512_mul_ps(_mm512_cvtepi32_ps(acc), _mm512_loadu_ps(scale));
  f = _mm512_min_ps(_mm512_max_ps(f, b.lo), b.hi);
  return _mm512_add_epi32(_mm512_cvtps_epi32(f), b.zero_point);
}

inline int64_t LoadU64(const uint8_t* p) {
  int64_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

}  // namespace coralpi::native
