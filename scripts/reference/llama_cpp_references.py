#!/usr/bin/env python3
"""Prints the llama.cpp reference generations and logits as Swift literals for
Tests/SparkLMTests/LlamaAgreementTests.swift and DecoderReferenceTests.swift.

The inputs are greedy.json and logits.json, recorded with llama.cpp built from the
llama-cpp-python 0.3.36 source archive (GCC 12, -O3 -march=native on an AVX2+FMA+F16C machine,
CPU backend, 4 threads, flash attention auto → on, f16 KV cache) by a small program that runs
examples/simple's greedy loop through llama.h (prefill the prompt in one batch, then one token
at a time) on models/SmolLM2-135M-Instruct.Q4_1.gguf; its text output was checked identical to
`llama-simple -m MODEL -n 64 PROMPT` for every prompt.

Run: python3 scripts/reference/llama_cpp_references.py REFS_DIR [greedy|logits]
"""
import json
import sys


def ids(values):
    return "[" + ", ".join(str(v) for v in values) + "]"


def greedy(refs):
    data = json.load(open(f"{refs}/greedy.json"))
    for p in data["prompts"]:
        stop = p["stopped_early_at_eog_token"]
        print(f'        .init(name: "{p["name"]}", prompt: {ids(p["prompt_ids"])},')
        print(f'              generated: {ids(p["generated_ids"])},')
        print(f'              stoppedAt: {"nil" if stop is None else stop}),')


def logits(refs):
    data = json.load(open(f"{refs}/logits.json"))
    for p in data["prompts"]:
        print(f'        .init(name: "{p["name"]}", prompt: {ids(p["prompt_ids"])},')
        print(f'              generated: {ids(p["generated_ids"])},')
        print("              steps: [")
        for step in p["steps"]:
            top = step["top"] if step["step"] == 0 else step["top"][:3]
            print("                  [" + ", ".join(f"({i}, {v:.6f})" for i, v in top) + "],")
        print("              ]),")


if __name__ == "__main__":
    refs = sys.argv[1] if len(sys.argv) > 1 else "/work/ref/llama/refs"
    what = sys.argv[2] if len(sys.argv) > 2 else "greedy"
    {"greedy": greedy, "logits": logits}[what](refs)
