#!/usr/bin/env python3
"""Independent end-to-end reference for one training step of AllSpark (issue 11, item 3): the
loss of `ModalityTrainer.step` and its gradient with respect to every trainable parameter
(encoder, bridge, head) of a modality, for tiny configurations with a 2-layer language model.

Written in JAX (float64) from the model's definition, never from the Swift code it checks:

  sample input → encoder → Lynx bridge (resampler) → rows of a ChatML sequence → frozen LLaMA
  (2 layers, GQA, RoPE, SwiGLU, tied output) → task head on the pooled final hidden state
  → head loss (cross-entropy for classes and identities, mean squared error, or mean absolute
    error for depth; masked where a value is not a target)
  + language-model loss (mean cross-entropy of the answer sentence's tokens and <|im_end|>).

The sequence of one sample, as ARCHITECTURE.md documents it (ChatML, modality rows inside the
user turn before the prompt; the answer and an end marker after the generation prompt; shorter
answers padded with <|im_end|>, which carries no loss):

  <|im_start|>system\\n{system}<|im_end|>\\n<|im_start|>user\\n{Q modality rows}\\n{prompt}<|im_end|>\\n
  <|im_start|>assistant\\n{answer}<|im_end|>{padding}

The whole sequence runs as one causal pass from position 0 (the Swift trainer caches the system
turn's keys and values instead; the result is the same because nothing before the body depends on
the body). A row predicts the next token; the head reads the hidden state of the generation
prompt's last row (`last` pooling) or the mean over the modality rows (`modality-mean`).

The language model is a tiny LLaMA written here as a GGUF with a byte-level GPT-2 tokenizer:
3 specials (<|endoftext|>, <|im_start|>, <|im_end|>) then the 256 bytes in GPT-2's byte↔unicode
form, no merges, so text tokenizes to one token per UTF-8 byte (id = 3 + byte) and the specials
to their ids. Its forward (RMSNorm, RoPE on adjacent pairs as GGUF stores LLaMA, grouped-query
causal attention, SwiGLU, tied output) is imported from llama_backward_reference.py, which is
checked against the Swift decoder on its own.

Writes, under Tests/AllSparkTests/Fixtures/e2e/ (all small, committed):
  tiny-lm.gguf                the language model (F32, with tokenizer and a ChatML template)
  base.json                   the shared configuration (language model, bridge, sequence)
  <m>.json                    the modality's configuration (extends base.json)
  <m>.safetensors             seeded F32 checkpoint of encoders.<m>, bridges.<m>, heads.<m>
                              (batch norms with non-trivial running statistics)
  <m>-inputs.npy              the prepared encoder inputs of the batch, [batch, …] float32; when
                              they differ in shape, zero-padded to the largest
  <m>-examples.json           the prompt and each example's target and answer sentence; where
                              needed its "variant" (infrared: 0 the IR–RGB pair, 1 a gallery image
                              alone) and "inputShape" (an input smaller than the row, filling its
                              first values); "patterned": checkpoint tensors left out of the file
                              (the point cloud's two large mini-PointNet weights), which the test
                              makes with module_forward_reference.pattern
  <m>-reference.npz           float64: loss, head_loss, lm_loss, head_outputs, and for every
                              trainable parameter "grad.<name>", or for a gradient of more than
                              FACTOR_ABOVE values (those two weights: rank ≤ the batch's points)
                              "gradleft.<name>" [m, r] and "gradright.<name>" [r, …], whose product
                              it is (checked to 1e-12)

Batch-norm running statistics are constants of the forward (ModalityTrainer freezes them): they
are in the checkpoint but get no gradient.

Each modality's encoder is one function below (ENCODERS), with one function giving its
parameters' shapes; adding a modality is adding those two, a `cases` entry (drawn after the
others, so no other fixture changes) and its name at the end of SEED_ORDER.

Two checks guard each fixture against testing rounding rather than the model: no ReLU or maximum
(max-pool, group maximum) has an input within 1e-5 (relative) of its kink (`check_kinks`), and
the same step computed in float32 matches the float64 gradients to FLOAT32_LIMIT (3e-5, well
inside the test's 1e-4; `float32_difference`).

Run: python3 scripts/reference/e2e_gradient_reference.py [--out DIR]   (needs jax, numpy)
"""
import argparse
import json
import math
import os
import re
import struct
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("JAX_PLATFORMS", "cpu")
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

jax.config.update("jax_enable_x64", True)

import infrared_forward_reference as infrared_reference  # noqa: E402  (its ResNet block plan)
import llama_backward_reference as llama  # noqa: E402  (the LLaMA forward: sequence, rms_norm, rope)
from module_forward_reference import pattern, write_safetensors  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = "Tests/AllSparkTests/Fixtures/e2e"

# ---------------------------------------------------------------------------------------------
# The language model: llama_backward_reference's sizes (its forward reads them), a vocabulary of
# 3 specials + 256 bytes, a context long enough for the sequences here.

SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
BYTE0 = len(SPECIALS)
VOCAB = BYTE0 + 256
CONTEXT = 256
SYSTEM_PROMPT = "Be brief."
assert (llama.LAYERS, llama.WIDTH, llama.HEADS, llama.KV_HEADS, llama.FFN) == (2, 32, 4, 2, 64)
WIDTH = llama.WIDTH

CHAT_TEMPLATE = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content']"
                 " + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}")


def gpt2_byte_characters():
    """GPT-2's bytes_to_unicode: printable Latin-1 bytes stand for themselves, the other 68 move
    to U+0100… in byte order."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    characters, moved = {}, 0
    for b in range(256):
        if b in printable:
            characters[b] = chr(b)
        else:
            characters[b] = chr(256 + moved)
            moved += 1
    return [characters[b] for b in range(256)]


def make_language_model(rng):
    """float32 weights, row-major [outputs, inputs]."""
    def normal(shape, std):
        return (rng.standard_normal(shape) * std).astype(np.float32)
    kv = llama.KV_HEADS * llama.HEAD_WIDTH
    t = {"token_embd.weight": normal((VOCAB, WIDTH), 0.5),
         "output_norm.weight": (1 + normal((WIDTH,), 0.1)).astype(np.float32)}
    for i in range(llama.LAYERS):
        p = f"blk.{i}."
        t[p + "attn_norm.weight"] = (1 + normal((WIDTH,), 0.1)).astype(np.float32)
        t[p + "attn_q.weight"] = normal((WIDTH, WIDTH), 0.3)
        t[p + "attn_k.weight"] = normal((kv, WIDTH), 0.3)
        t[p + "attn_v.weight"] = normal((kv, WIDTH), 0.3)
        t[p + "attn_output.weight"] = normal((WIDTH, WIDTH), 0.2)
        t[p + "ffn_norm.weight"] = (1 + normal((WIDTH,), 0.1)).astype(np.float32)
        t[p + "ffn_gate.weight"] = normal((llama.FFN, WIDTH), 0.25)
        t[p + "ffn_up.weight"] = normal((llama.FFN, WIDTH), 0.25)
        t[p + "ffn_down.weight"] = normal((WIDTH, llama.FFN), 0.15)
    return t


def write_gguf(path, tensors):
    """GGUF v3: the llama.* keys, a byte-level gpt2 tokenizer, F32 tensors in ggml order."""
    def string(s):
        b = s.encode()
        return struct.pack("<Q", len(b)) + b

    def u32(v):
        return 4, struct.pack("<I", v)

    def f32(v):
        return 6, struct.pack("<f", v)

    def text(v):
        return 8, string(v)

    def strings(values):
        return 9, struct.pack("<IQ", 8, len(values)) + b"".join(string(v) for v in values)

    def int32s(values):
        return 9, struct.pack("<IQ", 5, len(values)) + b"".join(struct.pack("<i", v) for v in values)

    def boolean(v):
        return 7, struct.pack("<B", 1 if v else 0)

    tokens = SPECIALS + gpt2_byte_characters()
    types = [3] * len(SPECIALS) + [1] * 256          # control, then normal
    kvs = [("general.architecture", text("llama")),
           ("general.name", text("allspark-e2e-tiny-lm")),
           ("llama.block_count", u32(llama.LAYERS)),
           ("llama.context_length", u32(CONTEXT)),
           ("llama.embedding_length", u32(WIDTH)),
           ("llama.feed_forward_length", u32(llama.FFN)),
           ("llama.attention.head_count", u32(llama.HEADS)),
           ("llama.attention.head_count_kv", u32(llama.KV_HEADS)),
           ("llama.attention.layer_norm_rms_epsilon", f32(llama.EPS)),
           ("llama.rope.freq_base", f32(llama.ROPE_BASE)),
           ("tokenizer.ggml.model", text("gpt2")),
           ("tokenizer.ggml.pre", text("smollm")),
           ("tokenizer.ggml.tokens", strings(tokens)),
           ("tokenizer.ggml.token_type", int32s(types)),
           ("tokenizer.ggml.merges", strings([])),
           ("tokenizer.ggml.bos_token_id", u32(1)),
           ("tokenizer.ggml.eos_token_id", u32(2)),
           ("tokenizer.ggml.padding_token_id", u32(2)),
           ("tokenizer.ggml.add_bos_token", boolean(False)),
           ("tokenizer.chat_template", text(CHAT_TEMPLATE))]
    llama.write_gguf_file(path, [(key, kind, payload) for key, (kind, payload) in kvs], tensors)


# ---------------------------------------------------------------------------------------------
# Tokenizer and sequence layout (from the documented template, not from the Swift code).

def tokenize(text, special=True):
    """Byte-level with no merges: one id per UTF-8 byte; with `special`, the control tokens'
    texts become their ids."""
    ids = []
    parts = re.split("(" + "|".join(re.escape(s) for s in SPECIALS) + ")", text) if special else [text]
    for part in parts:
        if special and part in SPECIALS:
            ids.append(SPECIALS.index(part))
        else:
            ids += [BYTE0 + b for b in part.encode()]
    return ids


IM_END = SPECIALS.index("<|im_end|>")


def answer_sentence(label):
    """The classification answer: "A <words>." or "An <words>." before a vowel, underscores as spaces."""
    words = label.replace("_", " ")
    return ("An " if words[:1] in set("aeiouAEIOU") else "A ") + words + "."


def layout(prompt, queries, answers):
    """Token ids of the system turn (positions 0…), and per sample the body's ids (None at the
    modality rows), its LM targets (body row, token), all bodies padded to one length; and the
    body rows the head reads."""
    prefix = tokenize(f"<|im_start|>system\n{SYSTEM_PROMPT}<|im_end|>\n")
    before = tokenize("<|im_start|>user\n")
    after = tokenize("\n") + tokenize(prompt, special=False) + tokenize("<|im_end|>\n") + tokenize("<|im_start|>assistant\n")
    prompt_length = len(before) + queries + len(after)
    answer_ids = [tokenize(a, special=False) if a is not None else [] for a in answers]
    length = prompt_length + max(len(a) for a in answer_ids) + 1
    bodies, targets = [], []
    for ids, answer in zip(answer_ids, answers):
        body = list(before) + [None] * queries + list(after)
        sample_targets = []
        for token in ids + [IM_END]:
            sample_targets.append((len(body) - 1, token))
            body.append(token)
        body += [IM_END] * (length - len(body))
        bodies.append(body)
        targets.append(sample_targets if answer is not None else [])
    return dict(prefix=prefix, bodies=bodies, targets=targets, length=length,
                head_row=prompt_length - 1, modality_rows=list(range(len(before), len(before) + queries)))


# ---------------------------------------------------------------------------------------------
# Building blocks (float64).

def layer_norm(x, w, b, eps):
    mean = jnp.mean(x, -1, keepdims=True)
    var = jnp.mean((x - mean) ** 2, -1, keepdims=True)
    return (x - mean) / jnp.sqrt(var + eps) * w + b


def gelu(x):
    """Exact GELU, x · Φ(x)."""
    return 0.5 * x * (1 + jax.scipy.special.erf(x / math.sqrt(2)))


def linear(p, name, x, bias=True):
    y = x @ p[name + ".weight"].T
    return y + p[name + ".bias"] if bias else y


def attention(q, k, v, heads):
    """Unmasked multi-head attention, heads side by side in the columns, scale 1/sqrt(head width)."""
    hw = q.shape[1] // heads
    qh = q.reshape(q.shape[0], heads, hw)
    kh = k.reshape(k.shape[0], heads, hw)
    vh = v.reshape(v.shape[0], heads, -1)
    probs = jax.nn.softmax(jnp.einsum("qhd,khd->hqk", qh, kh) / math.sqrt(hw), -1)
    return jnp.einsum("hqk,khd->qhd", probs, vh).reshape(q.shape[0], -1)


def transformer_block(p, name, x, heads):
    """timm's pre-norm block: LayerNorm eps 1e-6, fused qkv, exact GELU MLP."""
    w = x.shape[1]
    h = linear(p, name + ".attn.qkv", layer_norm(x, p[name + ".norm1.weight"], p[name + ".norm1.bias"], 1e-6))
    x = x + linear(p, name + ".attn.proj", attention(h[:, :w], h[:, w:2 * w], h[:, 2 * w:], heads))
    h = layer_norm(x, p[name + ".norm2.weight"], p[name + ".norm2.bias"], 1e-6)
    return x + linear(p, name + ".mlp.fc2", gelu(linear(p, name + ".mlp.fc1", h)))


def transformer_stack(p, prefix, x, depth, heads):
    for i in range(depth):
        x = transformer_block(p, f"{prefix}.blocks.{i}", x, heads)
    return layer_norm(x, p[prefix + ".norm.weight"], p[prefix + ".norm.bias"], 1e-6)


def block_shapes(prefix, depth, width, mlp_ratio=4):
    hidden = int(round(width * mlp_ratio))
    s = {}
    for i in range(depth):
        b = f"{prefix}.blocks.{i}"
        s.update({b + ".norm1.weight": ((width,), "ln_w"), b + ".norm1.bias": ((width,), "bias"),
                  b + ".attn.qkv.weight": ((3 * width, width), "w"), b + ".attn.qkv.bias": ((3 * width,), "bias"),
                  b + ".attn.proj.weight": ((width, width), "w"), b + ".attn.proj.bias": ((width,), "bias"),
                  b + ".norm2.weight": ((width,), "ln_w"), b + ".norm2.bias": ((width,), "bias"),
                  b + ".mlp.fc1.weight": ((hidden, width), "w"), b + ".mlp.fc1.bias": ((hidden,), "bias"),
                  b + ".mlp.fc2.weight": ((width, hidden), "w"), b + ".mlp.fc2.bias": ((width,), "bias")})
    s.update({prefix + ".norm.weight": ((width,), "ln_w"), prefix + ".norm.bias": ((width,), "bias")})
    return s


# ---------------------------------------------------------------------------------------------
# Encoders: prepared input → tokens [N, width]. One function per modality, and its parameters.

def vit_shapes(prefix, e, channels, side):
    """A ViT's parameters (timm layout) for a square input of `side` with `channels` channels."""
    d, patch = e["width"], e["patch"]
    grid = side // patch
    s = {prefix + ".patch_embed.proj.weight": ((d, channels, patch, patch), "w"),
         prefix + ".patch_embed.proj.bias": ((d,), "bias"),
         prefix + ".cls_token": ((1, d), "embedding"),
         prefix + ".pos_embed": ((1 + grid * grid, d), "embedding")}
    s.update(block_shapes(prefix, e["depth"], d, e.get("mlpRatio", 4)))
    return s


def vit(p, prefix, image, e):
    """ViT (timm layout): patch convolution (stride = patch), CLS first, position embeddings,
    pre-norm blocks, final LayerNorm. image [channels, size, size]."""
    d, patch = e["width"], e["patch"]
    c, side = image.shape[0], image.shape[1]
    g = side // patch
    patches = image.reshape(c, g, patch, g, patch).transpose(1, 3, 0, 2, 4).reshape(g * g, c * patch * patch)
    w = p[prefix + ".patch_embed.proj.weight"].reshape(d, -1)
    tokens = patches @ w.T + p[prefix + ".patch_embed.proj.bias"]
    x = jnp.concatenate([p[prefix + ".cls_token"], tokens], 0) + p[prefix + ".pos_embed"]
    return transformer_stack(p, prefix, x, e["depth"], e["heads"])


def rgb_shapes(cfg):
    return vit_shapes("encoders.rgb", cfg["encoder"], 3, cfg["input"]["size"])


def rgb_encoder(p, image, cfg):
    """The ViT on image [3, size, size]."""
    return vit(p, "encoders.rgb", image, cfg["encoder"])


def table_index_counts(cfg):
    """Rows of each column's value table: discrete categories + unknown + missing; continuous
    bins (interior edges + 1) + missing."""
    return [len(c["categories"]) + 2 if c["kind"] == "discrete" else len(c["edges"]) + 2 for c in cfg["input"]["columns"]]


def table_index(column, value):
    """TabFormer-style value → index (the configuration's documented rule): a discrete value's
    position among the categories (unknown: after them, missing: after that); a continuous value's
    bin k with edges[k−1] ≤ x < edges[k] (missing: the bin after the last)."""
    if column["kind"] == "discrete":
        if value is None:
            return len(column["categories"]) + 1
        return column["categories"].index(value) if value in column["categories"] else len(column["categories"])
    if value is None:
        return len(column["edges"]) + 1
    return int(np.searchsorted(np.array(column["edges"]), value, side="right"))


def table_shapes(cfg):
    e, columns = cfg["encoder"], cfg["input"]["columns"]
    d = e["width"]
    s = {f"encoders.table.value_embeddings.{i}.weight": ((n, d), "embedding") for i, n in enumerate(table_index_counts(cfg))}
    s["encoders.table.column_embedding.weight"] = ((len(columns), d), "embedding")
    s.update(block_shapes("encoders.table", e["depth"], d))
    return s


def table_encoder(p, indices, cfg):
    """Each column's row of its own value table plus the column's embedding, then the stack."""
    e = cfg["encoder"]
    idx = [int(i) for i in np.asarray(indices)]
    rows = jnp.stack([p[f"encoders.table.value_embeddings.{i}.weight"][k] for i, k in enumerate(idx)])
    return transformer_stack(p, "encoders.table", rows + p["encoders.table.column_embedding.weight"], e["depth"], e["heads"])


def trajectory_shapes(cfg):
    e, steps = cfg["encoder"], cfg["input"]["steps"]
    d = e["width"]
    s = {"encoders.trajectory.input_proj.weight": ((d, 2), "w"), "encoders.trajectory.input_proj.bias": ((d,), "bias"),
         "encoders.trajectory.pos_embed": ((steps, d), "embedding")}
    s.update(block_shapes("encoders.trajectory", e["depth"], d))
    return s


def trajectory_encoder(p, track, cfg):
    """TUTR-style: linear 2 → D per observed step plus the step embedding, then the stack.
    track [steps, 2] (relative to the last observed position)."""
    e = cfg["encoder"]
    x = linear(p, "encoders.trajectory.input_proj", track) + p["encoders.trajectory.pos_embed"]
    return transformer_stack(p, "encoders.trajectory", x, e["depth"], e["heads"])


def graph_shapes(cfg):
    e, i = cfg["encoder"], cfg["input"]
    return {"encoders.graph.input_proj.weight": ((e["inputEmbedding"], 3), "w"),
            "encoders.graph.input_proj.bias": ((e["inputEmbedding"],), "bias"),
            "encoders.graph.tod_embedding.weight": ((i["stepsPerDay"], e["timeOfDayEmbedding"]), "embedding"),
            "encoders.graph.dow_embedding.weight": ((7, e["dayOfWeekEmbedding"]), "embedding"),
            "encoders.graph.adaptive_embedding": ((i["steps"], i["nodes"], e["adaptiveEmbedding"]), "embedding")}


def graph_encoder(p, channels, cfg):
    """STAEformer's input embedding, per (step, node) position in step-major order: the input
    projection of the 3 channels, the step's time-of-day row (slot ⌊fraction · stepsPerDay⌋, in
    float32 as the channel is stored), the step's day-of-week row, the position's adaptive row,
    concatenated. channels [steps, nodes, 3]."""
    e, i = cfg["encoder"], cfg["input"]
    steps, nodes, per_day = i["steps"], i["nodes"], i["stepsPerDay"]
    host = np.asarray(channels, np.float32)
    slots = [min(int(np.float32(host[t, 0, 1]) * np.float32(per_day)), per_day - 1) for t in range(steps)]
    days = [int(host[t, 0, 2]) for t in range(steps)]
    positions = steps * nodes
    step_of = [k // nodes for k in range(positions)]
    return jnp.concatenate([
        linear(p, "encoders.graph.input_proj", channels.reshape(positions, 3)),
        p["encoders.graph.tod_embedding.weight"][np.array([slots[t] for t in step_of])],
        p["encoders.graph.dow_embedding.weight"][np.array([days[t] for t in step_of])],
        p["encoders.graph.adaptive_embedding"].reshape(positions, e["adaptiveEmbedding"]),
    ], 1)


# --- Non-smooth operations (ReLU, max-pool, group maximum). Their derivative jumps where an input
# crosses zero or two candidates for a maximum swap, so float32 (Swift) and float64 (here) agree
# only where no input lies within rounding of such a point. While KINKS is a list (an eager
# forward, `check_kinks`), each records its smallest relative margin; None while tracing.

KINKS = None


def _record(kind, margin):
    if KINKS is not None:
        KINKS.append((kind, float(margin)))


def relu(x):
    if KINKS is not None:
        v = np.abs(np.asarray(x))
        _record("relu", v.min() / max(v.max(), 1e-300))
    return jnp.maximum(x, 0)


def _max_margin(windows, scale):
    """Smallest gap between the largest and second largest candidate of windows [..., n], over
    windows whose maximum is positive (all-zero windows after a ReLU pass no gradient), relative
    to the tensor's largest magnitude."""
    w = np.sort(np.asarray(windows).reshape(-1, windows.shape[-1]), axis=1)
    gaps = (w[:, -1] - w[:, -2])[(w[:, -1] > 0) | (w[:, -1] < 0)]
    return (gaps.min() if gaps.size else np.inf) / max(scale, 1e-300)


def max_pool(x, kernel, stride=None, padding=0):
    """Max-pool of [C, H, W] with square windows, floor mode; padding counts as -inf."""
    stride = stride or kernel
    if KINKS is not None:
        v = np.pad(np.asarray(x), ((0, 0), (padding, padding), (padding, padding)), constant_values=-np.inf)
        windows = np.lib.stride_tricks.sliding_window_view(v, (kernel, kernel), axis=(1, 2))[:, ::stride, ::stride]
        windows = windows.reshape(windows.shape[:3] + (-1,))
        windows = np.where(np.isinf(windows), -1e300, windows)
        _record("max-pool", _max_margin(windows, np.abs(np.asarray(x)).max()))
    return jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, (1, kernel, kernel), (1, stride, stride),
                                 ((0, 0), (padding, padding), (padding, padding)))


def group_max(x, axis):
    if KINKS is not None:
        v = np.moveaxis(np.asarray(x), axis, -1)
        if v.shape[-1] > 1:
            _record("group max", _max_margin(v, np.abs(v).max()))
    return jnp.max(x, axis=axis)


def check_kinks(modality, encode, params, inputs, variants, threshold=1e-5):
    """Runs the encoder eagerly on every input and asserts that no non-smooth operation is within
    `threshold` (relative) of its kink."""
    global KINKS
    KINKS = []
    try:
        for x, variant in zip(inputs, variants):
            encode(params, jnp.asarray(x, jnp.float64), variant)
        worst = min(KINKS, key=lambda k: k[1]) if KINKS else None
    finally:
        KINKS = None
    if worst is not None:
        assert worst[1] > threshold, f"{modality}: a {worst[0]} input is within {worst[1]:.3g} of its kink (relative)"
    return worst


def conv2d(x, weight, stride=1, padding=0):
    """Cross-correlation of x [Cin, H, W] with weight [Cout, Cin, k, k], no bias (PyTorch's Conv2d)."""
    return jax.lax.conv_general_dilated(x[None], weight, (stride, stride), ((padding, padding), (padding, padding)),
                                        dimension_numbers=("NCHW", "OIHW", "NCHW"), precision=jax.lax.Precision.HIGHEST)[0]


def batch_norm(p, name, x, axis=0, eps=1e-5):
    """Inference batch norm with the running statistics (constants here, as in training):
    (x - running_mean) / sqrt(running_var + eps) · weight + bias, channels on `axis`."""
    shape = [1] * x.ndim
    shape[axis] = -1
    def get(k):
        return p[f"{name}.{k}"].reshape(shape)
    return (x - get("running_mean")) / jnp.sqrt(get("running_var") + eps) * get("weight") + get("bias")


def batch_norm_shapes(name, channels):
    return {name + ".weight": ((channels,), "bn_weight"), name + ".bias": ((channels,), "bias"),
            name + ".running_mean": ((channels,), "bn_mean"), name + ".running_var": ((channels,), "bn_var")}


FROZEN_SUFFIXES = (".running_mean", ".running_var")


# HSI: one token per band (shared Linear(1, D) of the band's standardised value plus the band's
# position), then the plain transformer stack; no CLS (hsi_forward_reference.py).

def hsi_shapes(cfg):
    e, bands = cfg["encoder"], cfg["input"]["bands"]
    d = e["width"]
    s = {"encoders.hsi.band_embed.weight": ((d, 1), "w"), "encoders.hsi.band_embed.bias": ((d,), "bias"),
         "encoders.hsi.pos_embed": ((bands, d), "embedding")}
    s.update(block_shapes("encoders.hsi", e["depth"], d, e.get("mlpRatio", 4)))
    return s


def hsi_encoder(p, column, cfg):
    """column [bands, 1]: the standardised spectrum (prepare's output)."""
    e = cfg["encoder"]
    x = linear(p, "encoders.hsi.band_embed", column) + p["encoders.hsi.pos_embed"]
    return transformer_stack(p, "encoders.hsi", x, e["depth"], e["heads"])


# MSI: the ViT over the chosen, normalised bands (msi_forward_reference.py).

def msi_shapes(cfg):
    return vit_shapes("encoders.msi", cfg["encoder"], cfg["input"]["bands"], cfg["input"]["size"])


def msi_encoder(p, image, cfg):
    """image [bands, size, size]."""
    return vit(p, "encoders.msi", image, cfg["encoder"])


# SAR: per layer a k × k convolution (padding k // 2, no bias), inference batch norm, ReLU and a
# pool × pool max-pool; the final map read row-major as tokens (sar_forward_reference.py).

def sar_shapes(cfg):
    e = cfg["encoder"]
    s, inputs = {}, 1
    for i, outputs in enumerate(e["channels"]):
        name = f"encoders.sar.layers.{i}"
        s[name + ".conv.weight"] = ((outputs, inputs, e["kernel"], e["kernel"]), "w")
        s.update(batch_norm_shapes(name + ".bn", outputs))
        inputs = outputs
    return s


def sar_encoder(p, chip, cfg):
    """chip [1, size, size] in normalised decibels."""
    e = cfg["encoder"]
    x = chip
    for i in range(len(e["channels"])):
        name = f"encoders.sar.layers.{i}"
        x = max_pool(relu(batch_norm(p, name + ".bn", conv2d(x, p[name + ".conv.weight"], padding=e["kernel"] // 2))), e["pool"])
    return x.reshape(x.shape[0], -1).T


# Point cloud (Point-BERT): mini-PointNet per group, CLS, centre-MLP positions added before every
# block (pointcloud_forward_reference.py). Its inner widths are fixed: 3 → 128 → 256, 512 → 512.

POINTNET = (128, 256, 512)
POSITION_HIDDEN = 128
# The two large mini-PointNet weights are not random but module_forward_reference.pattern (exact in
# float32), so the Swift test can make them instead of committing 1.2 MB: name → pattern arguments.
POINTCLOUD_PATTERNED = {"encoders.pointcloud.encoder.first_conv.3.weight": (7, 3, 29, 1 / 128),
                        "encoders.pointcloud.encoder.second_conv.0.weight": (11, 5, 31, 1 / 256)}


def pointcloud_shapes(cfg):
    e = cfg["encoder"]
    d, (h1, h2, h3) = e["width"], POINTNET
    x = "encoders.pointcloud.encoder"
    s = {x + ".first_conv.0.weight": ((h1, 3, 1), "w"), x + ".first_conv.0.bias": ((h1,), "bias")}
    s.update(batch_norm_shapes(x + ".first_conv.1", h1))
    s.update({x + ".first_conv.3.weight": ((h2, h1, 1), "pattern"), x + ".first_conv.3.bias": ((h2,), "bias"),
              x + ".second_conv.0.weight": ((h3, 2 * h2, 1), "pattern"), x + ".second_conv.0.bias": ((h3,), "bias")})
    s.update(batch_norm_shapes(x + ".second_conv.1", h3))
    s.update({x + ".second_conv.3.weight": ((d, h3, 1), "w"), x + ".second_conv.3.bias": ((d,), "bias"),
              "encoders.pointcloud.cls_token": ((1, d), "embedding"), "encoders.pointcloud.cls_pos": ((1, d), "embedding"),
              "encoders.pointcloud.pos_embed.0.weight": ((POSITION_HIDDEN, 3), "w"),
              "encoders.pointcloud.pos_embed.0.bias": ((POSITION_HIDDEN,), "bias"),
              "encoders.pointcloud.pos_embed.2.weight": ((d, POSITION_HIDDEN), "w"),
              "encoders.pointcloud.pos_embed.2.bias": ((d,), "bias")})
    s.update(block_shapes("encoders.pointcloud", e["depth"], d, e.get("mlpRatio", 4)))
    return s


def pointcloud_encoder(p, packed, cfg):
    """packed [groups · groupSize + groups, 3]: the neighbourhoods (group after group, relative to
    the centre), then the centres. 1 × 1 convolutions are x · W[:, :, 0]ᵀ + b per point."""
    e = cfg["encoder"]
    g, k, h2 = e["groups"], e["groupSize"], POINTNET[1]
    x = "encoders.pointcloud.encoder"

    def conv(v, name):
        return v @ p[name + ".weight"][:, :, 0].T + p[name + ".bias"]

    local = conv(relu(batch_norm(p, x + ".first_conv.1", conv(packed[:g * k], x + ".first_conv.0"), axis=1)), x + ".first_conv.3")
    local = local.reshape(g, k, h2)
    pooled = group_max(local, 1)[:, None, :]
    joined = jnp.concatenate([jnp.broadcast_to(pooled, local.shape), local], 2).reshape(g * k, 2 * h2)
    features = conv(relu(batch_norm(p, x + ".second_conv.1", conv(joined, x + ".second_conv.0"), axis=1)), x + ".second_conv.3")
    tokens = group_max(features.reshape(g, k, -1), 1)
    centres = packed[g * k:g * k + g]
    positions = jnp.concatenate([p["encoders.pointcloud.cls_pos"],
                                 linear(p, "encoders.pointcloud.pos_embed.2", gelu(linear(p, "encoders.pointcloud.pos_embed.0", centres)))], 0)
    h = jnp.concatenate([p["encoders.pointcloud.cls_token"], tokens], 0)
    for i in range(e["depth"]):
        h = transformer_block(p, f"encoders.pointcloud.blocks.{i}", h + positions, e["heads"])
    return layer_norm(h, p["encoders.pointcloud.norm.weight"], p["encoders.pointcloud.norm.bias"], 1e-6)


# Video (TubeViT): one Conv3d per tube shape (no padding), tokens in (frame, row, column) order,
# sets concatenated, plus the fixed sin-cos embedding of each tube's centre, then the stack; no CLS
# (video_forward_reference.py).

def video_shapes(cfg):
    e = cfg["encoder"]
    d = e["width"]
    s = {}
    for k, kernel in enumerate(e["tubeKernels"]):
        s[f"encoders.video.tubes.{k}.weight"] = ((d, 3) + tuple(kernel), "w")
        s[f"encoders.video.tubes.{k}.bias"] = ((d,), "bias")
    s.update(block_shapes("encoders.video", e["depth"], d, e.get("mlpRatio", 4)))
    return s


def video_positions(centres, width):
    """Per axis (frame, row, column) F sines then F cosines of the coordinate times
    10000^(-k / F), F = width / 6; a constant, stored as float32."""
    half = width // (2 * centres.shape[1])
    omega = 10000.0 ** (-np.arange(half) / half)
    blocks = []
    for a in range(centres.shape[1]):
        angles = centres[:, a:a + 1] * omega
        blocks += [np.sin(angles), np.cos(angles)]
    return np.concatenate(blocks, 1).astype(np.float32).astype(np.float64)


def video_encoder(p, volume, cfg):
    """volume [3, frames, size, size], normalised."""
    e = cfg["encoder"]
    d = e["width"]
    tokens, positions = [], []
    for k, (kernel, stride) in enumerate(zip(e["tubeKernels"], e["tubeStrides"])):
        y = jax.lax.conv_general_dilated(volume[None], p[f"encoders.video.tubes.{k}.weight"], tuple(stride), "VALID",
                                         dimension_numbers=("NCDHW", "OIDHW", "NCDHW"), precision=jax.lax.Precision.HIGHEST)[0]
        y = y + p[f"encoders.video.tubes.{k}.bias"][:, None, None, None]
        grid = y.shape[1:]
        tokens.append(y.reshape(d, -1).T)
        axes = [np.arange(n) * s + (kk - 1) / 2 for n, kk, s in zip(grid, kernel, stride)]
        centres = np.stack([a.ravel() for a in np.meshgrid(*axes, indexing="ij")], 1)
        positions.append(video_positions(centres, d))
    x = jnp.concatenate(tokens, 0) + np.concatenate(positions, 0)
    return transformer_stack(p, "encoders.video", x, e["depth"], e["heads"])


# Oblique: one shared ViT per view plus that view's embedding, views concatenated
# (oblique_forward_reference.py). A sample may have fewer views than configured.

def oblique_shapes(cfg):
    e = cfg["encoder"]
    s = vit_shapes("encoders.oblique", e, 3, cfg["input"]["size"])
    s["encoders.oblique.view_embed"] = ((cfg["input"]["views"], e["width"]), "embedding")
    return s


def oblique_encoder(p, views, cfg):
    """views [count ≤ views, 3, size, size], normalised."""
    return jnp.concatenate([vit(p, "encoders.oblique", views[v], cfg["encoder"]) + p["encoders.oblique.view_embed"][v]
                            for v in range(views.shape[0])], 0)


# Infrared: two ResNets (torchvision v1.5 without pool and classifier), `ir` for the infrared
# query and `rgb` for the gallery image (infrared_forward_reference.py, whose block plan is used).

def resnet_shapes(prefix, e):
    s = {prefix + ".conv1.weight": ((e["stem"], 3, 7, 7), "w")}
    s.update(batch_norm_shapes(prefix + ".bn1", e["stem"]))
    for name, plan, inputs, outputs, _, downsample in infrared_reference.architecture(e["block"], e["layers"], e["widths"], e["stem"]):
        for index, cin, cout, kernel, _ in plan:
            s[f"{prefix}.{name}.conv{index}.weight"] = ((cout, cin, kernel, kernel), "w")
            s.update(batch_norm_shapes(f"{prefix}.{name}.bn{index}", cout))
        if downsample:
            s[f"{prefix}.{name}.downsample.0.weight"] = ((outputs, inputs, 1, 1), "w")
            s.update(batch_norm_shapes(f"{prefix}.{name}.downsample.1", outputs))
    return s


def resnet(p, prefix, image, e):
    """Stem (7 × 7 / 2 convolution, batch norm, ReLU, 3 × 3 / 2 max-pool with padding 1), then the
    blocks: out = ReLU(branch(x) + shortcut(x)), the branch's convolutions each followed by batch
    norm and all but the last by ReLU; → tokens [rows · columns, channels], row-major."""
    x = max_pool(relu(batch_norm(p, prefix + ".bn1", conv2d(image, p[prefix + ".conv1.weight"], stride=2, padding=3))), 3, 2, 1)
    for name, plan, _, _, stride, downsample in infrared_reference.architecture(e["block"], e["layers"], e["widths"], e["stem"]):
        y = x
        for position, (index, _, _, kernel, conv_stride) in enumerate(plan):
            y = batch_norm(p, f"{prefix}.{name}.bn{index}", conv2d(y, p[f"{prefix}.{name}.conv{index}.weight"], conv_stride, kernel // 2))
            if position < len(plan) - 1:
                y = relu(y)
        shortcut = x
        if downsample:
            shortcut = batch_norm(p, f"{prefix}.{name}.downsample.1", conv2d(x, p[f"{prefix}.{name}.downsample.0.weight"], stride))
        x = relu(y + shortcut)
    return x.reshape(x.shape[0], -1).T


def infrared_shapes(cfg):
    s = resnet_shapes("encoders.infrared.ir", cfg["encoder"])
    s.update(resnet_shapes("encoders.infrared.rgb", cfg["encoder"]))
    return s


def infrared_encoder(p, x, cfg, variant=0):
    """Variant 0, the pair [2, 3, H, W]: the infrared query through `ir`, then the gallery image
    through `rgb`, tokens concatenated. Variant 1, one RGB image [3, H, W]: through `rgb` alone."""
    e = cfg["encoder"]
    if variant == 1:
        return resnet(p, "encoders.infrared.rgb", x, e)
    assert variant == 0 and x.shape[0] == 2
    return jnp.concatenate([resnet(p, "encoders.infrared.ir", x[0], e), resnet(p, "encoders.infrared.rgb", x[1], e)], 0)


ENCODERS = {"rgb": (rgb_shapes, rgb_encoder), "table": (table_shapes, table_encoder),
            "trajectory": (trajectory_shapes, trajectory_encoder), "graph": (graph_shapes, graph_encoder),
            "hsi": (hsi_shapes, hsi_encoder), "msi": (msi_shapes, msi_encoder), "sar": (sar_shapes, sar_encoder),
            "pointcloud": (pointcloud_shapes, pointcloud_encoder), "video": (video_shapes, video_encoder),
            "oblique": (oblique_shapes, oblique_encoder), "infrared": (infrared_shapes, infrared_encoder)}
# Each modality's parameters come from a generator seeded with its position here (the first four
# in the order they were added with, so adding a modality changes no other's fixtures).
SEED_ORDER = ["graph", "rgb", "table", "trajectory", "hsi", "msi", "sar", "pointcloud", "video", "oblique", "infrared"]


def encoder_width(modality, cfg):
    e = cfg["encoder"]
    if modality == "graph":
        return e["inputEmbedding"] + e["timeOfDayEmbedding"] + e["dayOfWeekEmbedding"] + e["adaptiveEmbedding"]
    if modality == "sar":
        return e["channels"][-1]
    if modality == "infrared":
        return e["widths"][-1] * (4 if e["block"] == "bottleneck" else 1)
    return e["width"]


# ---------------------------------------------------------------------------------------------
# Bridge and head.

def bridge_shapes(prefix, b, encoder_width):
    inner, d = b["heads"] * b["headWidth"], WIDTH
    s = {prefix + ".queries": ((b["queries"], d), "embedding")}
    for i in range(b["depth"]):
        l = f"{prefix}.layers.{i}"
        s.update({l + ".norm_queries.weight": ((d,), "ln_w"), l + ".norm_queries.bias": ((d,), "bias"),
                  l + ".norm_tokens.weight": ((encoder_width,), "ln_w"), l + ".norm_tokens.bias": ((encoder_width,), "bias"),
                  l + ".attn.q.weight": ((inner, d), "w"), l + ".attn.k.weight": ((inner, encoder_width), "w"),
                  l + ".attn.v.weight": ((inner, encoder_width), "w"), l + ".attn.o.weight": ((d, inner), "w"),
                  l + ".norm_ffn.weight": ((d,), "ln_w"), l + ".norm_ffn.bias": ((d,), "bias"),
                  l + ".ffn.fc1.weight": ((b["ffnMultiple"] * d, d), "w"), l + ".ffn.fc2.weight": ((d, b["ffnMultiple"] * d), "w")})
    s.update({prefix + ".norm.weight": ((d,), "out_norm"), prefix + ".norm.bias": ((d,), "bias")})
    return s


def bridge(p, prefix, tokens, b):
    """Lynx's resampler: q += Wo · MHA(Wq · LN(q), Wk · LN(t), Wv · LN(t)); q += W2 · GELU(W1 · LN(q));
    out = LN(q). LayerNorm eps 1e-5, no projection biases."""
    q = p[prefix + ".queries"]
    for i in range(b["depth"]):
        l = f"{prefix}.layers.{i}"
        kv = layer_norm(tokens, p[l + ".norm_tokens.weight"], p[l + ".norm_tokens.bias"], 1e-5)
        queries = linear(p, l + ".attn.q", layer_norm(q, p[l + ".norm_queries.weight"], p[l + ".norm_queries.bias"], 1e-5), bias=False)
        attended = attention(queries, linear(p, l + ".attn.k", kv, bias=False), linear(p, l + ".attn.v", kv, bias=False), b["heads"])
        q = q + linear(p, l + ".attn.o", attended, bias=False)
        h = layer_norm(q, p[l + ".norm_ffn.weight"], p[l + ".norm_ffn.bias"], 1e-5)
        q = q + linear(p, l + ".ffn.fc2", gelu(linear(p, l + ".ffn.fc1", h, bias=False)), bias=False)
    return layer_norm(q, p[prefix + ".norm.weight"], p[prefix + ".norm.bias"], 1e-5)


def output_count(head):
    kind = head["kind"]
    if kind in ("classification", "reidentification"):
        return len(head["labels"])
    if kind == "depth":
        return head["grid"][0] * head["grid"][1]
    if kind == "regression":
        return max(len(head.get("mean", [0])), 1)
    if kind == "trajectory":
        return head["steps"] * 2
    if kind == "graph":
        return head["nodes"] * head["steps"]
    raise ValueError(kind)


# ---------------------------------------------------------------------------------------------
# The whole step.

def encode_input(modality, p, x, cfg, variant):
    """The modality's encoder on one prepared input; a variant other than 0 (infrared's gallery
    image alone) is passed on."""
    encode = ENCODERS[modality][1]
    return encode(p, x, cfg) if variant == 0 else encode(p, x, cfg, variant=variant)


def step_loss(params, lm, case):
    """params: the modality's trainable tensors (float64); lm: the language model's tensors.
    case["frozen"]: the batch norms' running statistics, constants of the forward."""
    m, cfg, b = case["modality"], case["section"], case["bridge"]
    seq = case["layout"]
    embed = lm["token_embd.weight"]
    prefix_rows = embed[np.array(seq["prefix"])]
    P = len(seq["prefix"])
    p = dict(case["frozen"], **params)
    hidden = []
    for k, (inputs, variant) in enumerate(zip(case["inputs"], case["variants"])):
        rows = bridge(p, f"bridges.{m}", encode_input(m, p, jnp.asarray(inputs, jnp.float64), cfg, variant), b)
        body, r = [], 0
        for token in seq["bodies"][k]:
            if token is None:
                body.append(rows[r])
                r += 1
            else:
                body.append(embed[token])
        x = jnp.concatenate([prefix_rows, jnp.stack(body)], 0)
        h, _ = llama.sequence(x, lm, {}, None, 0)
        hidden.append(h[P:])
    pooling = cfg["head"].get("pooling", case["pooling"])
    if pooling == "last":
        pooled = jnp.stack([h[seq["head_row"]] for h in hidden])
    else:
        pooled = jnp.stack([h[np.array(seq["modality_rows"])].mean(0) for h in hidden])
    outputs = linear(params, f"heads.{m}", pooled)
    head = cfg["head"]
    if head["kind"] in ("classification", "reidentification"):
        classes = np.array(case["classes"])
        head_loss = jnp.mean(jax.nn.logsumexp(outputs, -1) - outputs[np.arange(len(classes)), classes])
    else:
        # Mean squared error, or mean absolute error for depth, over every value; a value that is
        # not a target has output × 0 and target 0.
        target = jnp.asarray(case["values"], jnp.float64)
        mask = case.get("observed")
        predicted = outputs * jnp.asarray(mask, jnp.float64) if mask is not None else outputs
        head_loss = jnp.mean(jnp.abs(predicted - target)) if head["kind"] == "depth" else jnp.mean((predicted - target) ** 2)
    rows = [(k, row, token) for k, t in enumerate(seq["targets"]) for row, token in t]
    if rows:
        chosen = jnp.stack([hidden[k][row] for k, row, _ in rows])
        logits = chosen @ embed.T
        tokens = np.array([token for _, _, token in rows])
        lm_loss = jnp.mean(jax.nn.logsumexp(logits, -1) - logits[np.arange(len(rows)), tokens])
    else:
        lm_loss = jnp.zeros(())
    return head_loss + lm_loss, (head_loss, lm_loss, outputs)


# ---------------------------------------------------------------------------------------------
# Parameters, configurations, cases.

def make_parameters(shapes, rng, bridge_scale, patterns=None):
    out = {}
    for name, (shape, kind) in shapes.items():
        z = rng.standard_normal(shape)
        if kind == "pattern":           # module_forward_reference.pattern with the arguments in `patterns`
            v = pattern(shape, *patterns[name])
        elif kind == "bn_weight":
            v = 1 + 0.3 * np.tanh(z)
        elif kind == "bn_mean":
            v = 0.3 * z
        elif kind == "bn_var":          # within [0.5, 1.8]
            v = 0.5 + 1.3 / (1 + np.exp(-z))
        elif kind == "w":
            fan_in = int(np.prod(shape[1:]))
            v = z / math.sqrt(fan_in)
        elif kind == "ln_w":
            v = 1 + 0.1 * z
        elif kind == "bias":
            v = 0.05 * z
        elif kind == "embedding":
            v = 0.5 * z
        elif kind == "out_norm":        # the bridge's output scale: near the token embeddings' RMS
            v = bridge_scale * (1 + 0.1 * z)
        elif kind == "head":
            v = 0.3 * z
        else:
            raise ValueError(kind)
        out[name] = v.astype(np.float32)
    return out


BASE = {
    "name": "e2e-gradients",
    "seed": 11,
    "languageModel": {"gguf": f"{FIXTURES}/tiny-lm.gguf", "adapterFrequency": 2, "systemPrompt": SYSTEM_PROMPT,
                      "maxContext": CONTEXT, "numerics": "reference"},
    "bridge": {"queries": 4, "depth": 2, "heads": 2, "headWidth": 8, "ffnMultiple": 2},
    "sequence": {"layout": "chatml", "headPooling": "last"},
    "modalities": {},
}

TABLE_COLUMNS = [
    {"name": "Temp", "kind": "continuous", "edges": [70.0, 80.0]},
    {"name": "Month", "kind": "discrete", "categories": [5, 6, 7]},
    {"name": "Wind", "kind": "continuous", "edges": [8.0]},
]


def cases(rng):
    """Per modality: its configuration section, the batch's prepared inputs and targets."""
    out = {}

    # RGB: ViT, classification head read at the generation prompt's last row, answer sentences
    # of different lengths (so the shorter one is padded).
    section = {"input": {"size": 16}, "encoder": {"width": 16, "depth": 1, "heads": 2, "patch": 8},
               "head": {"kind": "classification", "labels": ["forest", "orchard", "dense_residential"]}}
    classes = [1, 2]
    out["rgb"] = dict(section=section, prompt="What is shown?",
                      inputs=rng.standard_normal((2, 3, 16, 16)).astype(np.float32),
                      examples=[{"label": section["head"]["labels"][c], "classIndex": c,
                                 "answer": answer_sentence(section["head"]["labels"][c])} for c in classes])

    # Table: TabFormer-style rows, regression head on the mean of the modality rows, a bridge of
    # its own (depth 1), no answer sentence (no language-model loss).
    section = {"input": {"target": "Ozone", "columns": TABLE_COLUMNS},
               "encoder": {"width": 16, "depth": 1, "heads": 2},
               "head": {"kind": "regression", "target": "Ozone", "unit": "ppb", "mean": [42.0], "std": [30.0],
                        "pooling": "modality-mean"},
               "bridge": {"depth": 1}}
    rows = [{"Temp": 75.5, "Month": 6, "Wind": 9.2}, {"Temp": 81.0, "Month": 9, "Wind": None}]
    indices = np.array([[table_index(c, r[c["name"]]) for c in TABLE_COLUMNS] for r in rows], np.float32)
    raw = [41.0, 18.0]
    out["table"] = dict(section=section, prompt="Predict the ozone level.", inputs=indices,
                        examples=[{"label": f"{v:g}", "value": v, "answer": None, "row": r} for v, r in zip(raw, rows)])

    # Trajectory: TUTR-style encoder, trajectory head (deviations, head units), no answer; a
    # bridge of its own (depth 1, 3 queries).
    section = {"input": {"steps": 4}, "encoder": {"width": 16, "depth": 1, "heads": 2},
               "head": {"kind": "trajectory", "steps": 3, "target": "future positions (x, y)", "unit": "m"},
               "bridge": {"depth": 1, "queries": 3}}
    tracks = np.cumsum(rng.standard_normal((2, 4, 2)) * 0.4, axis=1)
    tracks = (tracks - tracks[:, -1:, :]).astype(np.float32)
    out["trajectory"] = dict(section=section, prompt="Where next?", inputs=tracks,
                             examples=[{"label": "future track", "values": [round(float(v), 3) for v in rng.standard_normal(6) * 0.5],
                                        "answer": None} for _ in range(2)])

    # Graph: STAEformer embedding (no transformer), graph head [nodes × steps], masked MSE (some
    # future readings missing), no answer; a bridge of depth 1.
    steps, nodes, per_day = 3, 3, 12
    section = {"input": {"steps": steps, "nodes": nodes, "stepsPerDay": per_day, "mean": 60.0, "std": 10.0},
               "encoder": {"inputEmbedding": 4, "timeOfDayEmbedding": 4, "dayOfWeekEmbedding": 4, "adaptiveEmbedding": 4},
               "head": {"kind": "graph", "steps": 2, "nodes": nodes, "target": "speed", "unit": "mph", "mean": [60.0], "std": [10.0]},
               "bridge": {"depth": 1}}
    channels = np.zeros((2, steps, nodes, 3), np.float32)
    for k, (first_slot, day) in enumerate([(3, 2), (10, 6)]):
        for t in range(steps):
            channels[k, t, :, 0] = rng.standard_normal(nodes)
            channels[k, t, :, 1] = (((first_slot + t) % per_day) + 0.5) / per_day   # mid-slot: no rounding edge
            channels[k, t, :, 2] = day
    observed = [[True, True, False, True, True, True], [True, False, True, True, False, True]]
    out["graph"] = dict(section=section, prompt="Forecast the speeds.", inputs=channels,
                        examples=[{"label": "future series", "values": [round(float(v), 3) if o else 0.0 for v, o in zip(rng.standard_normal(6), obs)],
                                   "observed": obs, "answer": None} for obs in observed])

    # The modalities added after the first four draw from the shared generator after them, so
    # their inputs change nothing above. Each has a small bridge of its own (depth 1, 3 queries,
    # 2 heads of width 4, feed-forward 1 × the language model's width).
    small_bridge = {"depth": 1, "queries": 3, "heads": 2, "headWidth": 4, "ffnMultiple": 1}

    def classified(section, classes):
        labels = section["head"]["labels"]
        return [{"label": labels[c], "classIndex": c, "answer": answer_sentence(labels[c])} for c in classes]

    # HSI: one pixel's spectrum, standardised by its own statistics, as a band column [bands, 1].
    bands = 6
    section = {"input": {"bands": bands}, "encoder": {"width": 8, "depth": 1, "heads": 2, "mlpRatio": 2},
               "head": {"kind": "classification", "labels": ["asphalt", "meadows", "self_blocking_bricks"]}, "bridge": small_bridge}
    spectra = 0.2 + 0.1 * np.sin(np.arange(bands) / 1.5 + rng.uniform(0, 3, (2, 1))) + 0.03 * rng.standard_normal((2, bands))
    spectra = (spectra - spectra.mean(1, keepdims=True)) / spectra.std(1, keepdims=True)
    out["hsi"] = dict(section=section, prompt="Which material?", inputs=spectra[:, :, None].astype(np.float32),
                      examples=classified(section, [2, 1]))

    # MSI: 4 bands, standardised, through a ViT with patch 4 (2 × 2 patches + CLS).
    section = {"input": {"size": 8, "bands": 4}, "encoder": {"width": 8, "depth": 1, "heads": 2, "patch": 4, "mlpRatio": 2},
               "head": {"kind": "classification", "labels": ["annual_crop", "forest", "river"]}, "bridge": small_bridge}
    out["msi"] = dict(section=section, prompt="What land cover?", inputs=rng.standard_normal((2, 4, 8, 8)).astype(np.float32),
                      examples=classified(section, [0, 2]))

    # SAR: a chip in normalised decibels (30 dB range: some pixels clipped to 0, the peak 1),
    # two conv-BN-ReLU-pool layers, 8 → 4 → 2: 4 tokens of width 4.
    section = {"input": {"size": 8, "dynamicRange": 30}, "encoder": {"channels": [4, 4], "kernel": 3, "pool": 2},
               "head": {"kind": "classification", "labels": ["bmp2", "t72", "zsu_23_4"]}, "bridge": small_bridge}
    decibels = rng.uniform(-45, 0, (2, 1, 8, 8))
    decibels[:, 0, 3, 4] = 0
    chips = np.clip((decibels + 30) / 30, 0, 1)
    out["sar"] = dict(section=section, prompt="Which vehicle?", inputs=chips.astype(np.float32), examples=classified(section, [1, 2]))

    # Point cloud: 2 groups of 2 points. The prepared input as `prepare` makes it from a cloud in
    # the unit sphere: FPS centres from point 0, each centre's 2 nearest points (itself first)
    # minus the centre, then the centres.
    groups, group_size = 2, 2
    section = {"input": {"points": 8, "sampling": "fps"},
               "encoder": {"width": 4, "depth": 1, "heads": 2, "mlpRatio": 2, "groups": groups, "groupSize": group_size},
               "head": {"kind": "classification", "labels": ["airplane", "chair", "lamp"]}, "bridge": small_bridge}
    packed = []
    for _ in range(2):
        points = rng.standard_normal((8, 3)) * [1.0, 0.7, 0.4]
        points = points - points.mean(0)
        points /= np.sqrt((points ** 2).sum(1)).max()
        chosen = [0]
        while len(chosen) < groups:
            chosen.append(int(np.argmax(np.min(((points[:, None] - points[chosen][None]) ** 2).sum(-1), 1))))
        centres = points[chosen]
        nearest = np.argsort(((points[None] - centres[:, None]) ** 2).sum(-1), axis=1, kind="stable")[:, :group_size]
        packed.append(np.concatenate([(points[nearest] - centres[:, None]).reshape(-1, 3), centres]))
    out["pointcloud"] = dict(section=section, prompt="What object?", inputs=np.array(packed, np.float32),
                             examples=classified(section, [1, 0]))

    # Video: 4 frames of 8 × 8, two tube shapes (8 + 8 tubes), width 12 (two frequencies per axis).
    section = {"input": {"frames": 4, "size": 8},
               "encoder": {"width": 12, "depth": 1, "heads": 2, "mlpRatio": 2,
                           "tubeKernels": [[2, 4, 4], [1, 3, 3]], "tubeStrides": [[2, 4, 4], [2, 3, 3]]},
               "head": {"kind": "classification", "labels": ["apply_eye_makeup", "archery", "baby_crawling"]}, "bridge": small_bridge}
    frames = rng.uniform(0, 1, (2, 4, 3, 8, 8))
    mean, std = np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225])
    volumes = ((frames - mean[:, None, None]) / std[:, None, None]).transpose(0, 2, 1, 3, 4)
    out["video"] = dict(section=section, prompt="What activity?", inputs=volumes.astype(np.float32), examples=classified(section, [1, 2]))

    # Oblique: up to 2 views through one ViT plus view embeddings; the second sample has one view
    # only (fewer than configured). Depth head on a 2 × 2 grid: mean absolute error, cells without
    # a known depth are not targets; no answer sentence.
    section = {"input": {"views": 2, "size": 8, "mean": [0.5, 0.4, 0.3], "std": [0.2, 0.25, 0.3]},
               "encoder": {"width": 8, "depth": 1, "heads": 2, "patch": 4, "mlpRatio": 2},
               "head": {"kind": "depth", "grid": [2, 2], "target": "depth", "unit": "m", "mean": [12.5], "std": [2.5]},
               "bridge": small_bridge}
    views = [(rng.uniform(0, 1, (count, 3, 8, 8)) - np.array([0.5, 0.4, 0.3])[:, None, None]) / np.array([0.2, 0.25, 0.3])[:, None, None]
             for count in (2, 1)]
    observed = [[True, False, True, True], [True, True, True, False]]
    out["oblique"] = dict(section=section, prompt="How far is it?", inputs=[v.astype(np.float32) for v in views],
                          examples=[{"label": "depth map", "values": [round(float(v), 3) if o else 0.0 for v, o in zip(rng.standard_normal(4), obs)],
                                     "observed": obs, "answer": None} for obs in observed])

    # Infrared: two basic-block ResNets (stem 4, stages [1, 1] of widths [4, 8]; 16 × 12 → 2 × 2
    # tokens per image). The batch holds both training variants: the pair [2, 3, H, W] (variant 0)
    # and the matching gallery image alone [3, H, W] (variant 1), and a second pair. Identity
    # cross-entropy, no answer sentence.
    section = {"input": {"height": 16, "width": 12, "mean": [0.4, 0.5, 0.3], "std": [0.25, 0.2, 0.3]},
               "encoder": {"block": "basic", "layers": [1, 1], "widths": [4, 8], "stem": 4},
               "head": {"kind": "reidentification", "labels": ["person_3", "person_8", "person_12"]}, "bridge": small_bridge}
    mean, std = np.array([0.4, 0.5, 0.3])[:, None, None], np.array([0.25, 0.2, 0.3])[:, None, None]
    images = [(rng.uniform(0, 1, (2, 3, 16, 12)) - mean) / std, (rng.uniform(0, 1, (3, 16, 12)) - mean) / std,
              (rng.uniform(0, 1, (2, 3, 16, 12)) - mean) / std]
    labels = section["head"]["labels"]
    out["infrared"] = dict(section=section, prompt="Who is this?", inputs=[x.astype(np.float32) for x in images],
                           examples=[{"label": labels[c], "classIndex": c, "answer": None, "variant": v} for c, v in [(1, 0), (1, 1), (2, 0)]])
    return out


FACTOR_ABOVE = 16384
FLOAT32_LIMIT = 3e-5


def float32_difference(params32, lm32, case, reference_grads):
    """The same step in float32 (JAX with x64 off), against the float64 gradients: the largest
    max |Δ| / max |ref| over the tensors, and which. The Swift trainer computes in float32, so a
    fixture whose float32 result is not well inside the test's 1e-4 (a gradient that is a sum of
    terms much larger than itself) would test the arithmetic's rounding, not the model."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)     # the float64 that step_loss asks for is float32 here
        jax.config.update("jax_enable_x64", False)
        try:
            params = {k: jnp.asarray(v) for k, v in params32.items() if not k.endswith(FROZEN_SUFFIXES)}
            single = dict(case, frozen={k: jnp.asarray(v) for k, v in params32.items() if k.endswith(FROZEN_SUFFIXES)})
            lm = {k: jnp.asarray(v) for k, v in lm32.items()}
            grads = jax.grad(lambda p: step_loss(p, lm, single)[0])(params)
            grads = {k: np.asarray(v, np.float64) for k, v in grads.items()}
        finally:
            jax.config.update("jax_enable_x64", True)
    return max((np.abs(grads[k] - g).max() / max(np.abs(g).max(), 1e-300), k) for k, g in reference_grads.items())




def factorised(gradient):
    """A gradient of more than FACTOR_ABOVE values as two factors, left [m, r] and right [r, …]
    with left · right = the gradient reshaped [m, rest] (its SVD cut at its numerical rank): the
    mini-PointNet's large weights have gradients of rank at most the number of points in the
    batch. Asserts that the product equals the gradient to 1e-12 of its largest magnitude."""
    g = np.asarray(gradient, np.float64)
    matrix = g.reshape(g.shape[0], -1)
    u, singular, vt = np.linalg.svd(matrix, full_matrices=False)
    rank = int(np.sum(singular > 1e-13 * singular[0]))
    left, right = u[:, :rank] * singular[:rank], vt[:rank]
    error = np.abs(left @ right - matrix).max() / np.abs(matrix).max()
    assert error < 1e-12, f"rank-{rank} factors reproduce the gradient only to {error:.3g}"
    return left, right.reshape((rank,) + g.shape[1:]), rank


def run_case(modality, spec, lm32, rng, out_dir):
    section = spec["section"]
    b = dict(BASE["bridge"], **section.get("bridge", {}))
    shapes = dict(ENCODERS[modality][0](section))
    shapes.update(bridge_shapes(f"bridges.{modality}", b, encoder_width(modality, section)))
    outputs = output_count(section["head"])
    shapes.update({f"heads.{modality}.weight": ((outputs, WIDTH), "head"), f"heads.{modality}.bias": ((outputs,), "bias")})
    embedding_rms = float(np.sqrt(np.mean(lm32["token_embd.weight"].astype(np.float64) ** 2)))
    patterns = POINTCLOUD_PATTERNED if modality == "pointcloud" else {}
    params32 = make_parameters(shapes, rng, embedding_rms, patterns)

    # Inputs of one shape are stacked; a batch whose inputs differ (infrared's variants, oblique's
    # view counts) is stored zero-padded to its largest, each smaller one with its own shape.
    inputs = [np.asarray(x, np.float32) for x in spec["inputs"]]
    largest = max(inputs, key=lambda x: x.size).shape
    stacked = np.zeros((len(inputs),) + largest, np.float32)
    for k, (x, example) in enumerate(zip(inputs, spec["examples"])):
        stacked[k].reshape(-1)[:x.size] = x.reshape(-1)
        if x.shape != largest:
            example["inputShape"] = list(x.shape)

    head = section["head"]
    case = dict(modality=modality, section=section, bridge=b, pooling=BASE["sequence"]["headPooling"], inputs=inputs,
                variants=[e.get("variant", 0) for e in spec["examples"]])
    case["layout"] = layout(spec["prompt"], b["queries"], [e["answer"] for e in spec["examples"]])
    if head["kind"] in ("classification", "reidentification"):
        case["classes"] = [e["classIndex"] for e in spec["examples"]]
    elif head["kind"] == "regression":
        case["values"] = [[(e["value"] - head["mean"][0]) / head["std"][0]] for e in spec["examples"]]
    else:
        case["values"] = [e["values"] for e in spec["examples"]]
        if "observed" in spec["examples"][0]:
            case["observed"] = [[1.0 if o else 0.0 for o in e["observed"]] for e in spec["examples"]]

    params = {k: jnp.asarray(v, jnp.float64) for k, v in params32.items() if not k.endswith(FROZEN_SUFFIXES)}
    case["frozen"] = {k: jnp.asarray(v, jnp.float64) for k, v in params32.items() if k.endswith(FROZEN_SUFFIXES)}
    kink = check_kinks(modality, lambda p, x, v: encode_input(modality, p, x, section, v), dict(case["frozen"], **params),
                       inputs, case["variants"])
    lm = {k: jnp.asarray(v, jnp.float64) for k, v in lm32.items()}
    (loss, (head_loss, lm_loss, head_outputs)), grads = jax.value_and_grad(step_loss, has_aux=True)(params, lm, case)
    single, single_name = float32_difference(params32, lm32, case, {k: np.asarray(v, np.float64) for k, v in grads.items()})
    assert single < FLOAT32_LIMIT, f"{modality}: in float32 the gradient of {single_name} differs by {single:.3g} of its largest value"

    config = {"extends": "base.json", "name": f"e2e-{modality}", "checkpoint": f"{FIXTURES}/{modality}.safetensors",
              "modalities": {modality: section}}
    with open(os.path.join(out_dir, f"{modality}.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(out_dir, f"{modality}.safetensors"), {k: v for k, v in params32.items() if k not in patterns},
                      {"allspark.modules": f"encoders.{modality},bridges.{modality},heads.{modality}",
                       "allspark.configuration": f"{FIXTURES}/{modality}.json"})
    np.save(os.path.join(out_dir, f"{modality}-inputs.npy"), stacked)
    examples = {"prompt": spec["prompt"], "examples": spec["examples"]}
    if patterns:
        # Tensors the checkpoint leaves out: the test adds them, from module_forward_reference.pattern.
        examples["patterned"] = [{"name": name, "shape": list(shapes[name][0]), "multiplier": m, "offset": o, "modulus": n, "scale": c}
                                 for name, (m, o, n, c) in patterns.items()]
    with open(os.path.join(out_dir, f"{modality}-examples.json"), "w") as f:
        json.dump(examples, f, indent=2)
        f.write("\n")
    reference = {"loss": np.asarray(loss).reshape(1), "head_loss": np.asarray(head_loss).reshape(1),
                 "lm_loss": np.asarray(lm_loss).reshape(1), "head_outputs": np.asarray(head_outputs),
                 "body_length": np.array([case["layout"]["length"]], np.int64)}
    factored = []
    for name in params:
        gradient = np.asarray(grads[name], np.float64)
        if gradient.size > FACTOR_ABOVE:
            left, right, rank = factorised(gradient)
            reference["gradleft." + name], reference["gradright." + name] = left, right
            factored.append(f"{name.split('.', 1)[1]} rank {rank}")
        else:
            reference["grad." + name] = gradient
    np.savez_compressed(os.path.join(out_dir, f"{modality}-reference.npz"), **reference)
    largest = max(float(np.max(np.abs(g))) for g in grads.values())
    print(f"{modality:10s} loss {float(loss):.6f} (head {float(head_loss):.6f}, lm {float(lm_loss):.6f}); "
          f"{len(params32)} tensors, {sum(v.size for v in params32.values())} scalars; body {case['layout']['length']} rows "
          f"after a {len(case['layout']['prefix'])}-token system turn; largest |grad| {largest:.3g}; "
          f"float32 max|Δ|/max|ref| {single:.2g} ({single_name})"
          + (f"; closest kink: {kink[0]} at {kink[1]:.2g}" if kink else "")
          + (f"; factored: {', '.join(factored)}" if factored else ""))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=os.path.join(ROOT, FIXTURES))
    parser.add_argument("--modalities", default=",".join(ENCODERS))
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = np.random.default_rng(20261111)
    lm32 = make_language_model(rng)
    write_gguf(os.path.join(args.out, "tiny-lm.gguf"), lm32)
    with open(os.path.join(args.out, "base.json"), "w") as f:
        json.dump(BASE, f, indent=2)
        f.write("\n")
    specs = cases(rng)
    for modality in args.modalities.split(","):
        # Each modality's parameters from a generator of its own, so adding one changes no other.
        run_case(modality, specs[modality], lm32, np.random.default_rng([20261111, SEED_ORDER.index(modality)]), args.out)


if __name__ == "__main__":
    main()
