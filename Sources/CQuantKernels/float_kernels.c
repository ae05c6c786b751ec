// Float32-activation products on the interleaved layout (quant_kernels.h): the reference
// numerics' decoding, which the trained pipeline generates with. Each result is, bit for bit,
// SparkEngine's QuantizedDot.dot on the GGUF's layout, so that moving the trained pipeline onto
// this kernel changes no figure it prints:
//
//   per block b:  lanes = q₀·x₀ (rounded), then lanes = fma(q_e, x_e, lanes) for e = 1, 2, 3,
//                 where lane k of q_e is weight 4k+e (an exact small integer) and of x_e value
//                 4k+e of the block (the prepared vector's lane order, PreparedVector);
//                 acc = fma(d_b, lanes, acc)      (d_b · 1: Float activations have scale 1)
//                 minimums = fma(m_b, Σx_b, minimums)   (Q4_1)
//   result:       ((a0+a4)+(a2+a6)) + ((a1+a5)+(a3+a7)), plus minimums for Q4_1.
//
// Why this is faster than the Swift loop: the interleaved copy holds two blocks' nibbles in one
// 32-byte load whose 32-bit lane k is bytes 4k…4k+3, so weight 4k+e of block b is simply
// (lane >> 8e) & 15 and of block b+1 (lane >> 8e+4) & 15 — no per-block widening — and four
// rows' f16 scales convert in one instruction. AVX-512 goes further: a 16-lane register holds
// block b in lanes 0–7 and b+1 in lanes 8–15, so one variable shift, mask, conversion and FMA
// serve both blocks; the two halves then enter the accumulator in order, b first.
// Built with -ffp-contract=off (Package.swift): every multiply and FMA is the one written.
#include "quant_kernels.h"
#include "kernel_helpers.h"

/// Weight 4k+e of one block for e = 0…3 as Floats (lane k), from a row's 32-byte payload lane
/// word `packed`: Q4_x nibbles at bit 8e (+4 for the pair's second block), Q8_0 signed bytes.
static inline __attribute__((always_inline)) __m256 weights_256(int format, __m256i packed, int e, int high) {
    if (format == ALLSPARK_Q8_0) {
        return _mm256_cvtepi32_ps(_mm256_srai_epi32(_mm256_slli_epi32(packed, 24 - 8 * e), 24));
    }
    const __m256i nibble = _mm256_and_si256(_mm256_srli_epi32(packed, 8 * e + 4 * high), _mm256_set1_epi32(0x0F));
    const __m256 q = _mm256_cvtepi32_ps(nibble);
    return format == ALLSPARK_Q4_0 ? _mm256_sub_ps(q, _mm256_set1_ps(8)) : q;
}

/// One block's lane sums for one row: q₀·x₀, then three FMAs (the Swift kernel's laneSums).
static inline __attribute__((always_inline)) __m256 lanes_256(int format, __m256i packed, int high, const __m256 x[4]) {
    __m256 s = _mm256_mul_ps(weights_256(format, packed, 0, high), x[0]);
    for (int e = 1; e < 4; e++) s = _mm256_fmadd_ps(weights_256(format, packed, e, high), x[e], s);
    return s;
}

/// The 32-byte payload of row r for block `half` (0: b, 1: b+1) of a pair.
static inline __attribute__((always_inline)) __m256i payload_256(int format, const uint8_t *payload, int r, int half) {
    if (format == ALLSPARK_Q8_0) return _mm256_loadu_si256((const __m256i *)(payload + 64 * r + 32 * half));
    return _mm256_loadu_si256((const __m256i *)(payload + 32 * r));
}

/// Block `b` (`half` of its pair) for the four rows of a group, AVX2: eight lanes, one block.
static inline __attribute__((always_inline)) void block_step_avx2(int format, const uint8_t *payload, int half,
                                                                  const float *d, const float *xb, __m256 acc[4]) {
    __m256 x[4];
    for (int e = 0; e < 4; e++) x[e] = _mm256_loadu_ps(xb + 8 * e);
    for (int r = 0; r < 4; r++) {
        const __m256 s = lanes_256(format, payload_256(format, payload, r, half), format == ALLSPARK_Q8_0 ? 0 : half, x);
        acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(d[4 * half + r]), s, acc[r]);
    }
}

/// Q4_1's minimum term for the four rows of a group: lane r += m(b, r) · Σx_b (then b+1).
static inline __attribute__((always_inline)) __m128 minimum_step(const uint8_t *pair, const float *xm, long b, int both,
                                                                 __m128 minimums) {
    const __m256 m = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(pair + 16)));
    minimums = _mm_fmadd_ps(_mm256_castps256_ps128(m), _mm_set1_ps(xm[b]), minimums);
    if (both) minimums = _mm_fmadd_ps(_mm256_extractf128_ps(m, 1), _mm_set1_ps(xm[b + 1]), minimums);
    return minimums;
}

static inline __attribute__((always_inline)) void group_results(int format, __m256 acc[4], __m128 minimums, float *y4) {
    float m[4];
    _mm_storeu_ps(m, minimums);
    for (int r = 0; r < 4; r++) {
        const float sum = horizontal_sum(acc[r]);
        y4[r] = format == ALLSPARK_Q4_1 ? sum + m[r] : sum;
    }
}

/// Rows 4g…4g+3 (the group at `group`) with one prepared vector, AVX2.
static inline __attribute__((always_inline)) void group_avx2(int format, const uint8_t *group, long blocks,
                                                             const float *xv, const float *xm, float *y4) {
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    __m128 minimums = _mm_setzero_ps();
    const long pair_bytes = interleaved_pair_bytes(format), header = interleaved_header_bytes(format);
    for (long b = 0; b < blocks; b += 2, group += pair_bytes) {
        const int both = b + 1 < blocks;
        float d[8] __attribute__((aligned(32)));
        _mm256_store_ps(d, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)group)));
        if (format == ALLSPARK_Q4_1) minimums = minimum_step(group, xm, b, both, minimums);
        block_step_avx2(format, group + header, 0, d, xv + b * 32, acc);
        if (both) block_step_avx2(format, group + header, 1, d, xv + b * 32 + 32, acc);
    }
    group_results(format, acc, minimums, y4);
}

#define AVX512_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))

/// [low | high] and its upper half, with AVX-512F alone (the 32-bit-lane forms need AVX-512DQ).
static inline __attribute__((always_inline)) AVX512_TARGET __m512 join_256(__m256 low, __m256 high) {
    return _mm512_castpd_ps(_mm512_insertf64x4(_mm512_castps_pd(_mm512_castps256_ps512(low)), _mm256_castps_pd(high), 1));
}

static inline __attribute__((always_inline)) AVX512_TARGET __m256 upper_256(__m512 a) {
    return _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a), 1));
}

/// Weight 4k+e of blocks b (lanes 0–7) and b+1 (lanes 8–15) as Floats.
static inline __attribute__((always_inline)) AVX512_TARGET __m512 weights_512(int format, __m512i packed, int e) {
    if (format == ALLSPARK_Q8_0) {
        return _mm512_cvtepi32_ps(_mm512_srai_epi32(_mm512_slli_epi32(packed, 24 - 8 * e), 24));
    }
    const __m512i shift = _mm512_inserti64x4(_mm512_set1_epi32(8 * e), _mm256_set1_epi32(8 * e + 4), 1);
    const __m512 q = _mm512_cvtepi32_ps(_mm512_and_si512(_mm512_srlv_epi32(packed, shift), _mm512_set1_epi32(0x0F)));
    return format == ALLSPARK_Q4_0 ? _mm512_sub_ps(q, _mm512_set1_ps(8)) : q;
}

/// Rows 4g…4g+3 with one prepared vector, AVX-512: both blocks of a pair per instruction.
static inline __attribute__((always_inline)) AVX512_TARGET void group_avx512(int format, const uint8_t *group, long blocks,
                                                                             const float *xv, const float *xm, float *y4) {
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    __m128 minimums = _mm_setzero_ps();
    const long pair_bytes = interleaved_pair_bytes(format), header = interleaved_header_bytes(format);
    long b = 0;
    for (; b + 2 <= blocks; b += 2, group += pair_bytes) {
        float d[8] __attribute__((aligned(32)));
        _mm256_store_ps(d, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)group)));
        if (format == ALLSPARK_Q4_1) minimums = minimum_step(group, xm, b, 1, minimums);
        const uint8_t *payload = group + header;
        __m512 x[4];
        for (int e = 0; e < 4; e++) {
            x[e] = join_256(_mm256_loadu_ps(xv + b * 32 + 8 * e), _mm256_loadu_ps(xv + b * 32 + 32 + 8 * e));
        }
        for (int r = 0; r < 4; r++) {
            const __m512i packed = format == ALLSPARK_Q8_0
                ? _mm512_loadu_si512((const void *)(payload + 64 * r))
                : _mm512_broadcast_i64x4(_mm256_loadu_si256((const __m256i *)(payload + 32 * r)));
            __m512 s = _mm512_mul_ps(weights_512(format, packed, 0), x[0]);
            for (int e = 1; e < 4; e++) s = _mm512_fmadd_ps(weights_512(format, packed, e), x[e], s);
            acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(d[r]), _mm512_castps512_ps256(s), acc[r]);
            acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(d[4 + r]), upper_256(s), acc[r]);
        }
    }
    if (b < blocks) {   // an odd block count: the last pair's first block alone
        float d[8] __attribute__((aligned(32)));
        _mm256_store_ps(d, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)group)));
        if (format == ALLSPARK_Q4_1) minimums = minimum_step(group, xm, b, 0, minimums);
        block_step_avx2(format, group + header, 0, d, xv + b * 32, acc);
    }
    group_results(format, acc, minimums, y4);
}

/// Groups [g0, g1) with every vector, through `group` (one of the two above, per format).
#define FORMAT_PRODUCTS(NAME, GROUP, TARGET)                                                                      \
    static TARGET void NAME(int format, const uint8_t *weights, long g0, long g1, const float *values,            \
                            const float *sums, long blocks, long vectors, float *y, long y_stride) {               \
        const long group_bytes = ((blocks + 1) / 2) * interleaved_pair_bytes(format);                              \
        for (long v = 0; v < vectors; v++) {                                                                       \
            const float *xv = values + v * blocks * 32, *xm = sums + v * blocks;                                   \
            for (long g = g0; g < g1; g++) {                                                                       \
                const uint8_t *group = weights + g * group_bytes;                                                 \
                float *y4 = y + v * y_stride + 4 * g;                                                              \
                switch (format) {                                                                                  \
                case ALLSPARK_Q4_1: GROUP(ALLSPARK_Q4_1, group, blocks, xv, xm, y4); break;                       \
                case ALLSPARK_Q4_0: GROUP(ALLSPARK_Q4_0, group, blocks, xv, xm, y4); break;                       \
                default: GROUP(ALLSPARK_Q8_0, group, blocks, xv, xm, y4); break;                                  \
                }                                                                                                  \
            }                                                                                                      \
        }                                                                                                          \
    }
FORMAT_PRODUCTS(float_products_avx2, group_avx2, )
FORMAT_PRODUCTS(float_products_avx512, group_avx512, AVX512_TARGET)

int allspark_interleaved_float_products(int kernel, int format, const void *interleaved, long row_begin, long row_end,
                                        const float *values, const float *sums, long blocks, long vectors, float *y,
                                        long y_stride) {
    if (!allspark_quantized_kernel_available(kernel)) return -2;
    if (!known_format(format) || row_begin % 4 != 0 || row_end % 4 != 0) return -1;
    if (kernel == ALLSPARK_KERNEL_AVX512_VNNI)
        float_products_avx512(format, interleaved, row_begin / 4, row_end / 4, values, sums, blocks, vectors, y, y_stride);
    else
        float_products_avx2(format, interleaved, row_begin / 4, row_end / 4, values, sums, blocks, vectors, y, y_stride);
    return 0;
}
