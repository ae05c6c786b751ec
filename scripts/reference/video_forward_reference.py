#!/usr/bin/env python3
"""Independent NumPy forward (float64) of the video encoder (TubeViT sparse tubes + transformer),
preprocessing included.

Writes Tests/AllSparkTests/Fixtures/forward/video/:
  checkpoint.safetensors  the encoder's parameters (F32, numpy default_rng(20250403)), metadata
                          allspark.modules = encoders.video, written with module_forward_reference's writer;
  input.npy               a clip of 7 frames [7, 3, 10, 14] float32, values in [0, 1];
  expected_input.npy      the sampled, centred and resized frames [5, 3, 8, 8] (`EncoderOutput.input`);
  expected.npy            the encoder tokens [28, 12].
Tests/AllSparkTests/VideoForwardReferenceTests.swift loads the checkpoint strictly, encodes the clip
with the section below and compares both (1e-4 of the largest expected magnitude).

Configuration: input { frames 5, size 8 } (mean and std: ImageNet's, the default),
encoder { width 12, depth 2, heads 2, tubeKernels KERNELS, tubeStrides STRIDES } (mlpRatio 4: hidden 48).

Preprocessing (VideoEncoder.preprocess):
  frames: T = 5 of n = 7, frame k = min(n - 1, floor((2k + 1) · n / (2T))) → [0, 2, 3, 4, 6];
  each frame's central square (10 × 10, columns 2 … 11) resized bilinearly to 8 × 8 with half-pixel
    centres (msi_forward_reference.centre_square);
  x[t, c] = (frame[t, c] - mean[c]) / std[c], mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225);
  the network's input is channels first, [3, T, 8, 8].
Tube tokens (VideoEncoder.tubeTokens): per tube shape k (kernel (kt, kh, kw), stride (st, sh, sw)), a
  Conv3d without padding, `tubes.<k>.weight` [12, 3, kt, kh, kw] and `.bias` [12]:
    y[o, f, r, c] = b[o] + sum_{ch, i, j, l} W[o, ch, i, j, l] · x[ch, f·st + i, r·sh + j, c·sw + l],
  grid per axis floor((size - kernel) / stride) + 1; tokens in (frame, row, column) order, the tube
  sets concatenated in configuration order:
    (2, 4, 4)/(2, 4, 4) → 2 × 2 × 2 = 8,  (1, 3, 5)/(3, 2, 3) → 2 × 3 × 2 = 12,
    (4, 2, 2)/(1, 6, 6) → 2 × 2 × 2 = 8;  28 tokens.
  Position of a tube: its centre (f · st + (kt - 1)/2, r · sh + (kh - 1)/2, c · sw + (kw - 1)/2);
  its embedding, 12 channels: for axis a (frame, row, column) the block 4a … 4a + 3 holds
  sin(p_a ω_0), sin(p_a ω_1), cos(p_a ω_0), cos(p_a ω_1), ω_k = 10000^(-k / 2). Added once.
Transformer: hsi_forward_reference.transformer_stack (pre-norm blocks, fused qkv, 2 heads of width 6,
softmax(q kᵀ / sqrt(6)) without mask, exact GELU, LayerNorm eps 1e-6, final `norm`); no CLS token.

Run: python3 scripts/reference/video_forward_reference.py
"""
import os
import numpy as np

from module_forward_reference import write_safetensors
from hsi_forward_reference import as_float32, stack_parameters, transformer_stack
from msi_forward_reference import centre_square

FRAMES, SIZE, WIDTH, DEPTH, HEADS = 5, 8, 12, 2, 2
HIDDEN = 4 * WIDTH
CLIP = (7, 3, 10, 14)
KERNELS = [[2, 4, 4], [1, 3, 5], [4, 2, 2]]
STRIDES = [[2, 4, 4], [3, 2, 3], [1, 6, 6]]
MEAN, STD = np.array([0.485, 0.456, 0.406]), np.array([0.229, 0.224, 0.225])
PREFIX = "encoders.video"
FOLDER = "Tests/AllSparkTests/Fixtures/forward/video"


def parameters():
    rng = np.random.default_rng(20250403)
    p = {}
    for k, kernel in enumerate(KERNELS):
        fan_in = 3 * int(np.prod(kernel))
        p[f"{PREFIX}.tubes.{k}.weight"] = rng.standard_normal([WIDTH, 3] + kernel) / np.sqrt(fan_in)
        p[f"{PREFIX}.tubes.{k}.bias"] = 0.1 * rng.standard_normal(WIDTH)
    p.update(stack_parameters(rng, PREFIX, WIDTH, DEPTH, HIDDEN))
    return as_float32(p)


def clip():
    """A bright blob moving right over a textured background, plus noise, in [0, 1]."""
    rng = np.random.default_rng(13)
    t, c, y, x = np.meshgrid(*[np.arange(n) for n in CLIP], indexing="ij")
    blob = np.exp(-((y - 5) ** 2 + (x - 2 - 1.5 * t) ** 2) / 6)
    values = 0.3 + 0.15 * np.sin(0.7 * y + 0.5 * x + c) + 0.5 * blob * (1 + 0.3 * c) + 0.05 * rng.standard_normal(CLIP)
    return np.clip(values, 0, 1).astype(np.float32)


def frame_indices(count, target):
    return [min(count - 1, (2 * k + 1) * count // (2 * target)) for k in range(target)]


def conv3d(x, weight, bias, stride):
    """x [C, T, H, W], weight [O, C, kt, kh, kw], no padding → [O, T', H', W']."""
    kt, kh, kw = weight.shape[2:]
    st, sh, sw = stride
    grid = [(x.shape[1 + a] - k) // s + 1 for a, (k, s) in enumerate(zip((kt, kh, kw), stride))]
    out = np.zeros([weight.shape[0]] + grid)
    for f in range(grid[0]):
        for r in range(grid[1]):
            for c in range(grid[2]):
                window = x[:, f * st:f * st + kt, r * sh:r * sh + kh, c * sw:c * sw + kw]
                out[:, f, r, c] = np.tensordot(weight, window, axes=([1, 2, 3, 4], [0, 1, 2, 3])) + bias
    return out


def sincos(points, width):
    """Fixed sin-cos embedding of [N, axes] points: per axis, F sines then F cosines, F = width / (2 axes)."""
    axes = points.shape[1]
    half = width // (2 * axes)
    omega = 10000.0 ** (-np.arange(half) / half)
    blocks = []
    for a in range(axes):
        angles = points[:, a:a + 1] * omega
        blocks += [np.sin(angles), np.cos(angles)]
    return np.concatenate(blocks, axis=1)


def tube_centres(kernel, stride, grid):
    axes = [np.arange(n) * s + (k - 1) / 2 for n, k, s in zip(grid, kernel, stride)]
    f, r, c = np.meshgrid(*axes, indexing="ij")
    return np.stack([f.ravel(), r.ravel(), c.ravel()], axis=1)


def preprocess(raw):
    frames = centre_square(raw[frame_indices(raw.shape[0], FRAMES)], SIZE)     # [T, 3, S, S]
    normalised = (frames - MEAN[:, None, None]) / STD[:, None, None]
    return frames, normalised.transpose(1, 0, 2, 3)                              # [3, T, S, S]


def encoder(p, volume):
    tokens, positions = [], []
    for k, (kernel, stride) in enumerate(zip(KERNELS, STRIDES)):
        features = conv3d(volume, p[f"{PREFIX}.tubes.{k}.weight"], p[f"{PREFIX}.tubes.{k}.bias"], stride)
        tokens.append(features.reshape(WIDTH, -1).T)
        positions.append(sincos(tube_centres(kernel, stride, features.shape[1:]), WIDTH))
    x = np.concatenate(tokens) + np.concatenate(positions)
    return transformer_stack(p, PREFIX, x, DEPTH, HEADS)


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    folder = os.path.join(root, FOLDER)
    os.makedirs(folder, exist_ok=True)
    p = parameters()
    write_safetensors(os.path.join(folder, "checkpoint.safetensors"), p, {"allspark.modules": PREFIX})
    raw = clip()
    frames, volume = preprocess(raw)
    tokens = encoder(p, volume)
    for name, array in {"input": raw, "expected_input": frames, "expected": tokens}.items():
        np.save(os.path.join(folder, name + ".npy"), np.asarray(array, dtype=np.float32))
    print(f"frames {frame_indices(raw.shape[0], FRAMES)}; tokens {tokens.shape}, max |token| {np.abs(tokens).max():.6g}")
