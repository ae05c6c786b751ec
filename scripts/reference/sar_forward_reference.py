#!/usr/bin/env python3
"""Independent NumPy forward (float64) of the SAR encoder, preprocessing included.

Writes Tests/AllSparkTests/Fixtures/forward/sar/:
  checkpoint.safetensors  the encoder's parameters (F32, numpy default_rng(20250301)), metadata
                          allspark.modules = encoders.sar, written with module_forward_reference's writer;
  input.npy               a magnitude chip [29, 31] float32 (peak exactly 1, so the SAR loader's
                          division by the peak leaves it unchanged);
  expected_input.npy      the preprocessed network input [1, 26, 26];
  expected.npy            the encoder tokens [9, 5].
Tests/AllSparkTests/SARForwardReferenceTests.swift loads the checkpoint strictly, encodes the chip
with the section below and compares both (1e-4 of the largest expected magnitude).

Configuration: input { size 26, dynamicRange 30 }, encoder { channels [3, 4, 5], kernel 3, pool 2 }.

Preprocessing (SAREncoder.prepare, SARScaling.normalisedDecibels): the chip is at least 26 × 26, so
it is centre-cropped: top = (29 - 26) // 2 = 1, left = (31 - 26) // 2 = 2. Then
  dB = 20 log10(max(m, 1e-6)),  x = clip((dB - max(dB) + R) / R, 0, 1),  R = 30 dB.
Network (SAREncoder.ConvolutionLayer), per layer i with Cout channels:
  conv: y[o] = sum_{c, dy, dx} W[o, c, dy, dx] · x_pad[c, h + dy, w + dx], 3 × 3, zero padding 1,
        stride 1, no bias (`layers.<i>.conv.weight` [Cout, Cin, 3, 3]);
  BatchNorm (inference, eps 1e-5): (y - running_mean) / sqrt(running_var + eps) · weight + bias
        (`layers.<i>.bn.{weight, bias, running_mean, running_var}`);
  ReLU; 2 × 2 max-pool, stride 2, no padding, floor (26 → 13 → 6 → 3).
Tokens: the final map [5, 3, 3] read row-major as 9 tokens of width 5 (token = h · 3 + w).

Run: python3 scripts/reference/sar_forward_reference.py
"""
import os
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from module_forward_reference import write_safetensors

SIZE, RANGE, CHANNELS, KERNEL, POOL = 26, 30.0, [3, 4, 5], 3, 2
CHIP = (29, 31)
PREFIX = "encoders.sar"


def conv2d(x, weight, bias=None, stride=1, padding=0):
    """Cross-correlation of x [Cin, H, W] with weight [Cout, Cin, k, k] (PyTorch's Conv2d, groups 1)."""
    k = weight.shape[-1]
    padded = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    windows = sliding_window_view(padded, (k, k), axis=(1, 2))[:, ::stride, ::stride]  # [Cin, Ho, Wo, k, k]
    y = np.einsum("chwij,ocij->ohw", windows, weight)
    return y if bias is None else y + bias[:, None, None]


def batch_norm(x, weight, bias, mean, var, eps=1e-5):
    """Inference BatchNorm over axis 0 of [C, ...]."""
    shape = (-1,) + (1,) * (x.ndim - 1)
    return (x - mean.reshape(shape)) / np.sqrt(var.reshape(shape) + eps) * weight.reshape(shape) + bias.reshape(shape)


def max_pool(x, kernel, stride=None, padding=0):
    """Max-pool of [C, H, W]; padding counts as -inf (PyTorch's MaxPool2d); floor mode."""
    stride = stride or kernel
    padded = np.pad(x, ((0, 0), (padding, padding), (padding, padding)), constant_values=-np.inf)
    return sliding_window_view(padded, (kernel, kernel), axis=(1, 2))[:, ::stride, ::stride].max(axis=(-2, -1))


def batch_norm_parameters(rng, name, channels):
    """Non-trivial statistics: weight near 1, bias, running mean and a running variance in [0.4, 1.6]."""
    return {name + ".weight": 1 + 0.3 * rng.uniform(-1, 1, channels),
            name + ".bias": 0.2 * rng.standard_normal(channels),
            name + ".running_mean": 0.3 * rng.standard_normal(channels),
            name + ".running_var": rng.uniform(0.4, 1.6, channels)}


def parameters():
    rng = np.random.default_rng(20250301)
    p, inputs = {}, 1
    for i, outputs in enumerate(CHANNELS):
        name = f"{PREFIX}.layers.{i}"
        p[name + ".conv.weight"] = rng.standard_normal((outputs, inputs, KERNEL, KERNEL)) * np.sqrt(2 / (inputs * KERNEL * KERNEL))
        p.update(batch_norm_parameters(rng, name + ".bn", outputs))
        inputs = outputs
    return p


def chip():
    """Magnitudes 10^(u / 20), u uniform in [-45, 0] dB (some below the 30 dB range, so the clip to 0
    is exercised), with the peak, exactly 1, inside the crop."""
    rng = np.random.default_rng(7)
    m = (10 ** (rng.uniform(-45, 0, CHIP) / 20)).astype(np.float32)
    m[10, 12] = 1.0
    return m


def prepare(magnitude):
    top, left = (magnitude.shape[0] - SIZE) // 2, (magnitude.shape[1] - SIZE) // 2
    crop = magnitude[top:top + SIZE, left:left + SIZE].astype(np.float64)
    db = 20 * np.log10(np.maximum(crop, 1e-6))
    return np.clip((db - db.max() + RANGE) / RANGE, 0, 1)[None]


def encoder(p, x):
    for i in range(len(CHANNELS)):
        name = f"{PREFIX}.layers.{i}"
        y = conv2d(x, p[name + ".conv.weight"], padding=KERNEL // 2)
        y = batch_norm(y, *(p[f"{name}.bn.{k}"] for k in ("weight", "bias", "running_mean", "running_var")))
        x = max_pool(np.maximum(y, 0), POOL)
    return x.reshape(x.shape[0], -1).T


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    folder = os.path.join(root, "Tests/AllSparkTests/Fixtures/forward/sar")
    os.makedirs(folder, exist_ok=True)
    # The checkpoint holds float32; the reference computes from exactly those values.
    p = {k: v.astype(np.float32).astype(np.float64) for k, v in parameters().items()}
    write_safetensors(os.path.join(folder, "checkpoint.safetensors"), p, {"allspark.modules": PREFIX})
    magnitude = chip()
    x = prepare(magnitude)
    tokens = encoder(p, x)
    np.save(os.path.join(folder, "input.npy"), magnitude)
    np.save(os.path.join(folder, "expected_input.npy"), x.astype(np.float32))
    np.save(os.path.join(folder, "expected.npy"), tokens.astype(np.float32))
    print(f"tokens {tokens.shape}, max |token| {np.abs(tokens).max():.6g}, zero fraction {np.mean(tokens == 0):.2f}")
