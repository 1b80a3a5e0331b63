// Rows of at most 16 of the own 8-bit SOFTMAX (softmax.cc) with AVX-512: the row's largest
// byte, the 16 table lookups in one gather, the sum in the reference's order (scalar: float
// addition is not associative), then the division and QuantizeRounded (kernel_util.h) on 16
// lanes with the same IEEE operations in the same order. Compiled with -mavx512f -mavx512bw
// -mavx512vl -mavx512dq -mavx512vnni; called only on AVX-512 VNNI CPUs.
#include "engine/native/avx512vnni_util.h"  // first: the intrinsics' warning pragmas
#include "engine/native/kernels.h"

namespace coralpi::native {

void SoftmaxRowsAvx512(const SoftmaxRows& s, int64_t r0, int64_t r1) {
  const __mmask16 m = static_cast<__mmask16>((1u << s.depth) - 1);
  const __m128i flip = _mm_set1_epi8(static_cast<char>(s.is_signed ? 0x80 : 0));
  const __m512 lo = _mm512_set1_ps(static_cast<float>(s.lo - s.zero_point));
  const __m512 hi = _mm512_set1_ps(static_cast<float>(s.hi - s.zero_point));
  const __m512 scale = _mm512_set1_ps(s.out_scale);
  const __m512 half = _mm512_set1_ps(0.5f), minus_half = _mm512_set1_ps(-0.5f);
  const __m512i zp = _mm512_set1_epi32(s.zero_point), one = _mm512_set1_epi32(1);
  for (int64_t r = r0; r < r1; ++r) {
    const __m128i q = _mm_maskz_loadu_epi8(m, s.in + r * s.depth);
    // The largest value's byte: int8 compared with its sign bit flipped (lanes past the row 0).
    const __m512i key = _mm512_cvtepu8_epi32(_mm_maskz_mov_epi8(m, _mm_xor_si128(q, flip)));
    const auto top = static_cast<uint32_t>(_mm512_reduce_max_epu32(key));
    const float* table = s.exps + static_cast<size_t>(top ^ (s.is_signed ? 0x80u : 0u)) * 256;
    const __m512 e =
        _mm512_mask_i32gather_ps(_mm512_setzero_ps(), m, _mm512_cvtepu8_epi32(q), table, 4);
    alignas(64) float ev[16];
    _mm512_store_ps(ev, e);
    float sum = 0.0f;
    for (int32_t i = 0; i < s.depth; ++i) sum += ev[i];
    // QuantizeRounded(e / sum, scale, zero_point, range).
    __m512 v = _mm512_div_ps(_mm512_div_ps(e, _mm512_set1_ps(sum)), scale);
    v = _mm512_max_ps(v, lo);  // v >= lo ? v : lo (equal when v == lo; e / sum is no NaN)
    v = _mm512_min_ps(v, hi);
    const __m512i t = _mm512_cvttps_epi32(v);
    const __m512 fraction = _mm512_sub_ps(v, _mm512_cvtepi32_ps(t));
    __m512i out = _mm512_add_epi32(t, zp);
    out = _mm512_mask_add_epi32(out, _mm512_cmp_ps_mask(fraction, half, _CMP_GE_OQ), out, one);
    out = _mm512_mask_sub_epi32(out, _mm512_cmp_ps_mask(fraction, minus_half, _CMP_LE_OQ), out,
                                one);
    _mm_mask_storeu_epi8(s.out + r * s.depth, m, _mm512_cvtepi32_epi8(out));
  }
}

}  // namespace coralpi::native
