// The product kernels, written once and compiled once per instruction set: quant_kernels.c
// includes this file with KERNEL_SUFFIX (a name suffix), KERNEL_TARGET (a target attribute) and a
// dot_us_<suffix> function defined. Everything here is static; only the dispatcher is public.

#define KERNEL_NAME_(f, s) f##_##s
#define KERNEL_NAME(f, s) KERNEL_NAME_(f, s)
#define NAME(f) KERNEL_NAME(f, KERNEL_SUFFIX)

/// Signed × signed bytes through the unsigned × signed instruction: |a| · (b · sign a).
static inline __attribute__((always_inline)) KERNEL_TARGET
__m256i NAME(dot_ss)(__m256i a, __m256i b) {
    return NAME(dot_us)(_mm256_sign_epi8(a, a), _mm256_sign_epi8(b, a));
}

/// Rows [r0, r0 + R) with vectors [v0, v0 + V): R·V results, each accumulated exactly as the
/// single-row, single-vector product would be (see quant_kernels.h). R, V and `format` are
/// literals at every call, so the loops over them unroll and the accumulators stay in registers.
static inline __attribute__((always_inline)) KERNEL_TARGET
void NAME(block_products)(int format, const uint8_t *weights, long row_bytes, long r0, int R,
                          const allspark_q8_batch *x, long v0, int V, float *y, long y_stride) {
    __m256 acc[4][4];
    float minimums[4][4];
    for (int i = 0; i < R; i++) {
        for (int j = 0; j < V; j++) { acc[i][j] = _mm256_setzero_ps(); minimums[i][j] = 0; }
    }
    const long blocks = x->blocks;
    const long block_bytes = block_size(format);
    for (long b = 0; b < blocks; b++) {
        for (int i = 0; i < R; i++) {
            const uint8_t *p = weights + (r0 + i) * row_bytes + b * block_bytes;
            const float d = half_to_float(p);
            const float m = format == ALLSPARK_Q4_1 ? half_to_float(p + 2) : 0;
            const __m256i q = unpack_block(format, p);
            for (int j = 0; j < V; j++) {
                const long xb = (v0 + j) * blocks + b;
                const __m256i xq = _mm256_loadu_si256((const __m256i *)(x->values + xb * 32));
                const __m256i lanes = format == ALLSPARK_Q4_1 ? NAME(dot_us)(q, xq) : NAME(dot_ss)(q, xq);
                const __m256 scale = _mm256_set1_ps(d * x->scales[xb]);
                acc[i][j] = _mm256_fmadd_ps(scale, _mm256_cvtepi32_ps(lanes), acc[i][j]);
                if (format == ALLSPARK_Q4_1) minimums[i][j] = fmaf(m, x->sums[xb], minimums[i][j]);
            }
        }
    }
    for (int i = 0; i < R; i++) {
        for (int j = 0; j < V; j++) {
            const float sum = horizontal_sum(acc[i][j]);
            y[(v0 + j) * y_stride + r0 + i] = format == ALLSPARK_Q4_1 ? sum + minimums[i][j] : sum;
        }
    }
}

/// One format over a row range. One vector (decoding): two rows at a time, two independent
/// accumulator chains. Several (batched prefill): tiles of 16 rows (a few KB of weights) met by
/// groups of four vectors, so both stay in L1 while they are multiplied.
static inline __attribute__((always_inline)) KERNEL_TARGET
void NAME(format_products)(int format, const uint8_t *weights, long row_bytes, long row_begin, long row_end,
                           const allspark_q8_batch *x, long vectors, float *y, long y_stride) {
    if (vectors == 1) {
        long r = row_begin;
        for (; r + 2 <= row_end; r += 2) NAME(block_products)(format, weights, row_bytes, r, 2, x, 0, 1, y, y_stride);
        if (r < row_end) NAME(block_products)(format, weights, row_bytes, r, 1, x, 0, 1, y, y_stride);
        return;
    }
    for (long tile = row_begin; tile < row_end; tile += 16) {
        const long tile_end = tile + 16 < row_end ? tile + 16 : row_end;
        long v = 0;
        for (; v + 4 <= vectors; v += 4) {
            for (long r = tile; r < tile_end; r++) NAME(block_products)(format, weights, row_bytes, r, 1, x, v, 4, y, y_stride);
        }
        for (; v < vectors; v++) {
            for (long r = tile; r < tile_end; r++) NAME(block_products)(format, weights, row_bytes, r, 1, x, v, 1, y, y_stride);
        }
    }
}

static KERNEL_TARGET
int NAME(products)(int format, const uint8_t *weights, long row_bytes, long row_begin, long row_end,
                   const allspark_q8_batch *x, long vectors, float *y, long y_stride) {
    switch (format) {
    case ALLSPARK_Q4_1:
        NAME(format_products)(ALLSPARK_Q4_1, weights, row_bytes, row_begin, row_end, x, vectors, y, y_stride);
        return 0;
    case ALLSPARK_Q4_0:
        NAME(format_products)(ALLSPARK_Q4_0, weights, row_bytes, row_begin, row_end, x, vectors, y, y_stride);
        return 0;
    case ALLSPARK_Q8_0:
        NAME(format_products)(ALLSPARK_Q8_0, weights, row_bytes, row_begin, row_end, x, vectors, y, y_stride);
        return 0;
    default:
        return -1;
    }
}

#undef NAME
