#!/usr/bin/env python3
"""Independent NumPy forward (float64) of the hyperspectral (hsi) encoder, preprocessing included.

Writes Tests/AllSparkTests/Fixtures/forward/hsi/:
  checkpoint.safetensors        the encoder's parameters (F32, numpy default_rng(20250401)), metadata
                                allspark.modules = encoders.hsi, written with module_forward_reference's
                                writer;
  input_wavelengths.npy         a spectrum of 19 values [19] float32, measured at
  wavelengths.npy               19 irregularly spaced, increasing wavelengths (nm) [19] float32;
  expected_input_wavelengths.npy  the spectrum at the configured 12 bands [12] (`EncoderOutput.input`);
  expected_wavelengths.npy      the encoder tokens [12, 12] for that sample;
  input_index.npy               a spectrum of 17 values without wavelengths [17] float32;
  expected_input_index.npy      that spectrum resampled over the band index to 12 values [12];
  expected_index.npy            the encoder tokens [12, 12] for that sample.
Tests/AllSparkTests/HSIForwardReferenceTests.swift loads the checkpoint strictly, encodes both samples
with the two sections below and compares every array (1e-4 of the largest expected magnitude).

Configurations (both with encoder { width 12, depth 2, heads 3, mlpRatio 2 }):
  "wavelengths": input { bands 12, wavelengthRange [450, 780], mean MEAN (12 values), std STD (12) };
  "index":       input { bands 12 } (no range, no statistics).

Preprocessing (HSIEncoder.preprocess):
  with wavelengths and a range: targets λ_k = 450 + (780 - 450) · k / 11, k = 0 … 11, and the
    spectrum interpolated linearly at them (np.interp over the sample's wavelengths);
  without wavelengths, a spectrum of n ≠ 12 values: value k reads position k · (n - 1) / 11 over the
    band index, linearly between neighbours (np.interp over arange(n)).
  Standardisation: with mean/std, s_b = (v_b - mean_b) / std_b; without, by the resampled
    spectrum's own mean and population standard deviation, s_b = (v_b - mean(v)) / std(v).
Encoder (HSIEncoder.bandTokens, TransformerStack): band b's token is
  x_b = s_b · w + c + P_b   (`band_embed.weight` [12, 1] as w, `band_embed.bias` [12] as c,
                             `pos_embed` [12, 12] as P), no CLS token; then per block i (`blocks.<i>`):
  h = LN1(x); [q | k | v] = h W_qkvᵀ + b_qkv   (fused `attn.qkv` [36, 12], q, k, v in that order)
  per head j (3 heads of width 4): A_j = softmax(q_j k_jᵀ / sqrt(4)) v_j, no mask;
  x += [A_0 | A_1 | A_2] W_projᵀ + b_proj       (`attn.proj`)
  x += GELU(LN2(x) W_1ᵀ + b_1) W_2ᵀ + b_2        (`mlp.fc1` 12 → 24 = 12 · mlpRatio, `mlp.fc2`)
  tokens = LN(x)                                  (`norm`)
LayerNorm: (x - mean) / sqrt(var + 1e-6) · w + b over the last axis (population variance);
GELU exact: 0.5 · x · (1 + erf(x / sqrt(2))).

The stack (`stack_parameters`, `transformer_stack`) is shared with video_forward_reference.py.

Run: python3 scripts/reference/hsi_forward_reference.py
"""
import os
import numpy as np

from module_forward_reference import write_safetensors
from trajectory_forward_reference import as_float32, stack_parameters, transformer_stack

BANDS, WIDTH, DEPTH, HEADS, MLP_RATIO = 12, 12, 2, 3, 2
HIDDEN = int(round(WIDTH * MLP_RATIO))
RANGE = (450.0, 780.0)
PREFIX = "encoders.hsi"
FOLDER = "Tests/AllSparkTests/Fixtures/forward/hsi"
# Per-band statistics of the "wavelengths" configuration (written in the Swift test too).
MEAN = np.array([0.1, 0.12, 0.14, 0.16, 0.18, 0.2, 0.22, 0.24, 0.26, 0.28, 0.3, 0.32])
STD = np.array([0.05, 0.06, 0.07, 0.08, 0.05, 0.06, 0.07, 0.08, 0.05, 0.06, 0.07, 0.08])


# The plain pre-norm transformer stack (TransformerStack.swift, timm's block) is the trajectory
# reference's: the same parameters and the same forward.

# --- The hsi encoder.

def parameters():
    rng = np.random.default_rng(20250401)
    p = {PREFIX + ".band_embed.weight": rng.standard_normal((WIDTH, 1)),
         PREFIX + ".band_embed.bias": 0.1 * rng.standard_normal(WIDTH),
         PREFIX + ".pos_embed": 0.5 * rng.standard_normal((BANDS, WIDTH))}
    p.update(stack_parameters(rng, PREFIX, WIDTH, DEPTH, HIDDEN))
    return as_float32(p)


def samples():
    """A smooth reflectance-like spectrum at 19 irregular wavelengths 420 … 800 nm, and 17 values
    of another spectrum without wavelengths."""
    rng = np.random.default_rng(7)
    steps = rng.uniform(12, 30, 18)
    wavelengths = 420 + np.concatenate([[0], np.cumsum(steps)]) * 380 / steps.sum()
    spectrum = 0.2 + 0.1 * np.sin(wavelengths / 45) + 0.03 * rng.standard_normal(19)
    short = 0.3 + 0.15 * np.cos(np.arange(17) / 3) + 0.02 * rng.standard_normal(17)
    return spectrum.astype(np.float32), wavelengths.astype(np.float32), short.astype(np.float32)


def resample_wavelengths(values, wavelengths):
    targets = RANGE[0] + (RANGE[1] - RANGE[0]) * np.arange(BANDS) / (BANDS - 1)
    return np.interp(targets, wavelengths.astype(np.float64), values.astype(np.float64)), targets


def resample_index(values):
    n = len(values)
    return np.interp(np.arange(BANDS) * (n - 1) / (BANDS - 1), np.arange(n), values.astype(np.float64))


def standardise(values, mean=None, std=None):
    if mean is not None:
        return (values - mean) / std
    return (values - values.mean()) / values.std()


def encoder(p, standardised):
    x = standardised[:, None] @ p[PREFIX + ".band_embed.weight"].T + p[PREFIX + ".band_embed.bias"] + p[PREFIX + ".pos_embed"]
    return transformer_stack(p, PREFIX, x, DEPTH, HEADS)


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    folder = os.path.join(root, FOLDER)
    os.makedirs(folder, exist_ok=True)
    p = parameters()
    write_safetensors(os.path.join(folder, "checkpoint.safetensors"), p, {"allspark.modules": PREFIX})
    spectrum, wavelengths, short = samples()
    at_bands, targets = resample_wavelengths(spectrum, wavelengths)
    tokens = encoder(p, standardise(at_bands, MEAN, STD))
    by_index = resample_index(short)
    index_tokens = encoder(p, standardise(by_index))
    arrays = {"input_wavelengths": spectrum, "wavelengths": wavelengths, "expected_input_wavelengths": at_bands,
              "expected_wavelengths": tokens, "input_index": short, "expected_input_index": by_index,
              "expected_index": index_tokens}
    for name, array in arrays.items():
        np.save(os.path.join(folder, name + ".npy"), np.asarray(array, dtype=np.float32))
    print(f"targets {targets}")
    print(f"tokens {tokens.shape}, max |token| {np.abs(tokens).max():.6g}; index tokens max {np.abs(index_tokens).max():.6g}")
