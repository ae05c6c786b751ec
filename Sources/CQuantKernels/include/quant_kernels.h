#pragma once
#include <stdint.h>

/// Integer dot products of ggml's 4- and 8-bit weight blocks with 8-bit activation blocks, the
/// decoder's hot loop under the llama.cpp-compatible numerics. Written in C because Swift cannot
/// reach the byte-multiply-accumulate instructions (AVX2 vpmaddubsw + vpmaddwd, AVX-512 VNNI
/// vpdpbusd) that do 32 products in one or two instructions; SparkEngine's QuantizedMatrix calls
/// these and keeps every bounds check on its side.
///
/// Exactness: per block, lane k of an 8-lane integer accumulator gets Σ_{e<4} w[4k+e]·q[4k+e]
/// (an exact integer, whichever instruction formed it), is converted to float and added as
/// acc = fma(d_w·d_x, lane, acc); the 8 lanes are summed ((a0+a4)+(a2+a6))+((a1+a5)+(a3+a7)), and
/// Q4_1 adds Σ_b fma(m_b, s_b, ·) afterwards. That is llama.cpp's AVX2 rounding, bit for bit.

/// A batch of activation vectors as 8-bit blocks: for vector v and block b (of `blocks` per
/// vector), values[(v·blocks + b)·32 …] are the 32 integers in natural order, scales[v·blocks + b]
/// the f16-rounded scale d, sums[v·blocks + b] the f16-rounded d·Σq (Q4_1's offset term).
typedef struct {
    const int8_t *values;
    const float *scales;
    const float *sums;
    long blocks;
} allspark_q8_batch;

/// Rounds `blocks` blocks of 32 floats to 8-bit integers as llama.cpp's quantize_row_q8_1:
/// d = max|x| / 127, q = round-half-even(x · 127 / max|x|) (0 when max|x| = 0), scale f16(d),
/// sum f16(d · Σq). Outputs as in allspark_q8_batch.
void allspark_quantize_q8_blocks(const float *x, long blocks, int8_t *values, float *scales, float *sums);

/// The weight formats, as ggml lays their blocks out (SparkEngine's QuantizedFormat).
enum { ALLSPARK_Q4_0 = 0, ALLSPARK_Q4_1 = 1, ALLSPARK_Q8_0 = 2 };

/// The instruction sets the products can use. The default is the best this CPU has.
enum { ALLSPARK_KERNEL_AVX2 = 0, ALLSPARK_KERNEL_AVX512_VNNI = 1 };

/// 1 when this CPU can run `kernel`, else 0.
int allspark_quantized_kernel_available(int kernel);

/// y[v·y_stride + r] = row r of W · vector v, for rows [row_begin, row_end) and vectors
/// [0, vectors), through instruction set `kernel`. `weights` is row 0; rows are `row_bytes` apart
/// and hold `x->blocks` blocks each. Returns 0; −1 for an unknown format; −2, having done nothing,
/// when this CPU cannot run `kernel`.
int allspark_quantized_products(int kernel, int format, const void *weights, long row_bytes, long row_begin,
                                     long row_end, const allspark_q8_batch *x, long vectors, float *y, long y_stride);

/// The interleaved layout: the same blocks regrouped so that the products run about half the
/// instructions per block (21 → ~10 in the AVX2 Q4_1 loop; docs/DECODE-SPEED.md). Rows go in groups of four and blocks in pairs (b, b+1);
/// each group holds its pairs in order, and a pair is
///   8 f16 scales   [d(b, r0) … d(b, r3), d(b+1, r0) … d(b+1, r3)]
///   8 f16 minimums in the same order (Q4_1 only)
///   per row r0 … r3: Q4_x: 32 bytes, byte i = weight i of block b | weight i of block b+1 << 4
///                    (the raw nibbles, natural order); Q8_0: block b's 32 bytes, then block b+1's.
/// With an odd block count the last pair's second half is zeros and is never read. The scales
/// and minimums of four rows then convert in one instruction, the nibbles of two blocks come from
/// one load, and each result is still the single-row product, bit for bit.

/// Bytes of the interleaved form of `rows × blocks` blocks of `format`; −1 when `rows` is not a
/// multiple of 4, the format is unknown or the size overflows.
long allspark_interleaved_bytes(int format, long rows, long blocks);

/// Writes row groups [group_begin, group_end) (rows 4g … 4g+3) of the ggml-layout `weights`
/// (rows of `blocks` blocks, end to end) into `out`, which holds allspark_interleaved_bytes.
/// Returns 0; −1 for an unknown format.
int allspark_interleave(int format, const void *weights, long blocks, long group_begin, long group_end, void *out);

/// allspark_quantized_products on the interleaved form: rows [row_begin, row_end), both multiples
/// of 4; the same results bit for bit. Returns 0; −1 for an unknown format or a row range not on
/// a group boundary; −2, having done nothing, when this CPU cannot run `kernel`.
int allspark_interleaved_products(int kernel, int format, const void *interleaved, long row_begin, long row_end,
                                  const allspark_q8_batch *x, long vectors, float *y, long y_stride);

/// Float32-activation products on the interleaved form (the reference numerics' decoding):
/// y[v·y_stride + r] for rows [row_begin, row_end), both multiples of 4, and vectors [0, vectors).
/// Vector v is prepared as SparkEngine's PreparedVector lays it out: values[v·blocks·32 …], each
/// block's 32 values in lane order (value 8e + k is element 4k + e), and sums[v·blocks + b] = Σ of
/// block b's values (Q4_1's minimum term). Each result is bit for bit QuantizedDot.dot's on the
/// GGUF's layout (float_kernels.c says how). `kernel` picks the instruction set as above
/// (ALLSPARK_KERNEL_AVX512_VNNI: the 512-bit instance). Returns 0; −1 for an unknown format or a
/// row range not on a group boundary; −2, having done nothing, when this CPU cannot run `kernel`.
int allspark_interleaved_float_products(int kernel, int format, const void *interleaved, long row_begin, long row_end,
                                        const float *values, const float *sums, long blocks, long vectors, float *y,
                                        long y_stride);

/// A grow-only buffer of at least `bytes` bytes, 64-byte aligned, one per calling thread (reused
/// across calls, so a decoded token allocates nothing; freed when the thread ends). NULL when
/// memory runs out. One user at a time per thread: the next call may move it.
void *allspark_thread_scratch(long bytes);

/// How many threads hold a scratch buffer now (for the test that they are freed with their thread).
long allspark_thread_scratch_count(void);

/// The spin-wait hint (x86 PAUSE): a waiting loop yields the core's shared resources and avoids
/// the memory-order flush when the awaited store arrives.
static inline void allspark_cpu_relax(void) { __builtin_ia32_pause(); }
