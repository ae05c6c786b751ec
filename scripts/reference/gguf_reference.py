#!/usr/bin/env python3
"""Reference values for the SparkFormats GGUF tests, computed with llama.cpp's own Python reader
(gguf-py, which needs only numpy), never with the Swift code under test.

1. Hand-built quantised blocks: the bytes follow `pattern_block` below (the Swift test builds the
   same bytes); gguf-py's `gguf.quants.dequantize` gives the expected floats.
2. The real SmolLM2 file: selected elements of token_embd.weight (Q8_0) and blk.0.attn_k.weight
   (Q4_1), dequantised by gguf-py.

Run: PYTHONPATH=<llama.cpp>/gguf-py python3 scripts/reference/gguf_reference.py [model.gguf]
"""
import sys
import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q


def pattern_block(block_bytes, blocks, halves):
    """Bytes i of the buffer = (i*73 + 41) mod 256, then the f16 fields overwritten:
    `halves` maps a byte offset within a block to one f16 value per block."""
    data = bytearray(((i * 73 + 41) % 256) for i in range(block_bytes * blocks))
    for offset, values in halves.items():
        for b, value in enumerate(values):
            bits = np.array([value], dtype=np.float16).view(np.uint16)[0]
            data[b * block_bytes + offset] = int(bits) & 0xFF
            data[b * block_bytes + offset + 1] = int(bits) >> 8
    return np.frombuffer(bytes(data), dtype=np.uint8)


def show_block(name, qtype, block_bytes, halves, indices):
    data = pattern_block(block_bytes, 2, halves)
    values = gguf.quants.dequantize(data, qtype).astype(np.float32)
    print(f"{name}: count {values.size}, sum {float(values.astype(np.float64).sum())!r}")
    print("   ", ", ".join(f"({i}, {float(values[i])!r})" for i in indices))


def main():
    indices = [0, 1, 15, 16, 31, 32, 63, 64, 100, 127, 128, 200, 255, 256, 300, 511]
    # Q4_K: d at 0, dmin at 2, per block.
    show_block("Q4_K", Q.Q4_K, 144, {0: [0.5, 2.0], 2: [0.25, -0.5]}, indices)
    # Q6_K: d at 208.
    show_block("Q6_K", Q.Q6_K, 210, {208: [0.125, -3.0]}, indices)
    small = [0, 1, 15, 16, 17, 31, 32, 33, 47, 48, 63]
    show_block("Q8_0", Q.Q8_0, 34, {0: [0.5, -1.5]}, small)
    show_block("Q4_0", Q.Q4_0, 18, {0: [2.0, 0.125]}, small)
    show_block("Q4_1", Q.Q4_1, 20, {0: [1.0, 0.5], 2: [-1.0, 3.0]}, small)

    if len(sys.argv) > 1:
        reader = gguf.GGUFReader(sys.argv[1])
        tensors = {t.name: t for t in reader.tensors}
        embd = tensors["token_embd.weight"]
        values = gguf.quants.dequantize(embd.data, embd.tensor_type)   # shape (49152, 576)
        print("token_embd.weight", values.shape)
        for row, col in [(0, 0), (0, 575), (1, 7), (100, 300), (12345, 31), (12345, 32), (49151, 0), (49151, 575)]:
            print(f"    ({row}, {col}, {float(values[row, col])!r}),")
        k = tensors["blk.0.attn_k.weight"]
        values = gguf.quants.dequantize(k.data, k.tensor_type)          # shape (192, 576)
        print("blk.0.attn_k.weight", values.shape, f"sum {float(values.astype(np.float64).sum())!r}")
        for row, col in [(0, 0), (0, 1), (0, 16), (5, 100), (64, 63), (100, 64), (191, 574), (191, 575)]:
            print(f"    ({row}, {col}, {float(values[row, col])!r}),")


if __name__ == "__main__" and "--quantised" not in sys.argv:
    main()


def quantised_reference():
    """gguf-py's quantisers (bit-exact with ggml's reference ones) on 64 values
    x_i = ((37 i) mod 101 − 50) / 7 in float32, as hex, for GGMLQuantizeTests."""
    x = (np.array([(37 * i) % 101 - 50 for i in range(64)], dtype=np.float32) / np.float32(7)).reshape(2, 32)
    for qtype in (Q.Q8_0, Q.Q4_0, Q.Q4_1):
        print(qtype.name, gguf.quants.quantize(x, qtype).tobytes().hex())


if __name__ == "__main__" and "--quantised" in sys.argv:
    quantised_reference()
