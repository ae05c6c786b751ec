#!/usr/bin/env python3
"""Independent NumPy forward (float64) of the multispectral (msi) encoder's input handling around
the ViT backbone of module_forward_reference.py.

Writes Tests/AllSparkTests/Fixtures/forward/msi/:
  checkpoint.safetensors     the encoder's parameters (F32): module_forward_reference's
                             `vit_parameters()` renamed from encoders.rgb to encoders.msi, except the
                             patch embedding, which takes 4 bands (numpy default_rng(20250402));
                             metadata allspark.modules = encoders.msi, written with its writer;
  input.npy                  a 6-band image [6, 20, 26] float32 (reflectance), whose band sidecar
                             (names NAMES, wavelengths WAVELENGTHS below) the Swift test writes out;
  expected_input_select.npy  bands chosen by name, cropped and resized [4, 16, 16] (`EncoderOutput.input`);
  expected_select.npy        the tokens [5, 12] (CLS, then the 2 × 2 patch grid row-major);
  expected_input_indices.npy, expected_indices.npy   the same for bands chosen by index.
Tests/AllSparkTests/MSIForwardReferenceTests.swift loads the checkpoint strictly, encodes the image
with the two sections below and compares every array (1e-4 of the largest expected magnitude).

Configurations (both with encoder { width 12, depth 1, heads 2, patch 8 }, the backbone's sizes):
  "select":  input { size 16, bands 4, select ["b8a", "B2", "B11", "B04"], mean MEAN, std STD };
  "indices": input { size 16, bands 4, bandIndices [3, 0, 0, 5] } (no statistics).

Preprocessing (MSIEncoder.preprocess):
  band choice: by name, case-insensitive, Sentinel-2 names compared without a leading zero
    ("B08A" = "B8A", "B02" = "B2"), so select → bands [4, 1, 5, 2]; by index, the bands in the order
    given (repeats allowed);
  square: the central min(H, W) square, top = (H - s) // 2, left = (W - s) // 2 (here rows 0 … 19,
    columns 3 … 22), then a bilinear resize to 16 × 16 with half-pixel centres: output i samples the
    input at clamp((i + 0.5) · 20 / 16 - 0.5, 0, 19), linearly between the two neighbours (no
    antialiasing; PyTorch's align_corners=False), separably in rows and columns;
  standardisation per band: (x - mean_b) / std_b with the configured statistics, otherwise by the
    band's own mean and population standard deviation over the resized image.
Backbone (VisionTransformer, module_forward_reference.vit): 8 × 8 patch convolution with bias, CLS,
position embeddings, one pre-norm block (LayerNorm eps 1e-6, fused qkv, 2 heads, exact GELU),
final LayerNorm. The bilinear resize (`resize`, `centre_square`) and the key renaming (`backbone`)
are shared with video_forward_reference.py and oblique_forward_reference.py.

Run: python3 scripts/reference/msi_forward_reference.py
"""
import os
import numpy as np

import module_forward_reference as mfr
from module_forward_reference import write_safetensors

SIZE, BANDS = 16, 4
PREFIX = "encoders.msi"
FOLDER = "Tests/AllSparkTests/Fixtures/forward/msi"
NAMES = ["B01", "B02", "B04", "B08", "B08A", "B11"]
WAVELENGTHS = [443, 490, 665, 842, 865, 1610]
SELECT, SELECTED = ["b8a", "B2", "B11", "B04"], [4, 1, 5, 2]
INDICES = [3, 0, 0, 5]
MEAN = np.array([0.3, 0.12, 0.25, 0.1])
STD = np.array([0.08, 0.05, 0.07, 0.04])


# --- Shared image preprocessing.

def interpolation_matrix(out_size, in_size):
    """Rows of bilinear weights with half-pixel centres, clamped at the edges."""
    m = np.zeros((out_size, in_size))
    for i in range(out_size):
        position = min(max((i + 0.5) * in_size / out_size - 0.5, 0.0), in_size - 1)
        i0 = int(np.floor(position))
        i1 = min(i0 + 1, in_size - 1)
        m[i, i0] += 1 - (position - i0)
        m[i, i1] += position - i0
    return m


def resize(image, height, width):
    """[..., H, W] → [..., height, width], bilinear with half-pixel centres."""
    rows = interpolation_matrix(height, image.shape[-2])
    columns = interpolation_matrix(width, image.shape[-1])
    return np.einsum("ih,...hw,jw->...ij", rows, image.astype(np.float64), columns)


def centre_square(image, side):
    """The central min(H, W) square of [..., H, W], resized to side × side."""
    h, w = image.shape[-2:]
    s = min(h, w)
    top, left = (h - s) // 2, (w - s) // 2
    return resize(image[..., top:top + s, left:left + s], side, side)


def backbone(p, prefix, image):
    """module_forward_reference.vit (written for encoders.rgb, 16 × 16 input, patch 8, width 12,
    2 heads, one block) on the parameters under `prefix`."""
    renamed = {"encoders.rgb" + k[len(prefix):]: v for k, v in p.items() if k.startswith(prefix + ".")}
    return mfr.vit(renamed, image)


# --- The msi encoder.

def parameters():
    p = {PREFIX + k[len("encoders.rgb"):]: v for k, v in mfr.vit_parameters().items()}
    rng = np.random.default_rng(20250402)
    p[PREFIX + ".patch_embed.proj.weight"] = rng.standard_normal((mfr.W, BANDS, mfr.PATCH, mfr.PATCH)) / np.sqrt(BANDS * mfr.PATCH ** 2)
    return {k: np.asarray(v, dtype=np.float32).astype(np.float64) for k, v in p.items()}


def image():
    """Six smooth bands of different frequency and level plus noise, reflectance 0.02 … 0.6."""
    rng = np.random.default_rng(11)
    y, x = np.mgrid[0:20, 0:26]
    bands = [0.1 + 0.05 * b + 0.08 * np.sin(0.25 * (b + 1) * y + 0.4 * x / (b + 1)) for b in range(6)]
    return np.clip(np.stack(bands) + 0.02 * rng.standard_normal((6, 20, 26)), 0.02, 0.6).astype(np.float32)


def own_standardised(x):
    mean = x.mean(axis=(1, 2), keepdims=True)
    std = x.std(axis=(1, 2), keepdims=True)
    return (x - mean) / np.where(std > 1e-12, std, 1)


def encode(p, raw, bands, mean=None, std=None):
    resized = centre_square(raw[bands], SIZE)
    normalised = (resized - mean[:, None, None]) / std[:, None, None] if mean is not None else own_standardised(resized)
    return resized, backbone(p, PREFIX, normalised)


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    folder = os.path.join(root, FOLDER)
    os.makedirs(folder, exist_ok=True)
    p = parameters()
    write_safetensors(os.path.join(folder, "checkpoint.safetensors"), p, {"allspark.modules": PREFIX})
    raw = image()
    arrays = {"input": raw}
    for name, bands, mean, std in [("select", SELECTED, MEAN, STD), ("indices", INDICES, None, None)]:
        resized, tokens = encode(p, raw, bands, mean, std)
        arrays[f"expected_input_{name}"], arrays[f"expected_{name}"] = resized, tokens
        print(f"{name}: tokens {tokens.shape}, max |token| {np.abs(tokens).max():.6g}")
    for name, array in arrays.items():
        np.save(os.path.join(folder, name + ".npy"), np.asarray(array, dtype=np.float32))
