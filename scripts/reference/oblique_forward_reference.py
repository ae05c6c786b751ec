#!/usr/bin/env python3
"""Independent NumPy forward (float64) of the oblique-photography encoder's input handling (views,
resize, normalisation, view embedding, cameras) around the ViT backbone of
module_forward_reference.py, and of the depth head.

Writes Tests/AllSparkTests/Fixtures/forward/oblique/:
  checkpoint.safetensors     the encoder's parameters: module_forward_reference's `vit_parameters()`
                             renamed from encoders.rgb to encoders.oblique, `view_embed` [3, 12]; and
                             the head's, `heads.oblique.weight` [12, 16], `.bias` [12] (numpy
                             default_rng(20250404)); F32, metadata allspark.modules =
                             encoders.oblique,heads.oblique, written with module_forward_reference's writer;
  input.npy                  four views [4, 3, 20, 28] float32, 8-bit values k / 255 (what a PNG decodes to);
  expected_input.npy         the first three views resized to [3, 3, 16, 16] (`EncoderOutput.input`);
  expected.npy               the tokens [15, 12]: view 0's CLS and 2 × 2 patches, then view 1's, view 2's;
  expected_intrinsics.npy    the cameras' intrinsics adjusted to the resize [3, 3, 3] (`extras`);
  expected_depth_range.npy   their depth ranges [3, 2] (`extras["depthRange"]`);
  pooled.npy                 the head's input, a pooled hidden state [16] float32 (its width stands for
                             the language model's);
  expected_head.npy          the depth head's raw linear outputs [12];
  expected_prediction.npy    its read-out, the depth grid [3, 4] in scene units.
The cameras (CAMERAS below: extrinsic, intrinsic, depth min, interval, count, max) are written out in
the Swift test. Tests/AllSparkTests/ObliqueForwardReferenceTests.swift loads the checkpoint strictly,
encodes the views with the configuration below, runs the head on pooled.npy and compares every array
(1e-4 of the largest expected magnitude); it also encodes the first two views alone (fewer views than
configured), whose tokens are the first 10 rows of expected.npy.

Configuration: input { views 3, size 16, mean [0.5, 0.4, 0.3], std [0.2, 0.25, 0.3] },
encoder { width 12, depth 1, heads 2, patch 8 } (the backbone's sizes),
head { kind depth, grid [3, 4], mean [12.5], std [2.5] }, head width 16.

Preprocessing (ObliqueEncoder.preprocess): the first min(views, 3) = 3 views; each whole view (no crop,
so 20 × 28 → 16 × 16 changes the aspect) resized bilinearly with half-pixel centres
(msi_forward_reference.resize), then x[c] = (view[c] - mean[c]) / std[c].
Tokens: view v → module_forward_reference.vit (8 × 8 patch convolution with bias, CLS, position
embeddings, one pre-norm block, LayerNorm eps 1e-6, exact GELU, final LayerNorm) + view_embed[v]
added to each of its 5 tokens; the views' tokens concatenated in order.
Cameras (CameraAdjustment.resized, half-pixel convention): sx = 16 / 28, sy = 16 / 20;
  K' = [[fx·sx, s·sx, (cx + 0.5)·sx - 0.5], [0, fy·sy, (cy + 0.5)·sy - 0.5], [0, 0, 1]];
  depth range (min, max), max = depth_max when given, else min + interval · (count - 1) with count 192
  when not given.
Head (TaskHead, kind depth): o = W s + b (`heads.oblique.weight` [12, 16], `.bias` [12]) on the pooled
vector s; depth[r, c] = o[4r + c] · 2.5 + 12.5 (the configured mean and std; the camera's depth range
is not used by the read-out).

Run: python3 scripts/reference/oblique_forward_reference.py
"""
import os
import numpy as np

import module_forward_reference as mfr
from module_forward_reference import write_safetensors
from msi_forward_reference import backbone, resize

VIEWS, SIZE, HEIGHT, WIDTH_PX, SAMPLE_VIEWS = 3, 16, 20, 28, 4
MEAN, STD = np.array([0.5, 0.4, 0.3]), np.array([0.2, 0.25, 0.3])
GRID, LM_WIDTH, HEAD_MEAN, HEAD_STD = (3, 4), 16, 12.5, 2.5
PREFIX, HEAD = "encoders.oblique", "heads.oblique"
FOLDER = "Tests/AllSparkTests/Fixtures/forward/oblique"
# Per view: extrinsic (row-major 4 × 4), intrinsic (row-major 3 × 3), depth min, interval, count, max.
CAMERAS = [
    ([1, 0, 0, -4, 0, -1, 0, 3, 0, 0, -1, 120, 0, 0, 0, 1], [30, 0.5, 13.5, 0, 32, 9.5, 0, 0, 1], 100, 0.5, 64, 140),
    ([0, 1, 0, 2, -1, 0, 0, 1, 0, 0, 1, 110, 0, 0, 0, 1], [28, 0, 14, 0, 29, 10.25, 0, 0, 1], 120, 0.25, 48, None),
    ([0, 0, 1, 5, 0, 1, 0, -2, -1, 0, 0, 95, 0, 0, 0, 1], [31.5, 0, 12.75, 0, 30.5, 9, 0, 0, 1], 90, 0.5, None, None),
    ([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 100, 0, 0, 0, 1], [30, 0, 14, 0, 30, 10, 0, 0, 1], 95, 1, None, None),
]


def parameters():
    p = {PREFIX + k[len("encoders.rgb"):]: v for k, v in mfr.vit_parameters().items()}
    rng = np.random.default_rng(20250404)
    p[PREFIX + ".view_embed"] = 0.5 * rng.standard_normal((VIEWS, mfr.W))
    p[HEAD + ".weight"] = rng.standard_normal((GRID[0] * GRID[1], LM_WIDTH)) / np.sqrt(LM_WIDTH)
    p[HEAD + ".bias"] = 0.1 * rng.standard_normal(GRID[0] * GRID[1])
    return {k: np.asarray(v, dtype=np.float32).astype(np.float64) for k, v in p.items()}


def views():
    """8-bit views of one textured scene, shifted per view, as k / 255."""
    rng = np.random.default_rng(17)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH_PX]
    out = []
    for v in range(SAMPLE_VIEWS):
        scene = np.stack([np.sin(0.35 * y + 0.3 * (x + 2 * v) * (c + 1)) * 90 + 128 for c in range(3)])
        out.append(np.clip(np.round(scene + rng.integers(-30, 31, scene.shape)), 0, 255))
    return (np.stack(out).astype(np.uint8) / 255).astype(np.float32)


def pooled_vector():
    return np.random.default_rng(19).standard_normal(LM_WIDTH).astype(np.float32)


def encode(p, all_views, count):
    resized = [resize(view, SIZE, SIZE) for view in all_views[:count]]
    tokens = [backbone(p, PREFIX, (r - MEAN[:, None, None]) / STD[:, None, None]) + p[PREFIX + ".view_embed"][v]
              for v, r in enumerate(resized)]
    return np.stack(resized), np.concatenate(tokens)


def cameras(count):
    sx, sy = SIZE / WIDTH_PX, SIZE / HEIGHT
    intrinsics, ranges = [], []
    for _, k, depth_min, interval, planes, depth_max in CAMERAS[:count]:
        fx, s, cx, _, fy, cy = np.array(k[:6], dtype=np.float64)
        intrinsics.append([[fx * sx, s * sx, (cx + 0.5) * sx - 0.5], [0, fy * sy, (cy + 0.5) * sy - 0.5], [0, 0, 1]])
        ranges.append([depth_min, depth_max if depth_max is not None else depth_min + interval * ((planes or 192) - 1)])
    return np.array(intrinsics), np.array(ranges, dtype=np.float64)


def head(p, pooled):
    outputs = pooled.astype(np.float64) @ p[HEAD + ".weight"].T + p[HEAD + ".bias"]
    return outputs, (outputs * HEAD_STD + HEAD_MEAN).reshape(GRID)


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    folder = os.path.join(root, FOLDER)
    os.makedirs(folder, exist_ok=True)
    p = parameters()
    write_safetensors(os.path.join(folder, "checkpoint.safetensors"), p, {"allspark.modules": f"{PREFIX},{HEAD}"})
    raw = views()
    resized, tokens = encode(p, raw, VIEWS)
    intrinsics, ranges = cameras(VIEWS)
    pooled = pooled_vector()
    outputs, depth = head(p, pooled)
    arrays = {"input": raw, "expected_input": resized, "expected": tokens, "expected_intrinsics": intrinsics,
              "expected_depth_range": ranges, "pooled": pooled, "expected_head": outputs, "expected_prediction": depth}
    for name, array in arrays.items():
        np.save(os.path.join(folder, name + ".npy"), np.asarray(array, dtype=np.float32))
    print(f"tokens {tokens.shape}, max |token| {np.abs(tokens).max():.6g}; head outputs max {np.abs(outputs).max():.6g}; "
          f"depth {depth.shape}, {depth.min():.4g} … {depth.max():.4g}")
