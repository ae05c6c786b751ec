#!/usr/bin/env python3
"""Independent float64 forward pass of a LLaMA-architecture GGUF model (SmolLM2-135M-Instruct),
for checking the decoder's `.reference` numerics.

Weights are dequantised by llama.cpp's gguf-py (pure NumPy) and everything after that is float64
NumPy written from the model's definition: RMSNorm, RoPE on adjacent pairs (the GGUF converter's
q/k permutation), grouped-query causal attention, SwiGLU, tied output. It shares no code with the
Swift decoder. Prints, per prompt, the top-k token ids and logits at the last position as a Swift
literal to paste into Tests/SparkLMTests/DecoderReferenceTests.swift.

Run: python3 scripts/reference/numpy_llama.py --ids 504,3575,282,4649,314 [--ids ...] \
         [--model models/SmolLM2-135M-Instruct.Q4_1.gguf] [--gguf-py <llama.cpp>/gguf-py] [--top 5]
(gguf-py is in the llama-cpp-python 0.3.36 source archive under vendor/llama.cpp/gguf-py and
needs only NumPy.)
"""
import argparse
import os
import sys

import numpy as np

DEFAULT_GGUF_PY = "/work/ref/llama/llama_cpp_python-0.3.36/vendor/llama.cpp/gguf-py"


def load(model_path):
    import gguf
    from gguf.quants import dequantize
    reader = gguf.GGUFReader(model_path)
    tensors = {}
    for t in reader.tensors:
        values = dequantize(t.data, t.tensor_type)
        shape = [int(x) for x in reversed(t.shape)]   # ggml lists the fastest dimension first
        tensors[t.name] = np.asarray(values, dtype=np.float64).reshape(shape)

    def field(key):
        f = reader.fields[key]
        return f.parts[f.data[0]][0]

    config = {
        "layers": int(field("llama.block_count")),
        "width": int(field("llama.embedding_length")),
        "heads": int(field("llama.attention.head_count")),
        "kv_heads": int(field("llama.attention.head_count_kv")),
        "eps": float(field("llama.attention.layer_norm_rms_epsilon")),
        "rope_base": float(field("llama.rope.freq_base")),
    }
    return tensors, config


def rms_norm(x, weight, eps):
    return x / np.sqrt((x * x).mean(-1, keepdims=True) + eps) * weight


def rope(x, positions, heads, head_width, base):
    """Rotates pairs (2i, 2i+1) of every head by position · base^(−2i/head_width)."""
    x = x.reshape(len(positions), heads, head_width).copy()
    frequencies = base ** (-np.arange(0, head_width, 2) / head_width)
    angles = np.outer(positions, frequencies)
    cos, sin = np.cos(angles)[:, None, :], np.sin(angles)[:, None, :]
    a, b = x[..., 0::2].copy(), x[..., 1::2].copy()
    x[..., 0::2] = a * cos - b * sin
    x[..., 1::2] = a * sin + b * cos
    return x.reshape(len(positions), heads * head_width)


def forward(tensors, c, ids):
    n = len(ids)
    positions = np.arange(n)
    hw = c["width"] // c["heads"]
    group = c["heads"] // c["kv_heads"]
    x = tensors["token_embd.weight"][ids]
    causal = np.triu(np.full((n, n), -np.inf), 1)
    for layer in range(c["layers"]):
        p = f"blk.{layer}."
        h = rms_norm(x, tensors[p + "attn_norm.weight"], c["eps"])
        q = rope(h @ tensors[p + "attn_q.weight"].T, positions, c["heads"], hw, c["rope_base"])
        k = rope(h @ tensors[p + "attn_k.weight"].T, positions, c["kv_heads"], hw, c["rope_base"])
        v = h @ tensors[p + "attn_v.weight"].T
        attended = np.zeros((n, c["width"]))
        for head in range(c["heads"]):
            g = head // group
            scores = q[:, head * hw:(head + 1) * hw] @ k[:, g * hw:(g + 1) * hw].T / np.sqrt(hw) + causal
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            attended[:, head * hw:(head + 1) * hw] = scores @ v[:, g * hw:(g + 1) * hw]
        x = x + attended @ tensors[p + "attn_output.weight"].T
        h = rms_norm(x, tensors[p + "ffn_norm.weight"], c["eps"])
        gate = h @ tensors[p + "ffn_gate.weight"].T
        up = h @ tensors[p + "ffn_up.weight"].T
        x = x + (gate / (1 + np.exp(-gate)) * up) @ tensors[p + "ffn_down.weight"].T
    last = rms_norm(x[-1], tensors["output_norm.weight"], c["eps"])
    output = tensors.get("output.weight", tensors["token_embd.weight"])
    return output @ last


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--model", default=os.path.join(here, "..", "..", "models", "SmolLM2-135M-Instruct.Q4_1.gguf"))
    parser.add_argument("--gguf-py", default=os.environ.get("GGUF_PY", DEFAULT_GGUF_PY))
    parser.add_argument("--ids", action="append", required=True, help="comma-separated prompt token ids")
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, args.gguf_py)
    tensors, config = load(args.model)
    for text in args.ids:
        ids = [int(v) for v in text.split(",")]
        logits = forward(tensors, config, ids)
        top = np.argsort(-logits, kind="stable")[:args.top]
        pairs = ", ".join(f"({int(i)}, {logits[i]:.6f})" for i in top)
        print(f"// prompt {ids}\n[{pairs}]")


if __name__ == "__main__":
    main()
