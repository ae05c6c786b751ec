// Helpers shared by the kernels' translation units (quant_kernels.c: integer products and the
// interleaving; float_kernels.c: Float32-activation products): block and layout sizes, f16 reads,
// llama.cpp's horizontal sum. Private to CQuantKernels.
#pragma once
#include "quant_kernels.h"

#include <immintrin.h>
#include <string.h>

static inline __attribute__((always_inline)) float half_to_float(const uint8_t *p) {
    uint16_t bits;
    memcpy(&bits, p, 2);
    return _cvtsh_ss(bits);
}

static inline __attribute__((always_inline)) float round_to_half(float value) {
    return _cvtsh_ss(_cvtss_sh(value, _MM_FROUND_TO_NEAREST_INT));
}

static inline __attribute__((always_inline)) long block_size(int format) {
    return format == ALLSPARK_Q4_1 ? 20 : format == ALLSPARK_Q4_0 ? 18 : 34;
}

/// The interleaved layout's sizes (quant_kernels.h): a pair's f16 scales (and Q4_1's minimums)
/// for four rows, then each row's payload.
static inline __attribute__((always_inline)) long interleaved_header_bytes(int format) {
    return format == ALLSPARK_Q4_1 ? 32 : 16;
}

static inline __attribute__((always_inline)) long interleaved_pair_bytes(int format) {
    return interleaved_header_bytes(format) + 4 * (format == ALLSPARK_Q8_0 ? 64 : 32);
}

/// A block's 32 weights as bytes in natural order: nibbles 0–15 are the low halves of the 16
/// bytes, 16–31 the high halves (unsigned 0…15 for Q4_1; minus 8, signed, for Q4_0); Q8_0's 32
/// signed bytes as they are.
static inline __attribute__((always_inline)) __m256i unpack_block(int format, const uint8_t *block) {
    if (format == ALLSPARK_Q8_0) return _mm256_loadu_si256((const __m256i *)(block + 2));
    const __m128i packed = _mm_loadu_si128((const __m128i *)(block + (format == ALLSPARK_Q4_1 ? 4 : 2)));
    const __m256i both = _mm256_set_m128i(_mm_srli_epi16(packed, 4), packed);
    const __m256i nibbles = _mm256_and_si256(both, _mm256_set1_epi8(0x0F));
    return format == ALLSPARK_Q4_0 ? _mm256_sub_epi8(nibbles, _mm256_set1_epi8(8)) : nibbles;
}

/// ((a0+a4)+(a2+a6)) + ((a1+a5)+(a3+a7)), the order of llama.cpp's hsum_float_8.
static inline __attribute__((always_inline)) float horizontal_sum(__m256 a) {
    __m128 four = _mm_add_ps(_mm256_extractf128_ps(a, 1), _mm256_castps256_ps128(a));
    __m128 two = _mm_add_ps(four, _mm_movehl_ps(four, four));
    return _mm_cvtss_f32(_mm_add_ss(two, _mm_movehdup_ps(two)));
}

static inline __attribute__((always_inline)) int known_format(int format) {
    return format == ALLSPARK_Q4_0 || format == ALLSPARK_Q4_1 || format == ALLSPARK_Q8_0;
}
