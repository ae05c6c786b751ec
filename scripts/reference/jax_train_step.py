#!/usr/bin/env python3
"""The training-step anchor in JAX: what a user would run instead of `allspark train` for the
language-model part of a step. SmolLM2-135M's shapes (30 layers, width 576, 9 query / 3 key-value
heads of 64, SwiGLU 1536), frozen random weights, T positions, a linear head on the last position
and a cross-entropy loss; the gradient with respect to the input embeddings (what reaches the
bridge) and the head. XLA on CPU, jit-compiled, two threads. Prints one JSON line: milliseconds per
step and per sample (best of 5 after a compile-and-warm-up step) and the matmul GFLOP/s
(forward 2·N·T + input backward 2·N·T, N = the 106 M non-embedding weights).

Usage: python3 scripts/reference/jax_train_step.py [T] [batch]   (needs `pip install jax`)
`scripts/reference/bench-train-vs-jax.sh` runs it beside `allspark bench train`.
"""
import json
import os
import sys
import time

os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=true intra_op_parallelism_threads=2")
os.environ.setdefault("JAX_PLATFORMS", "cpu")
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

T = int(sys.argv[1]) if len(sys.argv) > 1 else 90
B = int(sys.argv[2]) if len(sys.argv) > 2 else 1
D, L, H, KV, HD, F = 576, 30, 9, 3, 64, 1536


def normal(key, shape, std=0.02):
    return jax.random.normal(key, shape, jnp.float32) * std


keys = jax.random.split(jax.random.PRNGKey(0), 9)
weights = dict(q=normal(keys[0], (L, D, H * HD)), k=normal(keys[1], (L, D, KV * HD)), v=normal(keys[2], (L, D, KV * HD)),
               o=normal(keys[3], (L, H * HD, D)), gate=normal(keys[4], (L, D, F)), up=normal(keys[5], (L, D, F)),
               down=normal(keys[6], (L, F, D)), norm1=jnp.ones((L, D)), norm2=jnp.ones((L, D)))
head = normal(keys[7], (D, 10))


def rms_norm(x, w):
    return x * jax.lax.rsqrt(jnp.mean(x * x, -1, keepdims=True) + 1e-5) * w


angles = jnp.arange(T)[:, None] * (1.0 / (100000 ** (jnp.arange(0, HD, 2) / HD)))[None]
cos, sin = jnp.cos(angles)[None, :, None], jnp.sin(angles)[None, :, None]
causal = jnp.tril(jnp.ones((T, T), bool))


def rope(x):
    a, b = x[..., :HD // 2], x[..., HD // 2:]
    return jnp.concatenate([a * cos - b * sin, a * sin + b * cos], -1)


def layer(x, w):
    h = rms_norm(x, w["norm1"])
    q = rope((h @ w["q"]).reshape(B, T, H, HD))
    k = jnp.repeat(rope((h @ w["k"]).reshape(B, T, KV, HD)), H // KV, 2)
    v = jnp.repeat((h @ w["v"]).reshape(B, T, KV, HD), H // KV, 2)
    scores = jnp.where(causal, jnp.einsum("bthd,bshd->bhts", q, k) / jnp.sqrt(HD), -1e30)
    x = x + jnp.einsum("bhts,bshd->bthd", jax.nn.softmax(scores, -1), v).reshape(B, T, H * HD) @ w["o"]
    h = rms_norm(x, w["norm2"])
    return x + (jax.nn.silu(h @ w["gate"]) * (h @ w["up"])) @ w["down"], None


def loss(x, head, labels):
    x, _ = jax.lax.scan(layer, x, weights)
    return -jnp.mean(jax.nn.log_softmax(x[:, -1] @ head)[jnp.arange(B), labels])


step = jax.jit(jax.value_and_grad(loss, argnums=(0, 1)))
inputs, labels = normal(keys[8], (B, T, D), 1.0), jnp.zeros((B,), jnp.int32)
jax.block_until_ready(step(inputs, head, labels))
times = []
for _ in range(5):
    start = time.perf_counter()
    jax.block_until_ready(step(inputs, head, labels))
    times.append(time.perf_counter() - start)
best = min(times)
n = L * (D * H * HD + 2 * D * KV * HD + H * HD * D + 3 * D * F)
print(json.dumps({"jax": jax.__version__, "positions": T, "batch": B, "ms_per_step": best * 1e3,
                  "ms_per_sample": best * 1e3 / B, "gflop_per_second": 2 * 2 * n * T * B / best / 1e9}))
