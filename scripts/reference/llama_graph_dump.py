#!/usr/bin/env python3
"""Reads dumps written by llama_graph_dump.cpp.

Run: python3 scripts/reference/llama_graph_dump.py DUMP.bin [--top 10]
  prints, for every step, the top-k token ids and logits of llama.cpp's `result_output` (the last
  one of a step: a prefill longer than a micro-batch has one per micro-batch) as Swift literals.
As a module: `read(path)` gives (step, name, shape, op, values) tuples, values a NumPy array.
"""
import argparse

import numpy as np


def read(path):
    nodes = []
    with open(path, "rb") as f:
        while True:
            name = f.read(128)
            if len(name) < 128:
                break
            header = np.frombuffer(f.read(24), dtype=np.int32)
            shape = [int(x) for x in header[1:5]]
            count = int(np.prod(shape))
            values = np.frombuffer(f.read(4 * count), dtype=np.float32).reshape(shape[::-1])
            nodes.append((int(header[0]), name.split(b"\0")[0].decode(), shape, int(header[5]), values))
    return nodes


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dump")
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    logits = {}
    for step, name, _, _, values in read(args.dump):
        if name == "result_output":
            logits[step] = values.ravel()
    for step in sorted(logits):
        row = logits[step]
        top = np.argsort(-row, kind="stable")[:args.top]
        print("[" + ", ".join(f"({int(i)}, {row[i]:.6f})" for i in top) + "],")


if __name__ == "__main__":
    main()
