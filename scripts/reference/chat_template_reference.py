#!/usr/bin/env python3
"""Renders conversations with SmolLM2's own chat template (tokenizer.chat_template read from the
GGUF with llama.cpp's gguf-py) through jinja2, the engine Hugging Face uses, for
Tests/SparkLMTests/ChatTemplateTests.swift. Optionally tokenizes each rendering with llama.cpp's
llama-tokenize (special tokens parsed) when given its path.
Usage: chat_template_reference.py MODEL.gguf GGUF_PY_DIR [LLAMA_TOKENIZE]"""
import json, os, subprocess, sys, tempfile
import jinja2

model, gguf_py = sys.argv[1], sys.argv[2]
tokenize_bin = sys.argv[3] if len(sys.argv) > 3 else None
sys.path.insert(0, gguf_py)
from gguf import GGUFReader

template = GGUFReader(model).fields["tokenizer.chat_template"].contents()
print("template:", json.dumps(template))
CONVERSATIONS = {
    "single_user": ([{"role": "user", "content": "What is the capital of France?"}], True),
    "multi_turn": ([{"role": "user", "content": "Hi!"},
                    {"role": "assistant", "content": "Hello! How can I help?"},
                    {"role": "user", "content": "Name a colour.\nOne word."}], True),
    "own_system": ([{"role": "system", "content": "Answer in French."},
                    {"role": "user", "content": "Hello"}], False),
}
env = jinja2.Environment()
for name, (messages, add_generation_prompt) in CONVERSATIONS.items():
    text = env.from_string(template).render(messages=messages, add_generation_prompt=add_generation_prompt)
    print(name, json.dumps(text))
    if tokenize_bin:
        with tempfile.NamedTemporaryFile("wb", delete=False) as f:
            f.write(text.encode())
        out = subprocess.run([tokenize_bin, "-m", model, "-f", f.name, "--ids", "--no-escape", "--log-disable"],
                             capture_output=True, check=True,
                             env=dict(os.environ, LD_LIBRARY_PATH=os.path.dirname(tokenize_bin))).stdout.decode()
        os.unlink(f.name)
        print(name, "ids", [l for l in out.splitlines() if l.startswith("[")][-1])
