// The engine's own 8-bit kernels for x86-64: the problems they solve, prepared once per node by
// qconv.cc / qdwconv.cc, and the per-ISA entry points (kernels_<isa>.cc and dwconv_<isa>.cc,
// each compiled for its instruction set and called only when cpu_isa.h says the CPU has it).
//
// Arithmetic. Every kernel computes exactly what the reference kernels define (reference.h):
// the int32 accumulator of sum (x - x_zp) * (w - w_zp), then the fp32 requantization. The dot
// products use VPDPBUSD (unsigned 8-bit times signed 8-bit, summed into int32), so operands are
// rewritten as a = x + x_off (unsigned) and b = w - w_off (signed), with P = x_off + x_zp and
// Q = w_off - w_zp:
//     sum (x - x_zp)(w - w_zp) = sum a*b + Q * sum a - P * sum b - T * P * Q
// over the T taps of an output. -P * sum b - T * P * Q and the bias are one int32 per channel
// (`bias` below); Q * sum a is a term per output pixel (GEMM: `row_term`) or per pixel and
// channel (depthwise: extra VPDPBUSD against a vector of Q). int32 arithmetic wraps, as the
// reference's accumulator does, so the rewriting is exact.
#pragma once

#include <cstddef>
#include <cstdint>

namespace coralpi::reference::internal {
struct BilinearTap;
}  // namespace coralpi::reference::internal

namespace coralpi::native {

// Requantization of int32 accumulators to 8-bit outputs (reference.h), per output channel.
struct QuantEpilogue {
  const int32_t* bias = nullptr;  // per channel: the accumulator's start value
  const float* scale = nullptr;   // per channel: input_scale * filter_scale / output_scale
  float lo = 0, hi = 0;           // activation bounds minus the output zero point
  int32_t zero_point = 0;
  bool output_signed = false;  // int8 output (else uint8)
};

// C[m, n] = requantize(bias[n] + row_term[m] + sum_k A[m, k] * B[k, n]).
struct GemmProblem {
  int64_t m = 0;
  int32_t k = 0;
  int32_t n = 0;
  const uint8_t* a = nullptr;  // row r at a + r * a_stride; k values, 3 more bytes readable
  int64_t a_stride = 0;
  // XORed into every 4 bytes of A as they are read: 0x80808080 turns stored int8 values into
  // a = x + 128 without a pass over A (only where no row term is needed), else 0.
  uint32_t a_flip = 0;
  // Implicit im2col, when a_rows is set (then a and a_stride are unused): row r's k values are
  // `segments` runs of k / segments bytes (a multiple of 4), run s at
  // a_rows[r] + s * a_seg_stride[r]. A convolution's rows read its input where it lies, one run
  // per filter row.
  const uint8_t* const* a_rows = nullptr;
  const int64_t* a_seg_stride = nullptr;
  int32_t segments = 1;
  const int8_t* w = nullptr;          // packed: [ceil(n / 16)][ceil(k / 4)][16 channels][4 k]
  const int32_t* row_term = nullptr;  // [m], or null
  QuantEpilogue ep;                   // bias and scale padded to ceil(n / 16) * 16
  uint8_t* c = nullptr;               // row r at c + r * c_stride
  int64_t c_stride = 0;
};

// Depthwise convolution (depth multiplier 1). Where output pixel p reads tap t: at
// origin[p] + tap_offset[t] when every tap of p lies inside the input (border_row[p] < 0);
// else at border_taps[border_row[p] * taps + t] (taps in the padding point at a row of the
// input zero point). Each points at the tap's first channel.
struct DwProblem {
  int32_t channels = 0;
  int32_t taps = 0;
  const uint8_t* const* origin = nullptr;       // [pixel]
  const int64_t* tap_offset = nullptr;          // [taps]
  const int32_t* border_row = nullptr;          // [pixel]
  const uint8_t* const* border_taps = nullptr;  // [border pixel][taps]
  bool input_signed = false;  // int8 input: flip the sign bit (a = x + 128) after loading
  // Packed per 64-channel block: [ceil(taps / 4)][4 quads][16 lanes][4 taps], the channel of
  // quad j, lane 4L + i being 64 * block + 16 L + 4 j + i (the order VPUNPCK leaves them in).
  const int8_t* w = nullptr;
  int32_t q_parts = 0;  // 0, 1 or 2 VPDPBUSD against q_part (Q = q_part * q_parts)
  int8_t q_part = 0;
  QuantEpilogue ep;        // bias and scale in the packed channel order, per 64-channel block
  uint8_t* out = nullptr;  // pixel p at out + p * channels
  // Packed pixels, for at most 32 channels: one vector holds 64 / slot consecutive output
  // pixels (a group), pixel s in bytes [s * slot, s * slot + channels); slot is 8, 16 or 32,
  // the smallest that holds the channels, and byte i's "channel" is i % slot (weights, bias
  // and scale are packed so; zero past the channels). Groups start at multiples of 64 / slot.
  // 0: not packed.
  int32_t slot = 0;
  // Packed, slot == channels: per group, 1 when tap t of pixel s of the group is at tap t of its
  // first pixel plus s * stride_w * channels for every tap (then one or two loads fetch it),
  // else 0; or null.
  const uint8_t* regular = nullptr;
  int32_t stride_w = 1;  // 1 or 2 where `regular` is set
};

// Kernels for AVX-512 F/BW/VL/DQ + VNNI (kernels_avx512vnni.cc, dwconv_avx512vnni.cc).
// Rows [m0, m1) and 16-channel blocks [nb0, nb1) of a GEMM.
void GemmAvx512Vnni(const GemmProblem& p, int64_t m0, int64_t m1, int32_t nb0, int32_t nb1);
// Output pixels [p0, p1) of a depthwise convolution.
void DepthwiseAvx512Vnni(const DwProblem& p, int64_t p0, int64_t p1);
// Row sums of `rows` rows of k bytes (a + r * stride), times `factor`, into out[r].
void RowSumsAvx512(const uint8_t* a, int64_t stride, int32_t k, int64_t rows, int32_t factor,
                   int32_t* out);
// dst[i] = src[i] ^ 0x80 for n bytes (int8 to the unsigned form a = x + 128).
void FlipSignAvx512(const uint8_t* src, uint8_t* dst, int64_t n);

// Rows of an 8-bit SOFTMAX of depth 1 to 16 (softmax.cc): exps[max byte * 256 + byte] holds
// expf(beta * (v - max)) as the reference computes it; out = QuantizeRounded(e / sum).
struct SoftmaxRows {
  const uint8_t* in = nullptr;
  uint8_t* out = nullptr;
  int32_t depth = 0;
  bool is_signed = false;
  const float* exps = nullptr;
  float out_scale = 1;
  int32_t zero_point = 0, lo = 0, hi = 0;  // the output's zero point and type range
};
// Rows [r0, r1) (softmax_avx512.cc; AVX-512 F/BW/VL/DQ).
void SoftmaxRowsAvx512(const SoftmaxRows& s, int64_t r0, int64_t r1);

// AVX-512 F/BW/VL (spatial_avx512.cc). One output row of uint8 RESIZE_BILINEAR: the reference's
// WeighRow (reference/resize_uint8.h), 16 channels a vector, same bytes.
void WeighRowAvx512(const uint8_t* top, const uint8_t* bottom,
                    const reference::internal::BilinearTap* xs, int32_t out_w, float y_frac,
                    int64_t channels, uint8_t* out);
// ARG_MAX along rows of `size` (1 to 64) bytes, uint8 or (is_signed) int8: out[r] = the lowest
// index of the row's largest value.
template <typename Index>
void ArgMaxRowsAvx512(const uint8_t* in, bool is_signed, int64_t rows, int32_t size, Index* out);

}  // namespace coralpi::native
