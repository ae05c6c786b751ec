#!/usr/bin/env python3
"""Writes samples/code/: functions from this machine's Python standard library, each saved without
its docstring, with the docstring kept as the ground truth (the label) in samples/code/index.json.

This mirrors the CodeSearchNet task the paper uses (code -> documentation): the model sees the
function body and is asked for its documentation. Source: the CPython standard library of the
interpreter running this script (Lib/<module>.py), licence PSF-2.0.

Run from the repository root:  python3 scripts/samples/prepare_code_samples.py
"""
import ast
import importlib
import inspect
import json
import os
import sys
import textwrap

# (module, function): short, self-contained functions with informative docstrings.
CHOSEN = [
    ("shlex", "quote"),
    ("textwrap", "dedent"),
    ("statistics", "median"),
    ("heapq", "nsmallest"),
    ("fnmatch", "filter"),
    ("base64", "b64encode"),
]

OUT = os.path.join("samples", "code")


def function_without_docstring(path, name):
    """Returns (source without the docstring, docstring) of top-level function `name` in `path`."""
    with open(path, encoding="utf-8") as f:
        source = f.read()
    lines = source.splitlines(keepends=True)
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            docstring = ast.get_docstring(node)
            assert docstring, f"{path}:{name} has no docstring"
            doc_node = node.body[0]
            first = min([d.lineno for d in node.decorator_list] + [node.lineno])
            after = lines[doc_node.end_lineno:node.end_lineno]
            while after and not after[0].strip():   # the blank line that followed the docstring
                after = after[1:]
            kept = lines[first - 1:doc_node.lineno - 1] + after
            return textwrap.dedent("".join(kept)), docstring
    raise SystemExit(f"{path}: no top-level function {name}")


def main():
    os.makedirs(OUT, exist_ok=True)
    version = "%d.%d.%d" % sys.version_info[:3]
    entries = []
    for module_name, function in CHOSEN:
        path = inspect.getsourcefile(importlib.import_module(module_name))
        code, docstring = function_without_docstring(path, function)
        file_name = f"{module_name}_{function}.py"
        with open(os.path.join(OUT, file_name), "w", encoding="utf-8") as f:
            f.write(code)
        entries.append({
            "file": file_name,
            "title": f"{module_name}.{function} (docstring removed)",
            "source": f"CPython {version} standard library, Lib/{os.path.basename(path)}: function {function}(), "
                      f"docstring removed by scripts/samples/prepare_code_samples.py and kept as the label",
            "licence": "PSF-2.0",
            "generated": False,
            "label": {"class": docstring},
        })
    with open(os.path.join(OUT, "index.json"), "w", encoding="utf-8") as f:
        f.write(json.dumps({"samples": entries}, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {len(entries)} code samples to {OUT}")


if __name__ == "__main__":
    main()
