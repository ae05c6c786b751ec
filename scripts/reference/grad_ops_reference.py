#!/usr/bin/env python3
"""Independent gradients for Tests/SparkGradTests/JAXReferenceTests.swift.

Four operations — grouped-query causal attention, layer normalisation, a strided padded conv2d and
a cross-entropy with an ignored row and per-row weights — are written here with jax.numpy and
differentiated by JAX's own autodiff in float64. Inputs come from `pattern` (the tests have the same
helper, `Pattern.tensor`): small integers times a power of two, exact in Float32 and float64. Each
operation's loss is L = Σ output ⊙ R with R another pattern (a scalar loss: R = 1), and the script
prints the gradients of L as Swift array literals to paste into the test.

Run (JAX on the CPU):
    python3 -m venv /tmp/jaxenv && /tmp/jaxenv/bin/pip install jax
    /tmp/jaxenv/bin/python scripts/reference/grad_ops_reference.py
"""
import math

import jax
import jax.numpy as jnp
import numpy as np

jax.config.update("jax_enable_x64", True)


def pattern(shape, multiplier, offset, modulus, scale):
    """v[i] = (((i * multiplier + offset) mod modulus) - modulus // 2) * scale, reshaped."""
    count = int(np.prod(shape))
    values = [(((i * multiplier + offset) % modulus) - modulus // 2) * scale for i in range(count)]
    return jnp.array(values, dtype=jnp.float64).reshape(shape)


def emit(name, values):
    flat = np.asarray(values, dtype=np.float64).reshape(-1)
    print(f"    static let {name}: [Float] = [{', '.join(format_value(v) for v in flat)}]")


def format_value(v):
    return "0" if v == 0 else f"{v:.9g}"


def attention(q, k, v, heads, kv_heads, offset):
    """Causal (query i sees keys 0...i + offset) grouped-query attention, heads side by side."""
    lq, lk = q.shape[0], k.shape[0]
    d, dv, group = q.shape[1] // heads, v.shape[1] // kv_heads, heads // kv_heads
    qh = q.reshape(lq, heads, d).transpose(1, 0, 2)
    kh = jnp.repeat(k.reshape(lk, kv_heads, d).transpose(1, 0, 2), group, axis=0)
    vh = jnp.repeat(v.reshape(lk, kv_heads, dv).transpose(1, 0, 2), group, axis=0)
    scores = qh @ kh.transpose(0, 2, 1) / math.sqrt(d)
    visible = jnp.arange(lk)[None, :] <= jnp.arange(lq)[:, None] + offset
    weights = jax.nn.softmax(jnp.where(visible, scores, -jnp.inf), axis=-1)
    return (weights @ vh).transpose(1, 0, 2).reshape(lq, heads * dv)


def layer_norm(x, w, b, eps=1e-5):
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / jnp.sqrt(variance + eps) * w + b


def conv2d(x, w, b, stride, padding):
    y = jax.lax.conv_general_dilated(x[None], w, window_strides=(stride, stride),
                                     padding=[(padding, padding), (padding, padding)])
    return y[0] + b[:, None, None]


def cross_entropy(logits, targets, weights, ignore=-100):
    counted = jnp.array([t != ignore for t in targets], dtype=jnp.float64) * weights
    safe = jnp.array([t if t != ignore else 0 for t in targets])
    lse = jax.scipy.special.logsumexp(logits, axis=-1)
    losses = lse - logits[jnp.arange(logits.shape[0]), safe]
    return (counted * losses).sum() / counted.sum()


def gradients(name, function, inputs, seed_pattern):
    out = function(*inputs)
    seed = pattern(out.shape, *seed_pattern) if out.ndim > 0 else jnp.float64(1)
    loss = lambda *xs: (function(*xs) * seed).sum()
    emit(f"{name}_output", out)
    for i, g in enumerate(jax.grad(loss, argnums=tuple(range(len(inputs))))(*inputs)):
        emit(f"{name}_gradient{i}", g)


if __name__ == "__main__":
    # Attention: 4 query heads of 2 over 2 key/value heads with value heads of 3; 3 queries, 4 keys, offset 1.
    gradients("attention", lambda q, k, v: attention(q, k, v, 4, 2, 1),
              [pattern((3, 8), 7, 3, 17, 0.125), pattern((4, 4), 5, 1, 13, 0.25), pattern((4, 6), 3, 2, 11, 0.25)],
              (11, 4, 19, 0.125))
    gradients("layer_norm", layer_norm,
              [pattern((3, 6), 5, 2, 23, 0.125), pattern((6,), 3, 1, 7, 0.25) + 1, pattern((6,), 2, 3, 5, 0.125)],
              (7, 1, 13, 0.25))
    gradients("conv2d", lambda x, w, b: conv2d(x, w, b, 2, 1),
              [pattern((2, 5, 6), 7, 1, 19, 0.125), pattern((3, 2, 3, 3), 5, 4, 11, 0.125), pattern((3,), 1, 0, 5, 0.25)],
              (3, 2, 7, 0.5))
    gradients("cross_entropy", lambda x: cross_entropy(x, [1, -100, 4, 0], jnp.array([0.5, 2.0, 1.5, 1.0])),
              [pattern((4, 5), 7, 2, 29, 0.25)], None)
