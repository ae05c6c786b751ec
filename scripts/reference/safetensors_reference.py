#!/usr/bin/env python3
"""Builds a safetensors file by the format's definition (8-byte little-endian header length, a
compact JSON header padded with spaces to a multiple of 8, then the data) with numpy for the
values, and prints it as hex for the SparkFormats tests. BF16 is rounded to nearest even with
integer arithmetic on the float32 bits (numpy has no bfloat16).

Run: python3 scripts/reference/safetensors_reference.py
"""
import json
import struct
import numpy as np


def bf16_bytes(values):
    bits = np.asarray(values, dtype="<f4").view("<u4").astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype("<u2").tobytes()


def main():
    a = np.array([[1, -2.5], [3.25, 0.1]], dtype="<f4")
    b = np.array([1, -2, 1 / 3], dtype="<f4").astype("<f2")
    c = [1.0, -2.5, 1.01171875]
    blobs = [("a", "F32", [2, 2], a.tobytes()),
             ("b", "F16", [3], b.tobytes()),
             ("c", "BF16", [3], bf16_bytes(c))]
    header = {"__metadata__": {"format": "pt", "note": "é\n"}}
    offset = 0
    for name, dtype, shape, data in blobs:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    data = b"".join(blob for *_, blob in blobs)
    file = struct.pack("<Q", len(text)) + text + data
    print(f"// {len(file)} bytes; header {len(text)} bytes")
    print(f'static let written = "{file.hex()}"')
    print("// a:", a.ravel().tolist(), " b (as f16):", b.astype(np.float32).tolist(),
          " c (bf16):", np.frombuffer(bf16_bytes(c), dtype="<u2").tolist())


if __name__ == "__main__":
    main()
