// AVX-512 kernels of the uint8 RESIZE_BILINEAR pixel and the 8-bit ARG_MAX row (kernels.h).
// Compiled with -mavx512f -mavx512bw -mavx512vl -ffp-contract=off: the resize weighs in float
// exactly as the reference kernel does, one rounding per multiply and per add.
#include "engine/native/avx512vnni_util.h"  // first: the intrinsics' warning pragmas

namespace coralpi::native {
namespace {

// 16 channels as floats.
inline __m512 Load16(const uint8_t* p, __mmask16 m) {
  return _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(m, p)));
}

// Every byte of x set to the largest (unsigned) byte of x.
inline __m512i BroadcastMaxU8(__m512i x) {
  x = _mm512_max_epu8(x, _mm512_shuffle_i64x2(x, x, 0x4E));        // 256-bit halves
  x = _mm512_max_epu8(x, _mm512_shuffle_i64x2(x, x, 0xB1));        // 128-bit lanes
  x = _mm512_max_epu8(x, _mm512_shuffle_epi32(x, _MM_PERM_BADC));  // 64-bit halves
  x = _mm512_max_epu8(x, _mm512_shuffle_epi32(x, _MM_PERM_CDAB));  // 32-bit words
  x = _mm512_max_epu8(x, _mm512_shufflelo_epi16(_mm512_shufflehi_epi16(x, 0xB1), 0xB1));
  return _mm512_max_epu8(x, _mm512_or_si512(_mm512_srli_epi16(x, 8), _mm512_slli_epi16(x, 8)));
}

}  // namespace

void WeighCornersAvx512(const uint8_t* tl, const uint8_t* tr, const uint8_t* bl, const uint8_t* br,
                        float w0, float w1, float w2, float w3, int64_t channels, uint8_t* out) {
  const __m512 v0 = _mm512_set1_ps(w0), v1 = _mm512_set1_ps(w1);
  const __m512 v2 = _mm512_set1_ps(w2), v3 = _mm512_set1_ps(w3);
  const __m512 half = _mm512_set1_ps(0.5f);
  for (int64_t k = 0; k < channels; k += 16) {
    const __mmask16 m =
        channels - k >= 16 ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << (channels - k)) - 1);
    __m512 sum = _mm512_mul_ps(Load16(tl + k, m), v0);
    sum = _mm512_add_ps(sum, _mm512_mul_ps(Load16(tr + k, m), v1));
    sum = _mm512_add_ps(sum, _mm512_mul_ps(Load16(bl + k, m), v2));
    sum = _mm512_add_ps(sum, _mm512_mul_ps(Load16(br + k, m), v3));
    sum = _mm512_add_ps(sum, half);
    // Truncated to int32, then to its low byte, as the reference's two casts.
    _mm_mask_storeu_epi8(out + k, m, _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(sum)));
  }
}

template <typename Index>
void ArgMaxRowsAvx512(const uint8_t* in, bool is_signed, int64_t rows, int32_t size, Index* out) {
  const __mmask64 m = size >= 64 ? ~__mmask64{0} : (__mmask64{1} << size) - 1;
  // int8: flipping the top bit orders the bytes as unsigned.
  const __m512i flip = _mm512_set1_epi8(is_signed ? static_cast<char>(0x80) : 0);
  for (int64_t r = 0; r < rows; ++r, in += size) {
    const __m512i v =
        _mm512_maskz_mov_epi8(m, _mm512_xor_si512(_mm512_maskz_loadu_epi8(m, in), flip));
    const __mmask64 top = _mm512_mask_cmpeq_epi8_mask(m, v, BroadcastMaxU8(v));
    out[r] = static_cast<Index>(__builtin_ctzll(top));  // ties: the lowest index
  }
}

template void ArgMaxRowsAvx512<int32_t>(const uint8_t*, bool, int64_t, int32_t, int32_t*);
template void ArgMaxRowsAvx512<int64_t>(const uint8_t*, bool, int64_t, int32_t, int64_t*);

}  // namespace coralpi::native
