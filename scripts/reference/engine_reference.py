#!/usr/bin/env python3
"""Independent reference values for Tests/SparkEngineTests.

Every test input is built by `pattern` (the tests have the same helper, `Pattern.values`): small
integers times a power of two, so the inputs are exact in Float32 and in Python alike. Expected
outputs are computed here in float64 with NumPy (or plain Python for the random generator), from
the mathematical definitions, and printed as Swift array literals to paste into the tests.

Run: python3 scripts/reference/engine_reference.py [section]
"""
import math
import sys

import numpy as np

MASK64 = (1 << 64) - 1


def pattern(count, multiplier, offset, modulus, scale):
    """v[i] = (((i * multiplier + offset) mod modulus) - modulus // 2) * scale."""
    return np.array([(((i * multiplier + offset) % modulus) - modulus // 2) * scale for i in range(count)],
                    dtype=np.float64)


def emit(name, values):
    flat = np.asarray(values, dtype=np.float64).reshape(-1)
    body = ", ".join(format_value(v) for v in flat)
    print(f"let {name}: [Float] = [{body}]")


def emit_ints(name, values):
    print(f"let {name}: [Int] = [{', '.join(str(int(v)) for v in np.asarray(values).reshape(-1))}]")


def format_value(v):
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0:
        return "0"
    return f"{v:.9g}"


# ---------------------------------------------------------------- elementwise and broadcasting
def elementwise():
    a = pattern(24, 7, 3, 11, 0.25).reshape(2, 3, 4)
    b = pattern(3, 5, 1, 7, 0.5).reshape(3, 1)
    emit("general_add", a + b)
    emit("general_mul", a * b)
    emit("general_sub_reversed", b - a)
    c = pattern(4, 3, 1, 9, 0.5)               # [4]
    d = pattern(3, 2, 5, 7, 1.0).reshape(3, 1)  # [3, 1], no zero
    d[d == 0] = 3
    emit("outer_div_d", d)
    emit("outer_div", c / d)                    # [3, 4]
    x = pattern(15, 4, 1, 13, 0.5).reshape(3, 5)
    row = pattern(5, 3, 2, 7, 0.25)
    emit("row_add", x + row)
    emit("row_sub_reversed", row - x)
    p = pattern(6, 5, 0, 11, 0.5).reshape(2, 1, 3)
    q = pattern(4, 3, 2, 9, 0.25).reshape(1, 4, 1)
    emit("cross_mul", p * q)                     # [2, 4, 3]


# ---------------------------------------------------------------- activations
def activations():
    x = np.concatenate([pattern(16, 5, 2, 17, 0.5), [-12.0, -9.0, 9.0, 12.0]])
    erfc = np.vectorize(math.erfc)
    emit("gelu_input", x)
    # 0.5·x·(1 + erf(x/√2)) written with erfc so the negative tail keeps its digits in float64 too.
    emit("gelu_erf", 0.5 * x * erfc(-x / math.sqrt(2)))
    u = math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)
    emit("gelu_tanh", 0.5 * x * (1 + np.tanh(u)))
    emit("silu", x / (1 + np.exp(-x)))
    emit("sigmoid", 1 / (1 + np.exp(-x)))
    emit("relu", np.maximum(x, 0))
    tail = np.array([-3.0, -4.0, -5.0])
    # 0.5·(1 + tanh u) = 1 / (1 + e^(-2u)), exact, avoids the cancellation of 1 + tanh u.
    tail_u = math.sqrt(2 / math.pi) * (tail + 0.044715 * tail ** 3)
    emit("gelu_tanh_tail", tail / (1 + np.exp(-2 * tail_u)))


# ---------------------------------------------------------------- softmax
def softmax_rows(x, visible):
    out = np.zeros_like(x)
    for r in range(x.shape[0]):
        n = visible(r)
        if n <= 0:
            continue
        e = np.exp(x[r, :n] - x[r, :n].max())
        out[r, :n] = e / e.sum()
    return out


def softmax():
    x = pattern(15, 4, 1, 13, 0.5).reshape(3, 5)
    emit("softmax_full", softmax_rows(x, lambda r: 5))
    emit("softmax_causal0", softmax_rows(x, lambda r: min(5, r + 1)))
    emit("softmax_causal2", softmax_rows(x, lambda r: min(5, r + 3)))
    y = pattern(24, 5, 3, 13, 0.75).reshape(2, 3, 4)
    emit("softmax_rank3_causal1", np.stack([softmax_rows(y[i], lambda r: min(4, r + 2)) for i in range(2)]))


# ---------------------------------------------------------------- normalisation
def normalization():
    x = pattern(24, 5, 2, 13, 0.5).reshape(3, 8)
    w = pattern(8, 3, 1, 7, 0.25) + 1
    b = pattern(8, 2, 3, 5, 0.125)
    mean = x.mean(axis=1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=1, keepdims=True)
    emit("layernorm_weight", w)
    emit("layernorm_bias", b)
    emit("layernorm", (x - mean) / np.sqrt(var + 1e-5) * w + b)
    emit("layernorm_plain", (x - mean) / np.sqrt(var + 1e-5))
    emit("rmsnorm", x / np.sqrt((x ** 2).mean(axis=1, keepdims=True) + 1e-6) * w)
    t = pattern(24, 7, 1, 11, 0.5).reshape(2, 3, 4)
    rm, rv = np.array([0.5, -0.25, 1.0]), np.array([1.0, 0.25, 4.0])
    bw, bb = np.array([1.5, -1.0, 0.5]), np.array([0.0, 0.5, -2.0])
    emit("batchnorm_nc", (t - rm[None, :, None]) / np.sqrt(rv[None, :, None] + 1e-5) * bw[None, :, None] + bb[None, :, None])
    t0 = pattern(12, 7, 1, 11, 0.5).reshape(2, 6)
    rm2, rv2 = np.array([0.5, -0.25]), np.array([1.0, 0.25])
    emit("batchnorm_c", (t0 - rm2[:, None]) / np.sqrt(rv2[:, None] + 1e-3))


# ---------------------------------------------------------------- RoPE
def rope(x, positions, head_dim, rope_dims, base, pairing):
    out = x.copy()
    length, width = x.shape
    pairs = rope_dims // 2
    for r in range(length):
        for h in range(width // head_dim):
            o = h * head_dim
            for i in range(pairs):
                theta = positions[r] * base ** (-2 * i / rope_dims)
                if pairing == "neox":
                    a, b = o + i, o + i + pairs
                else:
                    a, b = o + 2 * i, o + 2 * i + 1
                x0, x1 = x[r, a], x[r, b]
                out[r, a] = x0 * math.cos(theta) - x1 * math.sin(theta)
                out[r, b] = x0 * math.sin(theta) + x1 * math.cos(theta)
    return out


def rope_cases():
    x = pattern(48, 5, 1, 17, 0.25).reshape(3, 16)
    positions = [0, 5, 1000]
    emit("rope_neox", rope(x, positions, 8, 8, 10000.0, "neox"))
    emit("rope_gptj", rope(x, positions, 8, 8, 10000.0, "gptj"))
    emit("rope_neox_partial", rope(x, positions, 8, 4, 10000.0, "neox"))
    emit("rope_gptj_partial_base1e5", rope(x, positions, 8, 4, 100000.0, "gptj"))


# ---------------------------------------------------------------- attention
def attention(q, k, v, hq, hkv, visible, scale=None):
    lq, lk = q.shape[0], k.shape[0]
    d = q.shape[1] // hq
    dv = v.shape[1] // hkv
    scale = 1 / math.sqrt(d) if scale is None else scale
    out = np.zeros((lq, hq * dv))
    probs = np.zeros((hq, lq, lk))
    for h in range(hq):
        g = h // (hq // hkv)
        s = q[:, h * d:(h + 1) * d] @ k[:, g * d:(g + 1) * d].T * scale
        p = softmax_rows(s, visible)
        probs[h] = p
        out[:, h * dv:(h + 1) * dv] = p @ v[:, g * dv:(g + 1) * dv]
    return out, probs


def attention_cases():
    # GQA 3:1, causal with offset 2 (2 queries at the end of 4 keys).
    q = pattern(2 * 12, 5, 1, 13, 0.25).reshape(2, 12)
    k = pattern(4 * 4, 7, 2, 11, 0.25).reshape(4, 4)
    v = pattern(4 * 4, 3, 5, 9, 0.5).reshape(4, 4)
    out, probs = attention(q, k, v, 3, 1, lambda r: min(4, r + 3))
    emit("gqa_causal_out", out)
    emit("gqa_causal_probs", probs)
    # Cross attention, 6 query heads over 2 kv heads (3:1), no mask, value head size 3.
    q = pattern(3 * 12, 5, 4, 17, 0.25).reshape(3, 12)
    k = pattern(5 * 4, 3, 1, 13, 0.25).reshape(5, 4)
    v = pattern(5 * 6, 7, 3, 11, 0.5).reshape(5, 6)
    out, _ = attention(q, k, v, 6, 2, lambda r: 5)
    emit("gqa_cross_out", out)
    out, _ = attention(q, k, v, 6, 2, lambda r: 5, scale=0.125)
    emit("gqa_cross_scaled_out", out)


# ---------------------------------------------------------------- convolution and pooling
def conv(x, w, b, stride, padding, dilation):
    """Direct definition: out[o, p] = b[o] + Σ w[o, c, t] · xpad[c, p·s + t·d]."""
    axes = x.ndim - 1
    xp = np.pad(x, [(0, 0)] + [(p, p) for p in padding])
    out_shape = [(x.shape[1 + a] + 2 * padding[a] - dilation[a] * (w.shape[2 + a] - 1) - 1) // stride[a] + 1
                 for a in range(axes)]
    out = np.zeros([w.shape[0]] + out_shape)
    for o in range(w.shape[0]):
        for pos in np.ndindex(*out_shape):
            total = b[o] if b is not None else 0.0
            for c in range(x.shape[0]):
                for tap in np.ndindex(*w.shape[2:]):
                    idx = tuple(pos[a] * stride[a] + tap[a] * dilation[a] for a in range(axes))
                    total += w[(o, c) + tap] * xp[(c,) + idx]
            out[(o,) + pos] = total
    return out


def pool(x, kernel, stride, padding, kind, include_pad=True):
    axes = x.ndim - 1
    out_shape = [(x.shape[1 + a] + 2 * padding[a] - kernel[a]) // stride[a] + 1 for a in range(axes)]
    out = np.zeros([x.shape[0]] + out_shape)
    for c in range(x.shape[0]):
        for pos in np.ndindex(*out_shape):
            vals = []
            for tap in np.ndindex(*kernel):
                idx = tuple(pos[a] * stride[a] - padding[a] + tap[a] for a in range(axes))
                if all(0 <= idx[a] < x.shape[1 + a] for a in range(axes)):
                    vals.append(x[(c,) + idx])
            if kind == "max":
                out[(c,) + pos] = max(vals)
            else:
                out[(c,) + pos] = sum(vals) / (np.prod(kernel) if include_pad else len(vals))
    return out


def convolution_cases():
    x = pattern(2 * 5 * 6, 5, 1, 13, 0.5).reshape(2, 5, 6)
    w = pattern(3 * 2 * 9, 7, 2, 11, 0.25).reshape(3, 2, 3, 3)
    b = np.array([0.5, -1.0, 0.25])
    emit("conv2d_s2p1", conv(x, w, b, [2, 2], [1, 1], [1, 1]))
    emit("conv2d_s21p10", conv(x, w, None, [2, 1], [1, 0], [1, 1]))
    x1 = pattern(2 * 7, 3, 2, 11, 0.5).reshape(2, 7)
    w1 = pattern(2 * 2 * 3, 5, 1, 7, 0.5).reshape(2, 2, 3)
    emit("conv1d_d2p2", conv(x1, w1, np.array([0.25, -0.5]), [1], [2], [2]))
    x3 = pattern(2 * 4 * 4 * 4, 5, 3, 17, 0.25).reshape(2, 4, 4, 4)
    w3 = pattern(2 * 2 * 27, 7, 1, 13, 0.125).reshape(2, 2, 3, 3, 3)
    emit("conv3d_s2p1", conv(x3, w3, None, [2, 2, 2], [1, 1, 1], [1, 1, 1]))
    xp = pattern(3 * 4, 5, 1, 11, 0.5).reshape(3, 2, 2)
    wp = pattern(2 * 3, 3, 2, 7, 0.5).reshape(2, 3, 1, 1)
    emit("conv2d_pointwise", conv(xp, wp, np.array([1.0, -1.0]), [1, 1], [0, 0], [1, 1]))

    y = pattern(2 * 5 * 5, 7, 3, 23, 0.5).reshape(2, 5, 5)
    emit("maxpool_k2", pool(y, [2, 2], [2, 2], [0, 0], "max"))
    emit("maxpool_k3s2p1", pool(y, [3, 3], [2, 2], [1, 1], "max"))
    emit("avgpool_k3s2p1", pool(y, [3, 3], [2, 2], [1, 1], "avg", True))
    emit("avgpool_k3s2p1_exclusive", pool(y, [3, 3], [2, 2], [1, 1], "avg", False))
    y1 = pattern(7, 3, 1, 11, 0.5).reshape(1, 7)
    emit("maxpool1d_k3s2p1", pool(y1, [3], [2], [1], "max"))
    y3 = pattern(2 * 4 * 4, 5, 2, 13, 0.5).reshape(1, 2, 4, 4)
    emit("avgpool3d_k2", pool(y3, [2, 2, 2], [2, 2, 2], [0, 0, 0], "avg"))


# ---------------------------------------------------------------- reductions, permute, products
def reductions():
    x = pattern(24, 7, 3, 11, 0.25).reshape(2, 3, 4)
    for axis in range(3):
        emit(f"sum_axis{axis}", x.sum(axis=axis))
        emit(f"mean_axis{axis}", x.mean(axis=axis))
        emit(f"max_axis{axis}", x.max(axis=axis))
        emit_ints(f"argmax_axis{axis}", x.argmax(axis=axis))
    emit("permute_201", x.transpose(2, 0, 1))
    emit("permute_102", x.transpose(1, 0, 2))
    a = pattern(2 * 3 * 4, 5, 1, 9, 0.5).reshape(2, 3, 4)
    b = pattern(2 * 4 * 2, 3, 2, 7, 0.5).reshape(2, 4, 2)
    emit("batched_matmul", a @ b)
    w = pattern(5 * 4, 7, 1, 11, 0.25).reshape(5, 4)
    bias = pattern(5, 3, 1, 7, 0.5)
    emit("linear", a @ w.T + bias)


# ---------------------------------------------------------------- random generator
def splitmix64(state):
    while True:
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        yield z ^ (z >> 31)


def xoshiro256starstar(seed):
    sm = splitmix64(seed)
    s = [next(sm) for _ in range(4)]
    rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & MASK64
    while True:
        result = (rotl((s[1] * 5) & MASK64, 7) * 9) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        yield result


def normal_pairs(stream):
    while True:
        u1 = (next(stream) >> 11) * 2.0 ** -53
        u2 = (next(stream) >> 11) * 2.0 ** -53
        r = math.sqrt(-2 * math.log(1 - u1))
        yield r * math.cos(2 * math.pi * u2), r * math.sin(2 * math.pi * u2)


def random_cases():
    g = xoshiro256starstar(42)
    print("let xoshiroSeed42: [UInt64] = [" + ", ".join(f"0x{next(g):016X}" for _ in range(4)) + "]")
    g = xoshiro256starstar(0)
    print("let xoshiroSeed0: [UInt64] = [" + ", ".join(f"0x{next(g):016X}" for _ in range(2)) + "]")
    g = xoshiro256starstar(7)
    emit("uniform_seed7", [(next(g) >> 40) * 2.0 ** -24 for _ in range(5)])
    g = xoshiro256starstar(7)
    emit("uniform_m1_3_seed7", [np.float32(-1 + 4 * float(np.float32((next(g) >> 40) * 2.0 ** -24))) for _ in range(3)])
    pairs = normal_pairs(xoshiro256starstar(42))
    values = []
    while len(values) < 5:
        values.extend(next(pairs))
    emit("normal_seed42", [np.float32(0.5 + 2 * v) for v in values[:5]])
    pairs = normal_pairs(xoshiro256starstar(123))
    kept = []
    while len(kept) < 8:
        for z in next(pairs):
            if len(kept) < 8 and -1 <= z <= 1.5:
                kept.append(np.float32(0.1 + 0.02 * z))
    emit("trunc_seed123", kept)


SECTIONS = {
    "elementwise": elementwise, "activations": activations, "softmax": softmax,
    "normalization": normalization, "rope": rope_cases, "attention": attention_cases,
    "convolution": convolution_cases, "reductions": reductions, "random": random_cases,
}

if __name__ == "__main__":
    for name in sys.argv[1:] or SECTIONS:
        print(f"// ---- {name}")
        SECTIONS[name]()
