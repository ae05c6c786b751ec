#!/usr/bin/env python3
"""Independent end-to-end reference for one training step of AllSpark (issue 11, item 3): the
loss of `ModalityTrainer.step` and its gradient with respect to every trainable parameter
(encoder, bridge, head) of a modality, for tiny configurations with a 2-layer language model.

Written in JAX (float64) from the model's definition, never from the Swift code it checks:

  sample input → encoder → Lynx bridge (resampler) → rows of a ChatML sequence → frozen LLaMA
  (2 layers, GQA, RoPE, SwiGLU, tied output) → task head on the pooled final hidden state
  → head loss (cross-entropy / mean squared error, masked where a value is not a target)
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
  <m>-inputs.npy              the prepared encoder inputs of the batch, [batch, …] float32
  <m>-examples.json           the prompt and each example's target and answer sentence
  <m>-reference.npz           float64: loss, head_loss, lm_loss, head_outputs, and
                              "grad.<parameter name>" for every trainable parameter

Each modality's encoder is one function below (ENCODERS), with one function giving its
parameters' shapes; adding a modality is adding those two and a CASES entry.

Run: python3 scripts/reference/e2e_gradient_reference.py [--out DIR]   (needs jax, numpy)
"""
import argparse
import json
import math
import os
import re
import struct
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("JAX_PLATFORMS", "cpu")
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402

jax.config.update("jax_enable_x64", True)

import llama_backward_reference as llama  # noqa: E402  (the LLaMA forward: sequence, rms_norm, rope)
from module_forward_reference import write_safetensors  # noqa: E402

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

def rgb_shapes(cfg):
    e, side = cfg["encoder"], cfg["input"]["size"]
    d, patch = e["width"], e["patch"]
    grid = side // patch
    s = {"encoders.rgb.patch_embed.proj.weight": ((d, 3, patch, patch), "w"),
         "encoders.rgb.patch_embed.proj.bias": ((d,), "bias"),
         "encoders.rgb.cls_token": ((1, d), "embedding"),
         "encoders.rgb.pos_embed": ((1 + grid * grid, d), "embedding")}
    s.update(block_shapes("encoders.rgb", e["depth"], d))
    return s


def rgb_encoder(p, image, cfg):
    """ViT (timm layout): patch convolution (stride = patch), CLS first, position embeddings,
    pre-norm blocks, final LayerNorm. image [3, size, size]."""
    e = cfg["encoder"]
    d, patch = e["width"], e["patch"]
    c, side = image.shape[0], image.shape[1]
    g = side // patch
    patches = image.reshape(c, g, patch, g, patch).transpose(1, 3, 0, 2, 4).reshape(g * g, c * patch * patch)
    w = p["encoders.rgb.patch_embed.proj.weight"].reshape(d, -1)
    tokens = patches @ w.T + p["encoders.rgb.patch_embed.proj.bias"]
    x = jnp.concatenate([p["encoders.rgb.cls_token"], tokens], 0) + p["encoders.rgb.pos_embed"]
    return transformer_stack(p, "encoders.rgb", x, e["depth"], e["heads"])


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


ENCODERS = {"rgb": (rgb_shapes, rgb_encoder), "table": (table_shapes, table_encoder),
            "trajectory": (trajectory_shapes, trajectory_encoder), "graph": (graph_shapes, graph_encoder)}


def encoder_width(modality, cfg):
    e = cfg["encoder"]
    if modality == "graph":
        return e["inputEmbedding"] + e["timeOfDayEmbedding"] + e["dayOfWeekEmbedding"] + e["adaptiveEmbedding"]
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
    if kind == "classification":
        return len(head["labels"])
    if kind == "regression":
        return max(len(head.get("mean", [0])), 1)
    if kind == "trajectory":
        return head["steps"] * 2
    if kind == "graph":
        return head["nodes"] * head["steps"]
    raise ValueError(kind)


# ---------------------------------------------------------------------------------------------
# The whole step.

def step_loss(params, lm, case):
    """params: the modality's trainable tensors (float64); lm: the language model's tensors."""
    m, cfg, b = case["modality"], case["section"], case["bridge"]
    seq = case["layout"]
    embed = lm["token_embd.weight"]
    prefix_rows = embed[np.array(seq["prefix"])]
    P = len(seq["prefix"])
    _, encode = ENCODERS[m]
    hidden = []
    for k, inputs in enumerate(case["inputs"]):
        rows = bridge(params, f"bridges.{m}", encode(params, jnp.asarray(inputs, jnp.float64), cfg), b)
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
    if head["kind"] == "classification":
        classes = np.array(case["classes"])
        head_loss = jnp.mean(jax.nn.logsumexp(outputs, -1) - outputs[np.arange(len(classes)), classes])
    else:
        target = jnp.asarray(case["values"], jnp.float64)
        mask = case.get("observed")
        predicted = outputs * jnp.asarray(mask, jnp.float64) if mask is not None else outputs
        head_loss = jnp.mean((predicted - target) ** 2)
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

def make_parameters(shapes, rng, bridge_scale):
    out = {}
    for name, (shape, kind) in shapes.items():
        z = rng.standard_normal(shape)
        if kind == "w":
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
    return out


def run_case(modality, spec, lm32, rng, out_dir):
    section = spec["section"]
    b = dict(BASE["bridge"], **section.get("bridge", {}))
    shapes = dict(ENCODERS[modality][0](section))
    shapes.update(bridge_shapes(f"bridges.{modality}", b, encoder_width(modality, section)))
    outputs = output_count(section["head"])
    shapes.update({f"heads.{modality}.weight": ((outputs, WIDTH), "head"), f"heads.{modality}.bias": ((outputs,), "bias")})
    embedding_rms = float(np.sqrt(np.mean(lm32["token_embd.weight"].astype(np.float64) ** 2)))
    params32 = make_parameters(shapes, rng, embedding_rms)

    head = section["head"]
    case = dict(modality=modality, section=section, bridge=b, pooling=BASE["sequence"]["headPooling"], inputs=spec["inputs"])
    case["layout"] = layout(spec["prompt"], b["queries"], [e["answer"] for e in spec["examples"]])
    if head["kind"] == "classification":
        case["classes"] = [e["classIndex"] for e in spec["examples"]]
    elif head["kind"] == "regression":
        case["values"] = [[(e["value"] - head["mean"][0]) / head["std"][0]] for e in spec["examples"]]
    else:
        case["values"] = [e["values"] for e in spec["examples"]]
        if "observed" in spec["examples"][0]:
            case["observed"] = [[1.0 if o else 0.0 for o in e["observed"]] for e in spec["examples"]]

    params = {k: jnp.asarray(v, jnp.float64) for k, v in params32.items()}
    lm = {k: jnp.asarray(v, jnp.float64) for k, v in lm32.items()}
    (loss, (head_loss, lm_loss, head_outputs)), grads = jax.value_and_grad(step_loss, has_aux=True)(params, lm, case)

    config = {"extends": "base.json", "name": f"e2e-{modality}", "checkpoint": f"{FIXTURES}/{modality}.safetensors",
              "modalities": {modality: section}}
    with open(os.path.join(out_dir, f"{modality}.json"), "w") as f:
        json.dump(config, f, indent=2)
        f.write("\n")
    write_safetensors(os.path.join(out_dir, f"{modality}.safetensors"), params32,
                      {"allspark.modules": f"encoders.{modality},bridges.{modality},heads.{modality}",
                       "allspark.configuration": f"{FIXTURES}/{modality}.json"})
    np.save(os.path.join(out_dir, f"{modality}-inputs.npy"), np.asarray(spec["inputs"], np.float32))
    examples = {"prompt": spec["prompt"], "examples": spec["examples"]}
    with open(os.path.join(out_dir, f"{modality}-examples.json"), "w") as f:
        json.dump(examples, f, indent=2)
        f.write("\n")
    reference = {"loss": np.asarray(loss).reshape(1), "head_loss": np.asarray(head_loss).reshape(1),
                 "lm_loss": np.asarray(lm_loss).reshape(1), "head_outputs": np.asarray(head_outputs),
                 "body_length": np.array([case["layout"]["length"]], np.int64)}
    for name in params32:
        reference["grad." + name] = np.asarray(grads[name], np.float64)
    np.savez_compressed(os.path.join(out_dir, f"{modality}-reference.npz"), **reference)
    largest = max(float(np.max(np.abs(g))) for g in grads.values())
    print(f"{modality:10s} loss {float(loss):.6f} (head {float(head_loss):.6f}, lm {float(lm_loss):.6f}); "
          f"{len(params32)} tensors, {sum(v.size for v in params32.values())} scalars; body {case['layout']['length']} rows "
          f"after a {len(case['layout']['prefix'])}-token system turn; largest |grad| {largest:.3g}")


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
        run_case(modality, specs[modality], lm32, np.random.default_rng([20261111, sorted(ENCODERS).index(modality)]), args.out)


if __name__ == "__main__":
    main()
