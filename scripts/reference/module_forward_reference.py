#!/usr/bin/env python3
"""Independent NumPy forwards (float64) of the Lynx bridge, a linear task head and the ViT backbone.

Writes Tests/AllSparkTests/Fixtures/bridge-small.safetensors (the parameters, from a fixed
pattern, written with a safetensors writer of its own) and prints the expected outputs as Swift
arrays for Tests/AllSparkTests/ModuleForwardReferenceTests.swift. The Swift test loads the checkpoint
strictly, runs the bridge and the head on the same pattern input and compares (1e-4 relative).

Bridge (ModalityBridge.swift; Lynx's resampler): q = queries; per layer
q += Wo · MHA(Wq · LN(q), Wk · LN(t), Wv · LN(t)); q += W2 · GELU(W1 · LN(q)); out = LN(q).
LayerNorm eps 1e-5, no biases in projections, exact (erf) GELU, softmax scale 1/sqrt(head width).
"""
import json, math, os, struct, sys
import numpy as np

Q, D, E, DEPTH, HEADS, HW, FFN = 4, 16, 12, 2, 2, 8, 2
N, CLASSES = 5, 3
INNER = HEADS * HW


def pattern(shape, multiplier, offset, modulus, scale):
    count = int(np.prod(shape))
    values = [(((i * multiplier + offset) % modulus) - modulus // 2) * scale for i in range(count)]
    return np.array(values, dtype=np.float64).reshape(shape)


def parameters():
    p = {"bridges.rgb.queries": pattern([Q, D], 7, 1, 13, 0.05)}
    for i in range(DEPTH):
        b = f"bridges.rgb.layers.{i}"
        p[b + ".norm_queries.weight"] = 1 + pattern([D], 3, i, 5, 0.05)
        p[b + ".norm_queries.bias"] = pattern([D], 5, i, 7, 0.02)
        p[b + ".norm_tokens.weight"] = 1 + pattern([E], 3, i + 1, 5, 0.05)
        p[b + ".norm_tokens.bias"] = pattern([E], 5, i + 2, 7, 0.02)
        p[b + ".attn.q.weight"] = pattern([INNER, D], 11, i, 17, 0.04)
        p[b + ".attn.k.weight"] = pattern([INNER, E], 13, i + 3, 19, 0.04)
        p[b + ".attn.v.weight"] = pattern([INNER, E], 7, i + 5, 23, 0.04)
        p[b + ".attn.o.weight"] = pattern([D, INNER], 5, i + 7, 11, 0.04)
        p[b + ".norm_ffn.weight"] = 1 + pattern([D], 7, i, 9, 0.03)
        p[b + ".norm_ffn.bias"] = pattern([D], 3, i + 4, 7, 0.02)
        p[b + ".ffn.fc1.weight"] = pattern([FFN * D, D], 9, i + 1, 29, 0.03)
        p[b + ".ffn.fc2.weight"] = pattern([D, FFN * D], 11, i + 2, 31, 0.03)
    p["bridges.rgb.norm.weight"] = 0.1 + pattern([D], 5, 0, 7, 0.01)
    p["bridges.rgb.norm.bias"] = pattern([D], 3, 1, 5, 0.01)
    p["heads.rgb.weight"] = pattern([CLASSES, D], 7, 2, 13, 0.1)
    p["heads.rgb.bias"] = pattern([CLASSES], 1, 0, 3, 0.1)
    return p


def layer_norm(x, w, b, eps=1e-5):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def gelu(x):
    return 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


def bridge(p, tokens):
    q = p["bridges.rgb.queries"].copy()
    for i in range(DEPTH):
        b = f"bridges.rgb.layers.{i}"
        queries = layer_norm(q, p[b + ".norm_queries.weight"], p[b + ".norm_queries.bias"]) @ p[b + ".attn.q.weight"].T
        kv = layer_norm(tokens, p[b + ".norm_tokens.weight"], p[b + ".norm_tokens.bias"])
        keys, values = kv @ p[b + ".attn.k.weight"].T, kv @ p[b + ".attn.v.weight"].T
        heads = []
        for h in range(HEADS):
            s = slice(h * HW, (h + 1) * HW)
            scores = queries[:, s] @ keys[:, s].T / math.sqrt(HW)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            heads.append((scores / scores.sum(-1, keepdims=True)) @ values[:, s])
        q = q + np.concatenate(heads, axis=1) @ p[b + ".attn.o.weight"].T
        hidden = layer_norm(q, p[b + ".norm_ffn.weight"], p[b + ".norm_ffn.bias"]) @ p[b + ".ffn.fc1.weight"].T
        q = q + gelu(hidden) @ p[b + ".ffn.fc2.weight"].T
    return layer_norm(q, p["bridges.rgb.norm.weight"], p["bridges.rgb.norm.bias"])


def write_safetensors(path, tensors, metadata):
    header, offset, blobs = {"__metadata__": metadata}, 0, []
    for name, array in tensors.items():
        data = np.ascontiguousarray(array, dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def swift(name, array):
    return f"    static let {name}: [Float] = [" + ", ".join(f"{v:.9g}" for v in array.ravel()) + "]"


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    p = parameters()
    # The checkpoint holds float32; the reference computes from exactly those values.
    p = {k: v.astype(np.float32).astype(np.float64) for k, v in p.items()}
    write_safetensors(os.path.join(root, "Tests/AllSparkTests/Fixtures/bridge-small.safetensors"), p,
                      {"allspark.modules": "bridges.rgb,heads.rgb"})
    tokens = pattern([N, E], 5, 3, 17, 0.25)
    out = bridge(p, tokens)
    logits = out[-1] @ p["heads.rgb.weight"].T + p["heads.rgb.bias"]
    print(swift("bridgeOutput", out))
    print(swift("headLogits", logits))


# --- The ViT backbone of the rgb encoder (VisionTransformer.swift, timm layout), on its own
# checkpoint: patch convolution + CLS + position embeddings, pre-norm blocks (LayerNorm eps 1e-6,
# fused qkv, exact GELU), final LayerNorm.
C, SIDE, PATCH, W, VHEADS, GRID = 3, 16, 8, 12, 2, 2


def vit_parameters():
    p = {"encoders.rgb.patch_embed.proj.weight": pattern([W, C, PATCH, PATCH], 7, 1, 19, 0.01),
         "encoders.rgb.patch_embed.proj.bias": pattern([W], 3, 0, 5, 0.05),
         "encoders.rgb.cls_token": pattern([1, W], 5, 2, 7, 0.1),
         "encoders.rgb.pos_embed": pattern([1 + GRID * GRID, W], 11, 3, 13, 0.05)}
    b = "encoders.rgb.blocks.0"
    p[b + ".norm1.weight"] = 1 + pattern([W], 3, 1, 5, 0.05); p[b + ".norm1.bias"] = pattern([W], 5, 0, 7, 0.02)
    p[b + ".attn.qkv.weight"] = pattern([3 * W, W], 13, 2, 23, 0.05); p[b + ".attn.qkv.bias"] = pattern([3 * W], 7, 1, 11, 0.02)
    p[b + ".attn.proj.weight"] = pattern([W, W], 11, 4, 17, 0.05); p[b + ".attn.proj.bias"] = pattern([W], 3, 2, 5, 0.02)
    p[b + ".norm2.weight"] = 1 + pattern([W], 7, 2, 9, 0.03); p[b + ".norm2.bias"] = pattern([W], 3, 3, 7, 0.02)
    p[b + ".mlp.fc1.weight"] = pattern([4 * W, W], 9, 5, 29, 0.04); p[b + ".mlp.fc1.bias"] = pattern([4 * W], 5, 1, 13, 0.02)
    p[b + ".mlp.fc2.weight"] = pattern([W, 4 * W], 11, 6, 31, 0.04); p[b + ".mlp.fc2.bias"] = pattern([W], 3, 0, 7, 0.02)
    p["encoders.rgb.norm.weight"] = 1 + pattern([W], 5, 1, 7, 0.05); p["encoders.rgb.norm.bias"] = pattern([W], 3, 2, 5, 0.02)
    return p


def vit(p, image):
    weight, bias = p["encoders.rgb.patch_embed.proj.weight"], p["encoders.rgb.patch_embed.proj.bias"]
    patches = np.zeros((GRID * GRID, W))
    for gy in range(GRID):
        for gx in range(GRID):
            window = image[:, gy * PATCH:(gy + 1) * PATCH, gx * PATCH:(gx + 1) * PATCH]
            patches[gy * GRID + gx] = np.tensordot(weight, window, axes=([1, 2, 3], [0, 1, 2])) + bias
    x = np.concatenate([p["encoders.rgb.cls_token"], patches]) + p["encoders.rgb.pos_embed"]
    b = "encoders.rgb.blocks.0"
    h = layer_norm(x, p[b + ".norm1.weight"], p[b + ".norm1.bias"], 1e-6) @ p[b + ".attn.qkv.weight"].T + p[b + ".attn.qkv.bias"]
    q, k, v = h[:, :W], h[:, W:2 * W], h[:, 2 * W:]
    hw = W // VHEADS
    heads = []
    for i in range(VHEADS):
        s = slice(i * hw, (i + 1) * hw)
        scores = q[:, s] @ k[:, s].T / math.sqrt(hw)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        heads.append((scores / scores.sum(-1, keepdims=True)) @ v[:, s])
    x = x + np.concatenate(heads, axis=1) @ p[b + ".attn.proj.weight"].T + p[b + ".attn.proj.bias"]
    h = layer_norm(x, p[b + ".norm2.weight"], p[b + ".norm2.bias"], 1e-6) @ p[b + ".mlp.fc1.weight"].T + p[b + ".mlp.fc1.bias"]
    x = x + gelu(h) @ p[b + ".mlp.fc2.weight"].T + p[b + ".mlp.fc2.bias"]
    return layer_norm(x, p["encoders.rgb.norm.weight"], p["encoders.rgb.norm.bias"], 1e-6)


if __name__ == "__main__":
    p = {k: v.astype(np.float32).astype(np.float64) for k, v in vit_parameters().items()}
    write_safetensors(os.path.join(root, "Tests/AllSparkTests/Fixtures/vit-small.safetensors"), p,
                      {"allspark.modules": "encoders.rgb"})
    print(swift("vitTokens", vit(p, pattern([C, SIDE, SIDE], 7, 5, 23, 0.125))))
