#!/usr/bin/env python3
"""Independent reference values for the decoder's llama.cpp-compatible kernels
(Tests/SparkLMTests/DecoderKernelTests.swift).

Each function restates, in plain Python/NumPy float32 arithmetic, the operation order of
llama.cpp's CPU backend (AVX2 build) as read from its sources and the disassembly of
libggml-cpu.so: RMSNorm with a float64 sum of squares, RoPE with iterated angles and FMAs, the
flash-attention loop with an f16 accumulator, and the SIMD exponential of its SiLU (the published
algorithm of Arm's optimized-routines v_expf). Fused multiply-adds are rounded exactly (via
fractions); cosf/sinf/expf/powf are glibc's, called through ctypes, as llama.cpp calls them.
Inputs are built by `pattern`, which the tests reproduce exactly (small integers over a power of
two). Output: Swift array literals (bit patterns in hex where exactness matters).

Run: python3 scripts/reference/llama_numerics.py
"""
import ctypes
from fractions import Fraction

import numpy as np

f32 = np.float32
libm = ctypes.CDLL("libm.so.6")
for name, argc in (("cosf", 1), ("sinf", 1), ("expf", 1), ("powf", 2)):
    fn = getattr(libm, name)
    fn.restype = ctypes.c_float
    fn.argtypes = [ctypes.c_float] * argc


def pattern(count, multiplier, offset, modulus, scale):
    """v[i] = ((i * multiplier + offset) mod modulus − modulus / 2) · scale, exact in float32."""
    return np.array([(((i * multiplier + offset) % modulus) - modulus // 2) * scale for i in range(count)],
                    dtype=np.float32)


def wide_pattern(count, multiplier, offset):
    """Full 11-bit f16 mantissas over exponents 2^-4…2^4: sums of their products round in float32.
    v[i] = ((i·multiplier + offset) mod 2047 − 1023) / 1024 · 2^((i mod 9) − 4)."""
    return np.array([(((i * multiplier + offset) % 2047) - 1023) / 1024 * 2.0 ** ((i % 9) - 4) for i in range(count)],
                    dtype=np.float32)


def round_f32(value):
    """A Fraction rounded to the nearest float32, ties to even (no double rounding)."""
    guess = f32(float(value))
    candidates = [np.nextafter(guess, f32(-np.inf)), guess, np.nextafter(guess, f32(np.inf))]
    best = min(candidates, key=lambda c: (abs(Fraction(float(c)) - value),
                                         int(np.array(c, dtype=np.float32).view(np.uint32)) & 1))
    return f32(best)


def fma(a, b, c):
    return round_f32(Fraction(float(a)) * Fraction(float(b)) + Fraction(float(c)))


def bits(values):
    return ", ".join(f"0x{int(v):08X}" for v in np.asarray(values, dtype=np.float32).view(np.uint32))


def floats(values):
    return ", ".join(repr(float(v)) for v in np.asarray(values, dtype=np.float32))


# --- RMSNorm ---------------------------------------------------------------------------------

def rms_norm_llama(x, w, eps):
    total = 0.0
    for v in x:
        total += float(f32(v * v))           # float product, double sum
    mean = f32(total / len(x))
    scale = f32(f32(1) / np.sqrt(f32(mean + f32(eps))))
    return np.array([f32(f32(v * scale) * wv) for v, wv in zip(x, w)], dtype=np.float32)


def rms_norm_float(x, w, eps):
    total = f32(0)
    for v in x:
        total = f32(total + f32(v * v))
    mean = f32(total / f32(len(x)))
    scale = f32(f32(1) / np.sqrt(f32(mean + f32(eps))))
    return np.array([f32(f32(v * scale) * wv) for v, wv in zip(x, w)], dtype=np.float32)


# --- RoPE ------------------------------------------------------------------------------------

def rope_llama(x, position, heads, head_width, dims, base):
    out = x.copy()
    theta_scale = f32(libm.powf(f32(base), f32(-2.0) / f32(dims)))
    theta = f32(position)
    for i in range(dims // 2):
        c, s = f32(libm.cosf(theta)), f32(libm.sinf(theta))
        for h in range(heads):
            a, b = x[h * head_width + 2 * i], x[h * head_width + 2 * i + 1]
            out[h * head_width + 2 * i] = fma(a, c, -f32(b * s))
            out[h * head_width + 2 * i + 1] = fma(a, s, f32(b * c))
        theta = f32(theta * theta_scale)
    return out


# --- flash attention -------------------------------------------------------------------------

def half_dot(k, q, other_order=False):
    """ggml_vec_dot_f16 (AVX): 4 accumulators of 8 lanes over steps of 32, fixed reduction.
    `other_order` reduces the accumulators as (a0 + a1) + (a2 + a3), to check the inputs tell."""
    n = len(k)
    acc = np.zeros((4, 8), dtype=np.float32)
    i = 0
    while i + 32 <= n:
        for j in range(4):
            for lane in range(8):
                acc[j, lane] = fma(k[i + 8 * j + lane], q[i + 8 * j + lane], acc[j, lane])
        i += 32
    if other_order:
        a = np.array([f32(f32(acc[0, l] + acc[1, l]) + f32(acc[2, l] + acc[3, l])) for l in range(8)], dtype=np.float32)
    else:
        a = np.array([f32(f32(acc[0, l] + acc[2, l]) + f32(acc[1, l] + acc[3, l])) for l in range(8)], dtype=np.float32)
    four = [f32(a[l] + a[l + 4]) for l in range(4)]
    total = float(f32(f32(four[0] + four[1]) + f32(four[2] + four[3])))
    while i < n:
        total += float(f32(k[i] * q[i]))
        i += 1
    return f32(total)


def flash_accumulate(q, keys, values, scale, half):
    """The one-query loop (ggml_compute_forward_flash_attn_ext_f16_one_chunk): (M, S, value sum)."""
    acc = np.zeros(len(q), dtype=np.float32)
    m, s_total = f32(-np.inf), f32(0)
    for k, v in zip(keys, values):
        s = f32(half_dot(k, q) * f32(scale))
        ms, vs = f32(1), f32(1)
        if s > m:
            ms = f32(libm.expf(f32(m - s)))
            m = s
            acc = np.array([f32(a * ms) for a in acc], dtype=np.float32)
            if half:
                acc = acc.astype(np.float16).astype(np.float32)
        else:
            vs = f32(libm.expf(f32(s - m)))
        acc = np.array([fma(vv, vs, a) for vv, a in zip(v, acc)], dtype=np.float32)
        if half:
            acc = acc.astype(np.float16).astype(np.float32)
        s_total = fma(s_total, ms, vs)
    return m, s_total, acc


def flash_attention(q, keys, values, scale, half):
    if half:
        q = q.astype(np.float16).astype(np.float32)
    _, s_total, acc = flash_accumulate(q, keys, values, scale, half)
    inverse = f32(0) if s_total == 0 else f32(f32(1) / s_total)
    return np.array([f32(a * inverse) for a in acc], dtype=np.float32)


def flash_split(q, keys, values, position, threads, scale):
    """ggml's split-KV decode: one chunk of the padded KV view per thread, partials merged."""
    q = q.astype(np.float16).astype(np.float32)
    cells = max(256, (position + 1 + 255) // 256 * 256)
    chunk = (cells + threads - 1) // threads
    merged = np.zeros(len(q), dtype=np.float32)
    m, s_total = f32(-np.inf), f32(0)
    for c in range(threads):
        first, last = c * chunk, min(c * chunk + chunk, cells, position + 1)
        if first >= last:
            continue
        mc, sc, accc = flash_accumulate(q, keys[first:last], values[first:last], scale, True)
        if sc == 0:
            continue
        mn = max(m, mc)
        a, b = f32(libm.expf(f32(m - mn))), f32(libm.expf(f32(mc - mn)))
        merged = np.array([fma(x, a, f32(y * b)) for x, y in zip(merged, accc)], dtype=np.float32)
        s_total = fma(s_total, a, f32(sc * b))
        m = mn
    inverse = f32(f32(1) / s_total)
    return np.array([f32(x * inverse) for x in merged], dtype=np.float32)


def hsum8(p):
    four = [f32(p[l] + p[l + 4]) for l in range(4)]
    return f32(f32(four[0] + four[2]) + f32(four[1] + four[3]))


def flash_tiled(queries, positions, keys, values, scale):
    """ggml_compute_forward_flash_attn_ext_tiled for one head: Float32 queries, key tiles of 64."""
    outputs = []
    for q, position in zip(queries, positions):
        acc = np.zeros(len(q), dtype=np.float32)
        m, s_total = f32(-np.inf), f32(0)
        for t in range(position // 64 + 1):
            first, valid = 64 * t, min(64, position + 1 - 64 * t)
            scores = []
            for j in range(64):
                if j < valid:
                    s = f32(0)
                    for d in range(len(q)):
                        s = fma(keys[first + j][d], q[d], s)
                    scores.append(f32(s * f32(scale)))
                else:
                    scores.append(f32(-np.inf))
            tile_max = f32(-np.inf)
            for s in scores:
                tile_max = s if s > tile_max else tile_max
            mn = max(m, tile_max)
            if mn > m:
                ms = f32(libm.expf(f32(m - mn)))
                acc = np.array([f32(a * ms) for a in acc], dtype=np.float32)
                s_total = f32(s_total * ms)
            m = mn
            p = [f32(0) if s == -np.inf else vector_exp(f32(s - mn)) for s in scores]
            total = 0.0
            for g in range(0, 64, 8):
                total += float(hsum8(p[g:g + 8]))
            s_total = f32(float(s_total) + total)
            for j in range(valid):
                acc = np.array([fma(vv, p[j], a) for vv, a in zip(values[first + j], acc)], dtype=np.float32)
        inverse = f32(f32(1) / s_total)
        outputs.append(np.array([f32(a * inverse) for a in acc], dtype=np.float32))
    return outputs


# --- exponential (Arm optimized-routines v_expf) ---------------------------------------------

def as_u32(x):
    return int(np.array(x, dtype=np.float32).view(np.uint32))


def as_f32(u):
    return f32(np.array(u & 0xFFFFFFFF, dtype=np.uint32).view(np.float32))


def vector_exp(x):
    x = f32(x)
    shift = f32(float.fromhex("0x1.8p23"))
    z = fma(x, f32(float.fromhex("0x1.715476p+0")), shift)
    n = f32(z - shift)
    r = fma(-n, f32(float.fromhex("0x1.62e4p-1")), x)
    r = fma(-n, f32(float.fromhex("0x1.7f7d1cp-20")), r)
    e = (as_u32(z) << 23) & 0xFFFFFFFF
    scale = as_f32(e + as_u32(f32(1)))
    r2 = f32(r * r)
    p = fma(f32(float.fromhex("0x1.0e4020p-7")), r, f32(float.fromhex("0x1.573e2ep-5")))
    q = fma(f32(float.fromhex("0x1.555e66p-3")), r, f32(float.fromhex("0x1.fffdb6p-2")))
    poly = fma(fma(p, r2, q), r2, f32(f32(float.fromhex("0x1.ffffecp-1")) * r))
    if abs(n) <= 126:
        return fma(poly, scale, scale)
    b = 0x82000000 if n <= 0 else 0
    s1 = as_f32(0x7F000000 + b)
    s2 = as_f32(e - b)
    if abs(n) > 192:
        return f32(s1 * s1)
    return f32(fma(poly, s2, s2) * s1)


def main():
    print("// RMSNorm: x = pattern(576, 7919, 13, 65521, 1/8192), w = 1 + pattern(576, 13, 5, 17, 1/16), eps 1e-5")
    x = pattern(576, 7919, 13, 65521, 1 / 8192)
    w = (f32(1) + pattern(576, 13, 5, 17, 1 / 16)).astype(np.float32)
    llama, plain = rms_norm_llama(x, w, 1e-5), rms_norm_float(x, w, 1e-5)
    differing = sum(1 for i in range(576) if llama[i] != plain[i])
    print(f"// {differing} of 576 outputs differ from the same norm with a Float sum")
    print(f"let rmsNormFirst8: [UInt32] = [{bits(llama[:8])}]")

    print("\n// RoPE: 2 heads × 16, 16 dims, base 10000, position 1234, x = pattern(32, 5, 3, 29, 1/8)")
    x = pattern(32, 5, 3, 29, 1 / 8)
    print(f"let ropeLlama: [UInt32] = [{bits(rope_llama(x, 1234, 2, 16, 16, 10000))}]")

    print("\n// halfDot: k = wide_pattern(70, 3, 3), q = wide_pattern(70, 11, 4) (f16-exact)")
    k = wide_pattern(70, 3, 3)
    q = wide_pattern(70, 11, 4)
    assert (k.astype(np.float16).astype(np.float32) == k).all() and (q.astype(np.float16).astype(np.float32) == q).all()
    print(f"// with the accumulators reduced as (a0 + a1) + (a2 + a3) instead: 0x{as_u32(half_dot(k[:64], q[:64], True)):08X}")
    print(f"let halfDot64 = 0x{as_u32(half_dot(k[:64], q[:64])):08X} as UInt32, halfDot70 = 0x{as_u32(half_dot(k, q)):08X} as UInt32")

    print("\n// flash attention: width 64, 5 keys; q = pattern(64, 3, 1, 41, 1/16); key j = pattern(64, 5 + j, j, 37, 1/16);")
    print("// value j = pattern(64, 7 + 2j, 3j, 31, 1/8); scale 1/8")
    q = pattern(64, 3, 1, 41, 1 / 16)
    keys = [pattern(64, 5 + j, j, 37, 1 / 16) for j in range(5)]
    values = [pattern(64, 7 + 2 * j, 3 * j, 31, 1 / 8) for j in range(5)]
    print(f"let flashHalf: [UInt32] = [{bits(flash_attention(q, keys, values, 0.125, True))}]")
    print(f"let flashFloat: [UInt32] = [{bits(flash_attention(q, keys, values, 0.125, False))}]")

    print("\n// tiled: width 16, keys/values of 70 positions, queries at positions 60…69, scale 1/4:")
    print("// key p = pattern(16, 37 + 2p, 11p + 3, 2039, 1/512), value p = pattern(16, 3 + p % 5, 2p, 29, 1/8),")
    print("// query row r = pattern(16, 53, 17r + 5, 2039, 1/1024)")
    keys = [pattern(16, 37 + 2 * p, 11 * p + 3, 2039, 1 / 512) for p in range(70)]
    values = [pattern(16, 3 + p % 5, 2 * p, 29, 1 / 8) for p in range(70)]
    queries = [pattern(16, 53, 17 * r + 5, 2039, 1 / 1024) for r in range(10)]
    tiled = flash_tiled(queries, range(60, 70), keys, values, 0.25)
    print(f"let tiledRow0: [UInt32] = [{bits(tiled[0])}]")
    print(f"let tiledRow9: [UInt32] = [{bits(tiled[9])}]")

    print("\n// split: width 32, 301 keys (query at position 300), scale 1/4; key p = pattern(32, 37 + 2p, 11p + 3, 2039, 1/512),")
    print("// value p = pattern(32, 3 + p % 5, 2p, 29, 1/8), query = pattern(32, 53, 5, 2039, 1/1024)")
    keys = [pattern(32, 37 + 2 * p, 11 * p + 3, 2039, 1 / 512) for p in range(301)]
    values = [pattern(32, 3 + p % 5, 2 * p, 29, 1 / 8) for p in range(301)]
    q = pattern(32, 53, 5, 2039, 1 / 1024)
    split4, split2 = flash_split(q, keys, values, 300, 4, 0.25), flash_split(q, keys, values, 300, 2, 0.25)
    print(f"// 2 threads instead of 4 changes {sum(1 for a, b in zip(split4, split2) if a != b)} of 32 outputs")
    print(f"let split4: [UInt32] = [{bits(split4)}]")
    print(f"let split2: [UInt32] = [{bits(split2)}]")

    print("\n// vectorExp (v_expf)")
    inputs = [0.0, 0.5, -1.0, 3.3, -7.25, 10.1, 20.0, 50.0, 80.0, 88.0, 88.5, -87.0, -90.0, -100.0, -104.0, 0.1234567,
              89.0, 100.0, 150.0, -120.0, -150.0, 1e-3, -0.6931472, 42.42]
    inputs = np.array(inputs, dtype=np.float32)
    print(f"let expInputs: [Float] = [{floats(inputs)}]")
    print(f"let expExpected: [UInt32] = [{bits([vector_exp(v) for v in inputs])}]")


if __name__ == "__main__":
    main()
