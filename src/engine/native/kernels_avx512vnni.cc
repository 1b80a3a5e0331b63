// AVX-512 VNNI kernels: the GEMM behind convolutions and fully connected layers, and the
// small passes they need (depthwise convolution: dwconv_avx512vnni.cc). Compiled with
// -mavx512f -mavx512bw -mavx512vl -mavx512dq -mavx512vnni; only called when cpu_isa.h reports
// kAvx512Vnni or better. The arithmetic is the one kernels.h derives from reference.h.
#include <algorithm>

#include "engine/native/avx512vnni_util.h"  // first: it sets the warnings for intrinsics
#include "engine/native/kernels.h"

namespace coralpi::native {
namespace {

// One MR x (16 * NB) tile of C: rows [row, row + rows) (rows <= MR; the missing ones repeat the
// last row), 16-channel blocks [block, block + NB).
template <int MR, int NB>
void GemmTile(const GemmProblem& p, int64_t row, int rows, int32_t block) {
  const int64_t k4 = (p.k + 3) / 4;
  const uint8_t* a[MR];
  int64_t seg_stride[MR];
  uint8_t* c[MR];
  int32_t row_term[MR];
#pragma GCC unroll 16
  for (int r = 0; r < MR; ++r) {
    const int64_t rr = row + std::min(r, rows - 1);
    a[r] = p.a_rows ? p.a_rows[rr] : p.a + rr * p.a_stride;
    seg_stride[r] = p.a_rows ? p.a_seg_stride[rr] : 0;
    c[r] = p.c + rr * p.c_stride;
    row_term[r] = p.row_term ? p.row_term[rr] : 0;
  }
  const int8_t* w = p.w + static_cast<int64_t>(block) * k4 * 64;
  __m512i acc[MR][NB];
#pragma GCC unroll 4
  for (int j = 0; j < NB; ++j) {
    const __m512i bias = _mm512_loadu_si512(p.ep.bias + (block + j) * 16);
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) acc[r][j] = _mm512_add_epi32(bias, _mm512_set1_epi32(row_term[r]));
  }
  // a_flip as a vector the compiler cannot see through: XORed after the broadcast, so that
  // the broadcast stays a load (folded into one scalar XOR, it became a broadcast from a
  // general register, one per row and step).
  __m512i flip = _mm512_set1_epi32(static_cast<int32_t>(p.a_flip));
  __asm__("" : "+v"(flip));
  // One run of A per segment (implicit im2col), else one run of all k.
  const int64_t seg_k4 = p.a_rows ? k4 / p.segments : k4;
  for (int32_t s = 0; s < (p.a_rows ? p.segments : 1); ++s) {
    const int8_t* ws = w + s * seg_k4 * 64;
    for (int64_t kk = 0; kk < seg_k4; ++kk) {
      __m512i vw[NB];
#pragma GCC unroll 4
      for (int j = 0; j < NB; ++j) vw[j] = _mm512_load_si512(ws + (j * k4 + kk) * 64);
#pragma GCC unroll 16
      for (int r = 0; r < MR; ++r) {
        const __m512i va = _mm512_xor_si512(_mm512_set1_epi32(LoadU32(a[r] + kk * 4)), flip);
#pragma GCC unroll 4
        for (int j = 0; j < NB; ++j) acc[r][j] = Dpbusd(acc[r][j], va, vw[j]);
      }
    }
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) a[r] += seg_stride[r];
  }
  const Bounds bounds(p.ep);
#pragma GCC unroll 4
  for (int j = 0; j < NB; ++j) {
    const int32_t ch = (block + j) * 16;
    const __mmask16 mask = Mask16(p.n - ch);
#pragma GCC unroll 16
    for (int r = 0; r < MR; ++r) {
      const __m512i q = Requantize(acc[r][j], p.ep.scale + ch, bounds);
      if (p.ep.output_signed) {
        _mm512_mask_cvtsepi32_storeu_epi8(c[r] + ch, mask, q);
      } else {
        _mm512_mask_cvtusepi32_storeu_epi8(c[r] + ch, mask, q);
      }
    }
  }
}

// Rows [m0, m1) with NB blocks from `block`, in tiles of MR rows; short tails use smaller tiles.
template <int MR, int NB>
void GemmRows(const GemmProblem& p, int64_t m0, int64_t m1, int32_t block) {
  int64_t m = m0;
  for (; m + MR <= m1; m += MR) GemmTile<MR, NB>(p, m, MR, block);
  const int rest = static_cast<int>(m1 - m);
  if (rest == 0) return;
  if (rest <= 1) {
    GemmTile<1, NB>(p, m, rest, block);
  } else if (rest <= 2) {
    GemmTile<2, NB>(p, m, rest, block);
  } else if (rest <= 4) {
    GemmTile<4, NB>(p, m, rest, block);
  } else {
    GemmTile<MR, NB>(p, m, rest, block);
  }
}

}  // namespace

void GemmAvx512Vnni(const GemmProblem& p, int64_t m0, int64_t m1, int32_t nb0, int32_t nb1) {
  int32_t b = nb0;
  for (; b + 4 <= nb1; b += 4) GemmRows<6, 4>(p, m0, m1, b);
  switch (nb1 - b) {
    case 3:
      GemmRows<8, 3>(p, m0, m1, b);
      break;
    case 2:
      GemmRows<12, 2>(p, m0, m1, b);
      break;
    case 1:
      GemmRows<16, 1>(p, m0, m1, b);
      break;
    default:
      break;
  }
}

void RowSumsAvx512(const uint8_t* a, int64_t stride, int32_t k, int64_t rows, int32_t factor,
                   int32_t* out) {
  const __m512i zero = _mm512_setzero_si512();
  for (int64_t r = 0; r < rows; ++r) {
    const uint8_t* row = a + r * stride;
    __m512i sum = zero;
    for (int32_t i = 0; i < k; i += 64) {
      const __m512i v = _mm512_maskz_loadu_epi8(Mask64(k - i), row + i);
      sum = _mm512_add_epi64(sum, _mm512_sad_epu8(v, zero));
    }
    out[r] = static_cast<int32_t>(_mm512_reduce_add_epi64(sum)) * factor;
  }
}

void FlipSignAvx512(const uint8_t* src, uint8_t* dst, int64_t n) {
  const __m512i flip = _mm512_set1_epi8(static_cast<char>(0x80));
  for (int64_t i = 0; i < n; i += 64) {
    const __mmask64 mask = Mask64(static_cast<int>(std::min<int64_t>(n - i, 64)));
    const __m512i v = _mm512_maskz_loadu_epi8(mask, src + i);
    _mm512_mask_storeu_epi8(dst + i, mask, _mm512_xor_si512(v, flip));
  }
}

}  // namespace coralpi::native
