// Integer block products for the decoder (see include/quant_kernels.h for what and why).
// Built with AVX2, FMA and F16C, the baseline of every machine this project runs on (the Swift
// targets assume it too: -target-cpu haswell); the AVX-512 VNNI instance is chosen at run time.
// Built with -ffp-contract=off: every fused multiply-add below is written out, so the rounding
// is the one documented, whatever the compiler would otherwise contract.
#include "quant_kernels.h"
#include "kernel_helpers.h"

#include <immintrin.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

// AVX2: 16 pair sums (vpmaddubsw; at most 2·15·127 or 2·128·127, no saturation), then 8 quad sums.
static inline __attribute__((always_inline)) __m256i dot_us_avx2(__m256i u, __m256i s) {
    return _mm256_madd_epi16(_mm256_maddubs_epi16(u, s), _mm256_set1_epi16(1));
}
#define KERNEL_SUFFIX avx2
#define KERNEL_TARGET
#define MULTI_VECTORS 2
#include "quant_kernels_body.h"
#undef KERNEL_SUFFIX
#undef KERNEL_TARGET
#undef MULTI_VECTORS

// AVX-512 VNNI on 256-bit registers: the same quad sums in one instruction.
#define VNNI_TARGET __attribute__((target("avx512f,avx512bw,avx512vl,avx512vnni")))
static inline __attribute__((always_inline)) VNNI_TARGET __m256i dot_us_vnni(__m256i u, __m256i s) {
    return _mm256_dpbusd_epi32(_mm256_setzero_si256(), u, s);
}
#define KERNEL_SUFFIX vnni
#define KERNEL_TARGET VNNI_TARGET
#define MULTI_VECTORS 4
#include "quant_kernels_body.h"
#undef KERNEL_SUFFIX
#undef KERNEL_TARGET
#undef MULTI_VECTORS

static int cpu_has_vnni(void) {
    static int answer = -1;   // computed once; threads that race compute the same value
    int known = __atomic_load_n(&answer, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512vl")
             && __builtin_cpu_supports("avx512bw");
        __atomic_store_n(&answer, known, __ATOMIC_RELAXED);
    }
    return known;
}

int allspark_quantized_kernel_available(int kernel) {
    return kernel == ALLSPARK_KERNEL_AVX2 || (kernel == ALLSPARK_KERNEL_AVX512_VNNI && cpu_has_vnni());
}

int allspark_quantized_products(int kernel, int format, const void *weights, long row_bytes, long row_begin,
                                     long row_end, const allspark_q8_batch *x, long vectors, float *y, long y_stride) {
    if (!allspark_quantized_kernel_available(kernel)) return -2;
    if (kernel == ALLSPARK_KERNEL_AVX512_VNNI)
        return products_vnni(format, weights, row_bytes, row_begin, row_end, x, vectors, y, y_stride);
    return products_avx2(format, weights, row_bytes, row_begin, row_end, x, vectors, y, y_stride);
}

long allspark_interleaved_bytes(int format, long rows, long blocks) {
    if (!known_format(format) || rows < 0 || blocks < 0 || rows % 4 != 0) return -1;
    long per_group, total;
    if (__builtin_mul_overflow((blocks + 1) / 2, interleaved_pair_bytes(format), &per_group)) return -1;
    if (__builtin_mul_overflow(rows / 4, per_group, &total)) return -1;
    return total;
}

int allspark_interleave(int format, const void *weights, long blocks, long group_begin, long group_end, void *out) {
    if (!known_format(format)) return -1;
    const long block_bytes = block_size(format), pairs = (blocks + 1) / 2, pair_bytes = interleaved_pair_bytes(format);
    const long header = interleaved_header_bytes(format), skip = format == ALLSPARK_Q4_1 ? 4 : 2;
    for (long g = group_begin; g < group_end; g++) {
        for (long p = 0; p < pairs; p++) {
            uint8_t *pair = (uint8_t *)out + (g * pairs + p) * pair_bytes;
            memset(pair, 0, (size_t)pair_bytes);
            for (int half = 0; half < 2; half++) {
                const long b = 2 * p + half;
                if (b >= blocks) continue;
                for (int r = 0; r < 4; r++) {
                    const uint8_t *block = (const uint8_t *)weights + ((4 * g + r) * blocks + b) * block_bytes;
                    const uint8_t *q = block + skip;
                    memcpy(pair + 2 * (4 * half + r), block, 2);
                    if (format == ALLSPARK_Q4_1) memcpy(pair + 16 + 2 * (4 * half + r), block + 2, 2);
                    if (format == ALLSPARK_Q8_0) {
                        memcpy(pair + header + 64 * r + 32 * half, q, 32);
                        continue;
                    }
                    // ggml's byte j holds weights j (low nibble) and j + 16 (high); here byte i
                    // holds weight i, of block b in the low nibble and of block b + 1 in the high.
                    uint8_t *row = pair + header + 32 * r;
                    for (int j = 0; j < 16; j++) {
                        row[j] |= (uint8_t)((q[j] & 0x0F) << (4 * half));
                        row[j + 16] |= (uint8_t)((q[j] >> 4) << (4 * half));
                    }
                }
            }
        }
    }
    return 0;
}

int allspark_interleaved_products(int kernel, int format, const void *interleaved, long row_begin, long row_end,
                                  const allspark_q8_batch *x, long vectors, float *y, long y_stride) {
    if (!allspark_quantized_kernel_available(kernel)) return -2;
    if (!known_format(format) || row_begin % 4 != 0 || row_end % 4 != 0) return -1;
    if (kernel == ALLSPARK_KERNEL_AVX512_VNNI)
        return interleaved_products_vnni(format, interleaved, row_begin / 4, row_end / 4, x, vectors, y, y_stride);
    return interleaved_products_avx2(format, interleaved, row_begin / 4, row_end / 4, x, vectors, y, y_stride);
}

void allspark_quantize_q8_blocks(const float *x, long blocks, int8_t *values, float *scales, float *sums) {
    for (long b = 0; b < blocks; b++) {
        const float *xb = x + b * 32;
        float maximum = 0;
        for (int i = 0; i < 32; i++) {
            const float magnitude = fabsf(xb[i]);
            maximum = magnitude > maximum ? magnitude : maximum;
        }
        const float d = maximum / 127;
        const float inverse = maximum != 0 ? 127 / maximum : 0;
        int sum = 0;
        for (int i = 0; i < 32; i++) {
            const int q = (int)__builtin_roundevenf(xb[i] * inverse);
            values[b * 32 + i] = (int8_t)q;
            sum += q;
        }
        scales[b] = round_to_half(d);
        sums[b] = round_to_half(d * (float)sum);
    }
}

// Each thread's buffer hangs off a pthread key whose destructor frees it when the thread ends:
// the TUI runs every job on a thread of its own, and a plain _Thread_local pointer would leak
// that thread's buffer each time.
typedef struct {
    void *buffer;
    long capacity;
} thread_scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_key_once = PTHREAD_ONCE_INIT;
static int scratch_key_made = 0;

static _Atomic long live_scratch_count = 0;

static void free_thread_scratch(void *pointer) {
    thread_scratch *scratch = pointer;
    free(scratch->buffer);
    free(scratch);
    atomic_fetch_sub_explicit(&live_scratch_count, 1, memory_order_relaxed);
}

long allspark_thread_scratch_count(void) { return atomic_load_explicit(&live_scratch_count, memory_order_relaxed); }

static void make_scratch_key(void) { scratch_key_made = pthread_key_create(&scratch_key, free_thread_scratch) == 0; }

void *allspark_thread_scratch(long bytes) {
    pthread_once(&scratch_key_once, make_scratch_key);
    if (!scratch_key_made) return NULL;
    thread_scratch *scratch = pthread_getspecific(scratch_key);
    if (scratch == NULL) {
        scratch = calloc(1, sizeof *scratch);
        if (scratch == NULL) return NULL;
        if (pthread_setspecific(scratch_key, scratch) != 0) { free(scratch); return NULL; }
        atomic_fetch_add_explicit(&live_scratch_count, 1, memory_order_relaxed);
    }
    if (bytes <= scratch->capacity) return scratch->buffer;
    void *grown = NULL;
    if (posix_memalign(&grown, 64, (size_t)bytes) != 0) return NULL;
    free(scratch->buffer);
    scratch->buffer = grown;
    scratch->capacity = bytes;
    return grown;
}
