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

/// One step of a row group over blocks b and, when `both`, b + 1 (interleaved layout, see
/// quant_kernels.h) for V vectors: each row's nibbles are unpacked once and met by every vector
/// (prefill; decoding has V = 1). Each row's accumulator takes block b then block b + 1, the
/// order of block_products, and the four rows' Q4_1 minimum sums advance together, one lane per
/// row; so each result is the single-vector product bit for bit. V is a literal at every call.
static inline __attribute__((always_inline)) KERNEL_TARGET
void NAME(pair_step)(int format, const uint8_t *pair, long b, int both, int V, const int8_t *const xv[],
                     const float *const xs[], const float *const xm[], __m256 acc[][4], __m128 minimums[]) {
    const __m256 d = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)pair));
    const __m256 m = format == ALLSPARK_Q4_1 ? _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(pair + 16))) : d;
    float scale[4][8] __attribute__((aligned(32)));
    __m256i x0[4], x1[4];
    for (int j = 0; j < V; j++) {
        const __m256 xd = both ? _mm256_set_m128(_mm_broadcast_ss(xs[j] + b + 1), _mm_broadcast_ss(xs[j] + b))
                               : _mm256_broadcast_ss(xs[j] + b);
        _mm256_store_ps(scale[j], _mm256_mul_ps(d, xd));
        if (format == ALLSPARK_Q4_1) {
            minimums[j] = _mm_fmadd_ps(_mm256_castps256_ps128(m), _mm_broadcast_ss(xm[j] + b), minimums[j]);
            if (both) minimums[j] = _mm_fmadd_ps(_mm256_extractf128_ps(m, 1), _mm_broadcast_ss(xm[j] + b + 1), minimums[j]);
        }
        x0[j] = _mm256_loadu_si256((const __m256i *)(xv[j] + b * 32));
        x1[j] = both ? _mm256_loadu_si256((const __m256i *)(xv[j] + b * 32 + 32)) : x0[j];
    }
    const uint8_t *payload = pair + interleaved_header_bytes(format);
    const __m256i low = _mm256_set1_epi8(0x0F);
    for (int r = 0; r < 4; r++) {
        __m256i q0, q1;
        if (format == ALLSPARK_Q8_0) {
            q0 = _mm256_loadu_si256((const __m256i *)(payload + 64 * r));
            q1 = both ? _mm256_loadu_si256((const __m256i *)(payload + 64 * r + 32)) : q0;
        } else {
            const __m256i packed = _mm256_loadu_si256((const __m256i *)(payload + 32 * r));
            q0 = _mm256_and_si256(packed, low);
            q1 = _mm256_and_si256(_mm256_srli_epi16(packed, 4), low);
            if (format == ALLSPARK_Q4_0) {
                q0 = _mm256_sub_epi8(q0, _mm256_set1_epi8(8));
                q1 = _mm256_sub_epi8(q1, _mm256_set1_epi8(8));
            }
        }
        for (int j = 0; j < V; j++) {
            const __m256i lanes0 = format == ALLSPARK_Q4_1 ? NAME(dot_us)(q0, x0[j]) : NAME(dot_ss)(q0, x0[j]);
            acc[j][r] = _mm256_fmadd_ps(_mm256_broadcast_ss(scale[j] + r), _mm256_cvtepi32_ps(lanes0), acc[j][r]);
            if (both) {
                const __m256i lanes1 = format == ALLSPARK_Q4_1 ? NAME(dot_us)(q1, x1[j]) : NAME(dot_ss)(q1, x1[j]);
                acc[j][r] = _mm256_fmadd_ps(_mm256_broadcast_ss(scale[j] + 4 + r), _mm256_cvtepi32_ps(lanes1), acc[j][r]);
            }
        }
    }
}

/// Rows 4g … 4g+3 (the group at `group`) with vectors v0 … v0+V−1; vector j's results to
/// y + (v0 + j)·y_stride + 4g.
static inline __attribute__((always_inline)) KERNEL_TARGET
void NAME(group_products)(int format, const uint8_t *group, long g, const allspark_q8_batch *x, long v0, int V,
                          float *y, long y_stride) {
    const long blocks = x->blocks, pair_bytes = interleaved_pair_bytes(format);
    const int8_t *xv[4];
    const float *xs[4], *xm[4];
    __m256 acc[4][4];
    __m128 minimums[4];
    for (int j = 0; j < V; j++) {
        xv[j] = x->values + (v0 + j) * blocks * 32;
        xs[j] = x->scales + (v0 + j) * blocks; xm[j] = x->sums + (v0 + j) * blocks;
        for (int r = 0; r < 4; r++) acc[j][r] = _mm256_setzero_ps();
        minimums[j] = _mm_setzero_ps();
    }
    long b = 0;
    for (; b + 2 <= blocks; b += 2, group += pair_bytes) {
        NAME(pair_step)(format, group, b, 1, V, xv, xs, xm, acc, minimums);
    }
    if (b < blocks) {
        NAME(pair_step)(format, group, b, 0, V, xv, xs, xm, acc, minimums);
    }
    for (int j = 0; j < V; j++) {
        float m[4];
        _mm_storeu_ps(m, minimums[j]);
        float *y4 = y + (v0 + j) * y_stride + 4 * g;
        for (int r = 0; r < 4; r++) {
            const float sum = horizontal_sum(acc[j][r]);
            y4[r] = format == ALLSPARK_Q4_1 ? sum + m[r] : sum;
        }
    }
}

/// Row groups [g0, g1) with every vector: tiles of four groups (16 rows, a few KB) stay in L1
/// while the vectors meet them, MULTI_VECTORS at a time.
static inline __attribute__((always_inline)) KERNEL_TARGET
void NAME(interleaved_format_products)(int format, const uint8_t *weights, long g0, long g1,
                                       const allspark_q8_batch *x, long vectors, float *y, long y_stride) {
    const long group_bytes = ((x->blocks + 1) / 2) * interleaved_pair_bytes(format);
    for (long tile = g0; tile < g1; tile += 4) {
        const long tile_end = tile + 4 < g1 ? tile + 4 : g1;
        long v = 0;
        for (; v + MULTI_VECTORS <= vectors; v += MULTI_VECTORS) {
            for (long g = tile; g < tile_end; g++)
                NAME(group_products)(format, weights + g * group_bytes, g, x, v, MULTI_VECTORS, y, y_stride);
        }
        for (; v < vectors; v++) {
            for (long g = tile; g < tile_end; g++)
                NAME(group_products)(format, weights + g * group_bytes, g, x, v, 1, y, y_stride);
        }
    }
}

static KERNEL_TARGET
int NAME(interleaved_products)(int format, const uint8_t *weights, long g0, long g1,
                               const allspark_q8_batch *x, long vectors, float *y, long y_stride) {
    switch (format) {
    case ALLSPARK_Q4_1:
        NAME(interleaved_format_products)(ALLSPARK_Q4_1, weights, g0, g1, x, vectors, y, y_stride);
        return 0;
    case ALLSPARK_Q4_0:
        NAME(interleaved_format_products)(ALLSPARK_Q4_0, weights, g0, g1, x, vectors, y, y_stride);
        return 0;
    case ALLSPARK_Q8_0:
        NAME(interleaved_format_products)(ALLSPARK_Q8_0, weights, g0, g1, x, vectors, y, y_stride);
        return 0;
    default:
        return -1;
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
