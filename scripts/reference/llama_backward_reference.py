#!/usr/bin/env python3
"""Independent reference for DecoderTrainer (Sources/SparkLM/Training): gradients of a loss on a
tiny random LLaMA's final-norm hidden states, and of its language-model loss, with respect to
the input embeddings and to the Lynx adapters' parameters.

Written from the model's definition in JAX and differentiated by JAX's autodiff in float64, so it
shares nothing with the Swift trainer's hand-written backward (nor with its forward). The model is
a LLaMA: RMSNorm, RoPE on adjacent pairs (the GGUF layout), grouped-query causal attention,
SwiGLU, tied output matrix; Lynx adapters x + scale · Up(SiLU(Down(LayerNorm(x)))) after the
feed-forward residual of layers 0 and 1, with non-zero Up. A cached prefix (3 positions, the same
for every sequence) is attended to by every row, with its keys and values held constant
(stop_gradient), as DecoderTrainer.makePrefix documents.

Writes (both committed, small):
  Tests/SparkLMTests/Resources/tiny-llama-backward.gguf   the model, F32, written here by hand
  Tests/SparkLMTests/Resources/tiny-llama-backward.npz    inputs, adapters, and for two cases
      (plain: 2 sequences × 5 positions; prefix: the same after a 3-position prefix) the hidden
      states, the head loss Σ R ⊙ hidden and the LM loss with their gradients (float64)

Run: pip install jax numpy; python3 scripts/reference/llama_backward_reference.py [--out DIR]
"""
import argparse
import os
import struct

import numpy as np

os.environ.setdefault("JAX_PLATFORMS", "cpu")
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

jax.config.update("jax_enable_x64", True)

LAYERS, WIDTH, HEADS, KV_HEADS, FFN, VOCAB = 2, 32, 4, 2, 64, 48
HEAD_WIDTH = WIDTH // HEADS
EPS, ROPE_BASE, CONTEXT = 1e-5, 10000.0, 64
ADAPTER_LAYERS = (0, 1)
BATCH, LENGTH, PREFIX = 2, 5, 3
LM_TARGETS = [(1, 5), (3, 17), (6, 40), (9, 2), (4, 47)]   # (row, token)


def make_model(rng):
    """float32 weights, row-major [outputs, inputs] as PyTorch's Linear (y = x · Wᵀ)."""
    def normal(shape, std):
        return (rng.standard_normal(shape) * std).astype(np.float32)
    kv = KV_HEADS * HEAD_WIDTH
    tensors = {"token_embd.weight": normal((VOCAB, WIDTH), 0.5),
               "output_norm.weight": (1 + normal((WIDTH,), 0.1)).astype(np.float32)}
    for i in range(LAYERS):
        p = f"blk.{i}."
        tensors[p + "attn_norm.weight"] = (1 + normal((WIDTH,), 0.1)).astype(np.float32)
        tensors[p + "attn_q.weight"] = normal((WIDTH, WIDTH), 0.3)
        tensors[p + "attn_k.weight"] = normal((kv, WIDTH), 0.3)
        tensors[p + "attn_v.weight"] = normal((kv, WIDTH), 0.3)
        tensors[p + "attn_output.weight"] = normal((WIDTH, WIDTH), 0.2)
        tensors[p + "ffn_norm.weight"] = (1 + normal((WIDTH,), 0.1)).astype(np.float32)
        tensors[p + "ffn_gate.weight"] = normal((FFN, WIDTH), 0.25)
        tensors[p + "ffn_up.weight"] = normal((FFN, WIDTH), 0.25)
        tensors[p + "ffn_down.weight"] = normal((WIDTH, FFN), 0.15)
    return tensors


def make_adapters(rng):
    b = WIDTH // 2
    def normal(shape, std):
        return (rng.standard_normal(shape) * std).astype(np.float32)
    adapters = {}
    for layer, scale in zip(ADAPTER_LAYERS, (0.7, 0.5)):
        adapters[layer] = {
            "normWeight": (1 + normal((WIDTH,), 0.1)).astype(np.float32), "normBias": normal((WIDTH,), 0.1),
            "downWeight": normal((b, WIDTH), 0.2), "downBias": normal((b,), 0.1),
            "upWeight": normal((WIDTH, b), 0.2), "upBias": normal((WIDTH,), 0.1),
            "scale": np.float32(scale),
        }
    return adapters


def write_gguf(path, tensors):
    """GGUF v3, F32 tensors, the llama.* keys the decoder reads. Dimensions in ggml order."""
    def string(s):
        b = s.encode()
        return struct.pack("<Q", len(b)) + b
    kvs = [("general.architecture", 8, string("llama")),
           ("llama.block_count", 4, struct.pack("<I", LAYERS)),
           ("llama.embedding_length", 4, struct.pack("<I", WIDTH)),
           ("llama.attention.head_count", 4, struct.pack("<I", HEADS)),
           ("llama.attention.head_count_kv", 4, struct.pack("<I", KV_HEADS)),
           ("llama.feed_forward_length", 4, struct.pack("<I", FFN)),
           ("llama.attention.layer_norm_rms_epsilon", 6, struct.pack("<f", EPS)),
           ("llama.rope.freq_base", 6, struct.pack("<f", ROPE_BASE)),
           ("llama.context_length", 4, struct.pack("<I", CONTEXT))]
    write_gguf_file(path, kvs, tensors)


def write_gguf_file(path, kvs, tensors):
    """A GGUF v3 file: `kvs` as (key, value type, packed payload), F32 `tensors` 32-byte aligned."""
    def string(s):
        b = s.encode()
        return struct.pack("<Q", len(b)) + b
    out = bytearray(b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kvs)))
    for key, kind, payload in kvs:
        out += string(key) + struct.pack("<I", kind) + payload
    offset, blobs = 0, []
    for name, array in tensors.items():
        dims = list(reversed(array.shape))
        out += string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", 0, offset)   # type 0 = F32
        blob = array.astype("<f4").tobytes()
        blobs.append(blob)
        offset += (len(blob) + 31) // 32 * 32
    for blob in blobs:
        out += b"\0" * ((-len(out)) % 32)
        out += blob
    with open(path, "wb") as f:
        f.write(out)


# The model, written from its definition (float64 throughout).

def rms_norm(x, w):
    return x / jnp.sqrt(jnp.mean(x * x, -1, keepdims=True) + EPS) * w


def layer_norm(x, w, b):
    mean = jnp.mean(x, -1, keepdims=True)
    var = jnp.mean((x - mean) ** 2, -1, keepdims=True)
    return (x - mean) / jnp.sqrt(var + 1e-5) * w + b


def silu(x):
    return x / (1 + jnp.exp(-x))


def rope(x, positions):
    """x [T, heads, HEAD_WIDTH]: pairs (2i, 2i+1) rotated by position · base^(−2i/HEAD_WIDTH)."""
    freqs = ROPE_BASE ** (-np.arange(0, HEAD_WIDTH, 2) / HEAD_WIDTH)
    angles = positions[:, None] * freqs[None, :]
    c, s = jnp.cos(angles)[:, None, :], jnp.sin(angles)[:, None, :]
    a, b = x[..., 0::2], x[..., 1::2]
    return jnp.stack([a * c - b * s, a * s + b * c], -1).reshape(x.shape)


def sequence(x, W, adapters, prefix_kv, start):
    """One sequence x [T, WIDTH] at positions start…; returns final-norm hidden states and each
    layer's (keys after RoPE, values)."""
    T = x.shape[0]
    positions = np.arange(start, start + T, dtype=np.float64)
    p_len = 0 if prefix_kv is None else prefix_kv[0][0].shape[0]
    mask = np.arange(p_len + T)[None, :] <= (p_len + np.arange(T))[:, None]
    kv_out = []
    for i in range(LAYERS):
        p = f"blk.{i}."
        h = rms_norm(x, W[p + "attn_norm.weight"])
        q = rope((h @ W[p + "attn_q.weight"].T).reshape(T, HEADS, HEAD_WIDTH), positions)
        k = rope((h @ W[p + "attn_k.weight"].T).reshape(T, KV_HEADS, HEAD_WIDTH), positions)
        v = (h @ W[p + "attn_v.weight"].T).reshape(T, KV_HEADS, HEAD_WIDTH)
        kv_out.append((k, v))
        if prefix_kv is not None:
            k = jnp.concatenate([prefix_kv[i][0], k], 0)
            v = jnp.concatenate([prefix_kv[i][1], v], 0)
        group = HEADS // KV_HEADS
        k = jnp.repeat(k, group, 1)
        v = jnp.repeat(v, group, 1)
        scores = jnp.einsum("thd,shd->hts", q, k) / np.sqrt(HEAD_WIDTH)
        scores = jnp.where(mask[None], scores, -jnp.inf)
        probs = jax.nn.softmax(scores, -1)
        o = jnp.einsum("hts,shd->thd", probs, v).reshape(T, WIDTH)
        x = x + o @ W[p + "attn_output.weight"].T
        h = rms_norm(x, W[p + "ffn_norm.weight"])
        x = x + (silu(h @ W[p + "ffn_gate.weight"].T) * (h @ W[p + "ffn_up.weight"].T)) @ W[p + "ffn_down.weight"].T
        if i in adapters:
            a = adapters[i]
            z = layer_norm(x, a["normWeight"], a["normBias"]) @ a["downWeight"].T + a["downBias"]
            x = x + a["scale"] * (silu(z) @ a["upWeight"].T + a["upBias"])
    return rms_norm(x, W["output_norm.weight"]), kv_out


def hidden_states(inputs, adapters, W, prefix_inputs):
    """inputs [BATCH, LENGTH, WIDTH] → hidden [BATCH·LENGTH, WIDTH]."""
    prefix_kv, start = None, 0
    if prefix_inputs is not None:
        _, kv = sequence(prefix_inputs, W, adapters, None, 0)
        prefix_kv = jax.lax.stop_gradient(kv)
        start = prefix_inputs.shape[0]
    return jnp.concatenate([sequence(inputs[b], W, adapters, prefix_kv, start)[0] for b in range(inputs.shape[0])], 0)


def lm_loss(hidden, W):
    rows = np.array([r for r, _ in LM_TARGETS])
    tokens = np.array([t for _, t in LM_TARGETS])
    logits = hidden[rows] @ W["token_embd.weight"].T
    return jnp.mean(jax.nn.logsumexp(logits, -1) - logits[np.arange(len(rows)), tokens])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "../../Tests/SparkLMTests/Resources"))
    args = parser.parse_args()
    rng = np.random.default_rng(20261201)
    tensors = make_model(rng)
    adapters32 = make_adapters(rng)
    inputs = rng.standard_normal((BATCH, LENGTH, WIDTH)).astype(np.float32)
    prefix = rng.standard_normal((PREFIX, WIDTH)).astype(np.float32)
    head = rng.standard_normal((BATCH * LENGTH, WIDTH)).astype(np.float32)

    W = {k: jnp.asarray(v, jnp.float64) for k, v in tensors.items()}
    adapters = {l: {k: jnp.asarray(v, jnp.float64) for k, v in a.items()} for l, a in adapters32.items()}
    x = jnp.asarray(inputs, jnp.float64)
    R = jnp.asarray(head, jnp.float64)

    out = {"inputs": inputs, "prefix": prefix, "head": head,
           "lm_targets": np.array(LM_TARGETS, dtype=np.int64)}
    for layer, a in adapters32.items():
        for name, value in a.items():
            out[f"adapter{layer}_{name}"] = np.asarray(value, np.float32).reshape(-1)
    for case, prefix_inputs in (("plain", None), ("prefix", jnp.asarray(prefix, jnp.float64))):
        out[f"{case}_hidden"] = np.asarray(hidden_states(x, adapters, W, prefix_inputs))
        losses = {"head": lambda h: jnp.sum(R * h), "lm": lambda h: lm_loss(h, W)}
        for name, loss_of_hidden in losses.items():
            f = lambda x, a: loss_of_hidden(hidden_states(x, a, W, prefix_inputs))
            value, (dx, da) = jax.value_and_grad(f, argnums=(0, 1))(x, adapters)
            out[f"{case}_{name}_loss"] = np.asarray(value).reshape(1)
            out[f"{case}_{name}_dinputs"] = np.asarray(dx).reshape(BATCH * LENGTH, WIDTH)
            for layer, grads in da.items():
                for pname, g in grads.items():
                    out[f"{case}_{name}_adapter{layer}_{pname}"] = np.asarray(g).reshape(-1)
            print(f"{case:6s} {name:4s} loss {float(value):+.6f}  |d inputs| {float(jnp.linalg.norm(dx)):.4f}")

    os.makedirs(args.out, exist_ok=True)
    write_gguf(os.path.join(args.out, "tiny-llama-backward.gguf"), tensors)
    np.savez(os.path.join(args.out, "tiny-llama-backward.npz"), **out)
    print(f"wrote tiny-llama-backward.gguf and tiny-llama-backward.npz ({len(out)} arrays) to {args.out}")


if __name__ == "__main__":
    main()
