// AVX-512 VNNI depthwise convolution (kernels.h): four taps of 64 channels, or of several
// packed pixels, interleaved into one VPDPBUSD per 16 lanes. Compiled with -mavx512f
// -mavx512bw -mavx512vl -mavx512dq -mavx512vnni; only called when cpu_isa.h reports
// kAvx512Vnni or better.
#include "engine/native/avx512vnni_util.h"  // first: it sets the warnings for intrinsics

#include <algorithm>

#include "engine/native/kernels.h"

namespace coralpi::native {
namespace {

// The four quads of 4 taps x 64 channels (kernels.h): quad j, lane 4L + i holds the 4 taps of
// channel 16 L + 4 j + i.
struct Quads {
  __m512i q0, q1, q2, q3;
};
inline Quads Interleave(__m512i t0, __m512i t1, __m512i t2, __m512i t3) {
  const __m512i lo01 = _mm512_unpacklo_epi8(t0, t1), hi01 = _mm512_unpackhi_epi8(t0, t1);
  const __m512i lo23 = _mm512_unpacklo_epi8(t2, t3), hi23 = _mm512_unpackhi_epi8(t2, t3);
  return {_mm512_unpacklo_epi16(lo01, lo23), _mm512_unpackhi_epi16(lo01, lo23),
          _mm512_unpacklo_epi16(hi01, hi23), _mm512_unpackhi_epi16(hi01, hi23)};
}

struct DwAcc {
  __m512i a0, a1, a2, a3;
};

template <int kQParts>
inline void Accumulate(DwAcc& acc, const Quads& q, const int8_t* w, __m512i q_vec) {
  acc.a0 = Dpbusd(acc.a0, q.q0, _mm512_load_si512(w));
  acc.a1 = Dpbusd(acc.a1, q.q1, _mm512_load_si512(w + 64));
  acc.a2 = Dpbusd(acc.a2, q.q2, _mm512_load_si512(w + 128));
  acc.a3 = Dpbusd(acc.a3, q.q3, _mm512_load_si512(w + 192));
#pragma GCC unroll 2
  for (int i = 0; i < kQParts; ++i) {
    acc.a0 = Dpbusd(acc.a0, q.q0, q_vec);
    acc.a1 = Dpbusd(acc.a1, q.q1, q_vec);
    acc.a2 = Dpbusd(acc.a2, q.q2, q_vec);
    acc.a3 = Dpbusd(acc.a3, q.q3, q_vec);
  }
}

// The accumulators of 64 channels (or packed pixels) over every tap, requantized into bytes
// in channel order. load(tap) gives the 64 bytes of a tap; w, bias and scale are the block's.
template <int kQParts, typename Load>
inline __m512i DwVector(const DwProblem& p, const Load& load, const int8_t* w,
                        const int32_t* bias, const float* scale, const Bounds& bounds,
                        __m512i q_vec) {
  DwAcc acc{_mm512_loadu_si512(bias), _mm512_loadu_si512(bias + 16), _mm512_loadu_si512(bias + 32),
            _mm512_loadu_si512(bias + 48)};
  int32_t tap = 0;
  for (; tap + 4 <= p.taps; tap += 4, w += 256) {
    Accumulate<kQParts>(acc, Interleave(load(tap), load(tap + 1), load(tap + 2), load(tap + 3)), w,
                        q_vec);
  }
  if (tap < p.taps) {
    const __m512i zero = _mm512_setzero_si512();
    const __m512i t0 = load(tap);
    const __m512i t1 = tap + 1 < p.taps ? load(tap + 1) : zero;
    const __m512i t2 = tap + 2 < p.taps ? load(tap + 2) : zero;
    Accumulate<kQParts>(acc, Interleave(t0, t1, t2, zero), w, q_vec);
  }
  const __m512i r0 = Requantize(acc.a0, scale, bounds);
  const __m512i r1 = Requantize(acc.a1, scale + 16, bounds);
  const __m512i r2 = Requantize(acc.a2, scale + 32, bounds);
  const __m512i r3 = Requantize(acc.a3, scale + 48, bounds);
  // The packs undo the unpacks' channel order (both work within 128-bit lanes).
  const __m512i r01 = _mm512_packs_epi32(r0, r1);
  const __m512i r23 = _mm512_packs_epi32(r2, r3);
  return p.ep.output_signed ? _mm512_packs_epi16(r01, r23) : _mm512_packus_epi16(r01, r23);
}

// Where one output pixel's taps are (kernels.h): taps[t] is tap t's first channel. Inside:
// all taps inside the input; PixelTaps: any pixel.
struct InsideTaps {
  const uint8_t* origin;
  const int64_t* offset;
  const uint8_t* operator[](int32_t t) const { return origin + offset[t]; }
};
struct PixelTaps {
  const uint8_t* origin;
  const uint8_t* const* row;  // null: origin + offset[t]
  const int64_t* offset;
  const uint8_t* operator[](int32_t t) const { return row ? row[t] : origin + offset[t]; }
};
inline PixelTaps TapsOf(const DwProblem& p, int64_t pixel) {
  const int32_t b = p.border_row[pixel];
  return {p.origin[pixel], b < 0 ? nullptr : p.border_taps + static_cast<int64_t>(b) * p.taps,
          p.tap_offset};
}

// One 64-channel block of one output pixel.
template <bool kSigned, int kQParts, typename Taps>
inline void DwBlock(const DwProblem& p, const Taps& taps, int32_t b, __mmask64 mask,
                    const Bounds& bounds, __m512i q_vec, uint8_t* out) {
  const int32_t ch = b * 64;
  const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
  auto load = [&](int32_t tap) {
    const __m512i v = _mm512_maskz_loadu_epi8(mask, taps[tap] + ch);
    return kSigned ? _mm512_xor_si512(v, flip) : v;
  };
  const int64_t groups = (p.taps + 3) / 4;
  const __m512i bytes = DwVector<kQParts>(p, load, p.w + b * groups * 256, p.ep.bias + ch,
                                          p.ep.scale + ch, bounds, q_vec);
  _mm512_mask_storeu_epi8(out + ch, mask, bytes);
}

template <bool kSigned, int kQParts>
void DwPixels(const DwProblem& p, int64_t p0, int64_t p1) {
  const int32_t blocks = (p.channels + 63) / 64;
  const Bounds bounds(p.ep);
  const __m512i q_vec = _mm512_set1_epi8(p.q_part);
  auto blocks_of = [&](const auto& taps, uint8_t* out) {
    for (int32_t b = 0; b < blocks; ++b) {
      DwBlock<kSigned, kQParts>(p, taps, b, Mask64(p.channels - b * 64), bounds, q_vec, out);
    }
  };
  for (int64_t pixel = p0; pixel < p1; ++pixel) {
    uint8_t* out = p.out + pixel * p.channels;
    const int32_t row = p.border_row[pixel];
    if (row < 0) {
      blocks_of(InsideTaps{p.origin[pixel], p.tap_offset}, out);
    } else {
      blocks_of(p.border_taps + static_cast<int64_t>(row) * p.taps, out);
    }
  }
}

// Packed pixels (kernels.h): tap `tap` of the 64 / S pixels whose tap tables are pix[s], pixel
// s in bytes [s * S, s * S + c) (c == S when kFull; else the slot's rest is zero).
template <int S, bool kFull, typename Taps>
inline __m512i LoadPixelTaps(const Taps* pix, int32_t tap, int32_t c) {
  if constexpr (S == 32) {
    auto at = [&](int s) {
      const auto* p = pix[s][tap];
      return kFull ? _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p))
                   : _mm256_maskz_loadu_epi8(static_cast<__mmask32>(Mask64(c)), p);
    };
    return _mm512_inserti64x4(_mm512_castsi256_si512(at(0)), at(1), 1);
  } else if constexpr (S == 16) {
    auto at = [&](int s) {
      const auto* p = pix[s][tap];
      return kFull ? _mm_loadu_si128(reinterpret_cast<const __m128i*>(p))
                   : _mm_maskz_loadu_epi8(Mask16(c), p);
    };
    const __m256i lo = _mm256_inserti128_si256(_mm256_castsi128_si256(at(0)), at(1), 1);
    const __m256i hi = _mm256_inserti128_si256(_mm256_castsi128_si256(at(2)), at(3), 1);
    return _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
  } else {
    static_assert(S == 8);
    auto pair = [&](int s) {
      if constexpr (kFull) {
        return _mm_insert_epi64(_mm_cvtsi64_si128(LoadU64(pix[s][tap])), LoadU64(pix[s + 1][tap]),
                                1);
      } else {
        return _mm_unpacklo_epi64(_mm_maskz_loadu_epi8(Mask16(c), pix[s][tap]),
                                  _mm_maskz_loadu_epi8(Mask16(c), pix[s + 1][tap]));
      }
    };
    const __m256i lo = _mm256_inserti128_si256(_mm256_castsi128_si256(pair(0)), pair(2), 1);
    const __m256i hi = _mm256_inserti128_si256(_mm256_castsi128_si256(pair(4)), pair(6), 1);
    return _mm512_inserti64x4(_mm512_castsi256_si512(lo), hi, 1);
  }
}

// The same from a regular group (slot == channels == S): pixel s at first + s * stride * S,
// stride 1 or 2. Reads only bytes of the group's pixels (the second load is masked to end at
// the last pixel's end).
template <int S>
inline __m512i LoadStridedTaps(const uint8_t* first, int32_t stride, __m512i even_chunks) {
  const __m512i lo = _mm512_loadu_si512(first);
  if (stride == 1) return lo;
  const __m512i hi = _mm512_maskz_loadu_epi8(Mask64(64 - S), first + 64);
  return _mm512_permutex2var_epi64(lo, even_chunks, hi);
}

// The quadwords of the even S-byte chunks of 128 bytes (lo: 0-7, hi: 8-15).
template <int S>
inline __m512i EvenChunks() {
  if constexpr (S == 32) return _mm512_set_epi64(11, 10, 9, 8, 3, 2, 1, 0);
  if constexpr (S == 16) return _mm512_set_epi64(13, 12, 9, 8, 5, 4, 1, 0);
  return _mm512_set_epi64(14, 12, 10, 8, 6, 4, 2, 0);
}

// The first `valid` pixels of a group to out (pixel s at out + s * c): one store when the
// slots are full, else each slot's c bytes.
template <int S, bool kFull>
inline void StorePixels(__m512i bytes, int valid, int32_t c, uint8_t* out) {
  if constexpr (kFull) {
    _mm512_mask_storeu_epi8(out, Mask64(valid * S), bytes);
  } else {
    alignas(64) uint8_t slots[64];
    _mm512_store_si512(slots, bytes);
    for (int s = 0; s < valid; ++s) {
      if constexpr (S == 32) {
        _mm256_mask_storeu_epi8(out + s * c, static_cast<__mmask32>(Mask64(c)),
                                _mm256_load_si256(reinterpret_cast<const __m256i*>(slots + s * S)));
      } else if constexpr (S == 16) {
        _mm_mask_storeu_epi8(out + s * c, Mask16(c),
                             _mm_load_si128(reinterpret_cast<const __m128i*>(slots + s * S)));
      } else {
        _mm_mask_storeu_epi8(out + s * c, Mask16(c),
                             _mm_loadl_epi64(reinterpret_cast<const __m128i*>(slots + s * S)));
      }
    }
  }
}

template <int S, bool kFull, int kQParts>
void DwPacked(const DwProblem& p, int64_t p0, int64_t p1) {
  constexpr int kPixels = 64 / S;
  const int32_t c = p.channels;
  const Bounds bounds(p.ep);
  const __m512i q_vec = _mm512_set1_epi8(p.q_part);
  const __m512i flip = _mm512_set1_epi8(static_cast<char>(p.input_signed ? 0x80 : 0));
  const __m512i even = EvenChunks<S>();
  for (int64_t g0 = p0; g0 < p1; g0 += kPixels) {
    const int valid = static_cast<int>(std::min<int64_t>(kPixels, p1 - g0));
    // Pixels past the end repeat the last one; their bytes are not stored.
    auto pixel_at = [&](int s) { return g0 + std::min(s, valid - 1); };
    auto gathered = [&](auto taps_of) {
      decltype(taps_of(g0)) pix[kPixels];
      for (int s = 0; s < kPixels; ++s) pix[s] = taps_of(pixel_at(s));
      auto load = [&](int32_t tap) {
        return _mm512_xor_si512(LoadPixelTaps<S, kFull>(pix, tap, c), flip);
      };
      return DwVector<kQParts>(p, load, p.w, p.ep.bias, p.ep.scale, bounds, q_vec);
    };
    bool inside = true;
    for (int s = 0; s < kPixels; ++s) inside = inside && p.border_row[pixel_at(s)] < 0;
    __m512i bytes;
    if (kFull && valid == kPixels && g0 % kPixels == 0 && p.regular && p.regular[g0 / kPixels]) {
      const InsideTaps first{p.origin[g0], p.tap_offset};  // regular groups lie inside
      auto load = [&](int32_t tap) {
        return _mm512_xor_si512(LoadStridedTaps<S>(first[tap], p.stride_w, even), flip);
      };
      bytes = DwVector<kQParts>(p, load, p.w, p.ep.bias, p.ep.scale, bounds, q_vec);
    } else if (inside) {
      bytes = gathered([&](int64_t pixel) { return InsideTaps{p.origin[pixel], p.tap_offset}; });
    } else {
      bytes = gathered([&](int64_t pixel) { return TapsOf(p, pixel); });
    }
    StorePixels<S, kFull>(bytes, valid, c, p.out + g0 * c);
  }
}

template <int S, bool kFull>
void DwPackedDispatch(const DwProblem& p, int64_t p0, int64_t p1) {
  switch (p.q_parts) {
    case 0:
      return DwPacked<S, kFull, 0>(p, p0, p1);
    case 1:
      return DwPacked<S, kFull, 1>(p, p0, p1);
    default:
      return DwPacked<S, kFull, 2>(p, p0, p1);
  }
}

template <int S>
void DwPackedSlot(const DwProblem& p, int64_t p0, int64_t p1) {
  if (p.channels == S) return DwPackedDispatch<S, true>(p, p0, p1);
  return DwPackedDispatch<S, false>(p, p0, p1);
}

}  // namespace

void DepthwiseAvx512Vnni(const DwProblem& p, int64_t p0, int64_t p1) {
  if (p.slot == 8) return DwPackedSlot<8>(p, p0, p1);
  if (p.slot == 16) return DwPackedSlot<16>(p, p0, p1);
  if (p.slot == 32) return DwPackedSlot<32>(p, p0, p1);
  switch (p.q_parts + (p.input_signed ? 3 : 0)) {
    case 0:
      return DwPixels<false, 0>(p, p0, p1);
    case 1:
      return DwPixels<false, 1>(p, p0, p1);
    case 2:
      return DwPixels<false, 2>(p, p0, p1);
    case 3:
      return DwPixels<true, 0>(p, p0, p1);
    case 4:
      return DwPixels<true, 1>(p, p0, p1);
    default:
      return DwPixels<true, 2>(p, p0, p1);
  }
}

}  // namespace coralpi::native
