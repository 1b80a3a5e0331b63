// AVX-512 kernels of the uint8 RESIZE_BILINEAR row and the 8-bit ARG_MAX row (kernels.h).
// Compiled with -mavx512f -mavx512bw -mavx512vl -ffp-contract=off: the resize weighs in float
// exactly as the reference kernel does, one rounding per multiply and per add.
#include "engine/native/avx512vnni_util.h"  // first: the intrinsics' warning pragmas
#include "engine/reference/resize_uint8.h"

namespace coralpi::native {
namespace {

// 16 channels as floats.
inline __m512 Load16(const uint8_t* p, __mmask16 m) {
  return _mm512_cvtepi32_ps(_mm512_cvtepu8_epi32(_mm_maskz_loadu_epi8(m, p)));
}

inline __mmask16 TailMask(int64_t left) {
  return left >= 16 ? __mmask16(0xFFFF) : static_cast<__mmask16>((1u << left) - 1);
}

// The four corners of 16 channels of a pixel, as floats.
struct Corners {
  __m512 tl, tr, bl, br;
};
inline Corners LoadCorners(const uint8_t* top, const uint8_t* bottom, int64_t a, int64_t b,
                           __mmask16 m) {
  return {Load16(top + a, m), Load16(top + b, m), Load16(bottom + a, m), Load16(bottom + b, m)};
}

// A pixel's corner weights, computed as the reference kernel computes them (resize_uint8.h).
struct Weights {
  __m512 w0, w1, w2, w3;
  Weights(float fy, float fx)
      : w0(_mm512_set1_ps((1 - fy) * (1 - fx))),
        w1(_mm512_set1_ps((1 - fy) * fx)),
        w2(_mm512_set1_ps(fy * (1 - fx))),
        w3(_mm512_set1_ps(fy * fx)) {}
};

// (uint8) (int32) (tl * w0 + tr * w1 + bl * w2 + br * w3 + 0.5f), left to right, into the
// masked channels of out.
inline void Weigh(const Corners& k, const Weights& w, __mmask16 m, uint8_t* out) {
  __m512 sum = _mm512_mul_ps(k.tl, w.w0);
  sum = _mm512_add_ps(sum, _mm512_mul_ps(k.tr, w.w1));
  sum = _mm512_add_ps(sum, _mm512_mul_ps(k.bl, w.w2));
  sum = _mm512_add_ps(sum, _mm512_mul_ps(k.br, w.w3));
  sum = _mm512_add_ps(sum, _mm512_set1_ps(0.5f));
  // Truncated to int32, then to its low byte, as the reference's two casts.
  _mm_mask_storeu_epi8(out, m, _mm512_cvtepi32_epi8(_mm512_cvttps_epi32(sum)));
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

void WeighRowAvx512(const uint8_t* top, const uint8_t* bottom,
                    const reference::internal::BilinearTap* xs, int32_t out_w, float y_frac,
                    int64_t channels, uint8_t* out) {
  const int64_t c = channels;
  if (c > 32) {
    for (int32_t x = 0; x < out_w; ++x, out += c) {
      const Weights w(y_frac, xs[x].frac);
      const int64_t a = xs[x].i0 * c, b = xs[x].i1 * c;
      for (int64_t k = 0; k < c; k += 16) {
        const __mmask16 m = TailMask(c - k);
        Weigh(LoadCorners(top + k, bottom + k, a, b, m), w, m, out + k);
      }
    }
    return;
  }
  // At most two vectors a pixel: consecutive pixels that read the same corners (most of an
  // upscale) reuse them as floats.
  const __mmask16 m0 = TailMask(c), m1 = c > 16 ? TailMask(c - 16) : 0;
  Corners lo{}, hi{};
  int32_t i0 = -1, i1 = -1;
  for (int32_t x = 0; x < out_w; ++x, out += c) {
    const reference::internal::BilinearTap& t = xs[x];
    if (t.i0 != i0 || t.i1 != i1) {
      i0 = t.i0;
      i1 = t.i1;
      lo = LoadCorners(top, bottom, i0 * c, i1 * c, m0);
      if (m1) hi = LoadCorners(top + 16, bottom + 16, i0 * c, i1 * c, m1);
    }
    const Weights w(y_frac, t.frac);
    Weigh(lo, w, m0, out);
    if (m1) Weigh(hi, w, m1, out + 16);
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
