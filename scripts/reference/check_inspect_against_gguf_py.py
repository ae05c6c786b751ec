#!/usr/bin/env python3
"""Compares `allspark inspect FILE --json --full` with llama.cpp's gguf-py on the same GGUF file:
every metadata key, type and value, and every tensor's name, type, shape, size and offset.

Run: PYTHONPATH=<llama.cpp>/gguf-py python3 scripts/reference/check_inspect_against_gguf_py.py \
         .build/release/allspark models/SmolLM2-135M-Instruct.Q4_1.gguf
"""
import json
import subprocess
import sys

import numpy as np
import gguf


def gguf_py_value(field):
    types = field.types
    if types[0] == gguf.GGUFValueType.ARRAY:
        if types[-1] == gguf.GGUFValueType.STRING:
            return [bytes(field.parts[i]).decode() for i in field.data]
        return [field.parts[i].tolist()[0] for i in field.data]
    if types[0] == gguf.GGUFValueType.STRING:
        return bytes(field.parts[field.data[0]]).decode()
    return field.parts[field.data[0]].tolist()[0]


def type_name(field):
    names = [t.name for t in field.types]
    return "ARRAY[" + names[-1] + "]" if names[0] == "ARRAY" else names[0]


def main():
    binary, path = sys.argv[1], sys.argv[2]
    report = json.loads(subprocess.run([binary, "inspect", path, "--json", "--full"], check=True,
                                       capture_output=True, text=True).stdout)
    reader = gguf.GGUFReader(path)
    fields = [f for name, f in reader.fields.items() if not name.startswith("GGUF.")]
    assert [m["key"] for m in report["metadata"]] == [f.name for f in fields], "metadata keys differ"
    for entry, field in zip(report["metadata"], fields):
        assert entry["type"] == type_name(field), (entry["key"], entry["type"], type_name(field))
        expected = gguf_py_value(field)
        if isinstance(expected, float):
            assert np.float32(entry["value"]) == np.float32(expected), (entry["key"], entry["value"], expected)
        else:
            assert entry["value"] == expected, entry["key"]
    assert len(report["tensors"]) == len(reader.tensors)
    for row, tensor in zip(report["tensors"], reader.tensors):
        assert row["name"] == tensor.name
        assert row["type"] == tensor.tensor_type.name, (row["name"], row["type"], tensor.tensor_type.name)
        assert row["ggml_dimensions"] == [int(d) for d in tensor.shape], row["name"]
        assert row["bytes"] == int(tensor.n_bytes), row["name"]
        assert row["offset"] == int(tensor.data_offset), row["name"]
    print(f"agree: {len(fields)} metadata keys and {len(reader.tensors)} tensors")


if __name__ == "__main__":
    main()
