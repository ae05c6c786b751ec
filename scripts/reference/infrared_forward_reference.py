#!/usr/bin/env python3
"""Independent NumPy forward (float64) of the infrared encoder: two ResNets (IR query, RGB gallery).

Writes Tests/AllSparkTests/Fixtures/forward/infrared/:
  query.npy, gallery.npy        the IR query [3, 30, 22] and two RGB gallery images [2, 3, 30, 22],
                                float32 values k / 255 (what an 8-bit PNG decodes to);
  checkpoint.safetensors        basic blocks: stem 4, layers [2, 1], widths [4, 8] (both branches);
  expected.npy                  `encode`: the query's 12 tokens then gallery image 0's [24, 8];
  expected_gallery.npy          `encodeGallery`: every gallery image's tokens [2, 12, 8];
  checkpoint-bottleneck.safetensors, expected-bottleneck.npy [24, 16], expected_gallery-bottleneck.npy
                                [2, 12, 16]: bottleneck blocks, stem 4, layers [1, 2], widths [2, 4].
Checkpoints are F32 (numpy default_rng(20250303) and (20250304)), metadata allspark.modules =
encoders.infrared, written with module_forward_reference's writer. Every BatchNorm has non-trivial
weight, bias, running mean and running variance. Tests/AllSparkTests/InfraredForwardReferenceTests.swift
loads each checkpoint strictly, encodes the sample and compares (1e-4 of the largest expected magnitude).

Configuration: input { height 30, width 22, mean [0.4, 0.5, 0.3], std [0.25, 0.2, 0.3] },
encoder { block, layers, widths, stem } as above.

Preprocessing (InfraredEncoder.tokens): the images already have the configured size, so the bilinear
resize is the identity; then x[c] = (image[c] - mean[c]) / std[c].
Each branch (ResNet.swift, torchvision's v1.5 ResNet without pool and classifier), under
`encoders.infrared.ir` (query) or `encoders.infrared.rgb` (gallery):
  stem: conv1 7 × 7 stride 2 padding 3 → bn1 → ReLU → max-pool 3 × 3 stride 2 padding 1 (padding is -inf);
  stage s (1-based) block j: stride 2 for the first block of every stage after the first, else 1;
    basic:      y = bn2(conv2(ReLU(bn1(conv1_{3×3, stride}(x)))))
    bottleneck: y = bn3(conv3_{1×1}(ReLU(bn2(conv2_{3×3, stride}(ReLU(bn1(conv1_{1×1}(x))))))))  (output 4 · width)
    out = ReLU(y + shortcut), shortcut = downsample.1(downsample.0_{1×1, stride}(x)) when the stride is 2
          or the channel count changes, else x.
  Convolutions have no bias and padding kernel // 2; BatchNorm is inference form, eps 1e-5.
Side arithmetic: 30 → 15 → 8 → 4 rows and 22 → 11 → 6 → 3 columns, so 12 tokens per image, read
row-major from the final map [C, 4, 3] (token = row · 3 + column).

Run: python3 scripts/reference/infrared_forward_reference.py
"""
import os
import numpy as np

from module_forward_reference import write_safetensors
from sar_forward_reference import batch_norm, batch_norm_parameters, conv2d, max_pool

HEIGHT, WIDTH, GALLERY = 30, 22, 2
MEAN, STD = np.array([0.4, 0.5, 0.3]), np.array([0.25, 0.2, 0.3])
PREFIX = "encoders.infrared"
# name suffix → (block, layers, widths, stem, seed)
VARIANTS = {"": ("basic", [2, 1], [4, 8], 4, 20250303),
            "-bottleneck": ("bottleneck", [1, 2], [2, 4], 4, 20250304)}


def block_plan(kind, inputs, width, stride):
    """(name, input channels, output channels, kernel, stride) of the branch's convolutions."""
    if kind == "basic":
        return [("1", inputs, width, 3, stride), ("2", width, width, 3, 1)]
    return [("1", inputs, width, 1, 1), ("2", width, width, 3, stride), ("3", width, 4 * width, 1, 1)]


def architecture(kind, layers, widths, stem):
    """Every block: (name, plan, inputs, outputs, stride, has downsample)."""
    blocks, inputs = [], stem
    for s, (count, width) in enumerate(zip(layers, widths)):
        for j in range(count):
            stride = 2 if s > 0 and j == 0 else 1
            outputs = width * (4 if kind == "bottleneck" else 1)
            blocks.append((f"layer{s + 1}.{j}", block_plan(kind, inputs, width, stride), inputs, outputs, stride,
                           stride != 1 or inputs != outputs))
            inputs = outputs
    return blocks


def conv_weight(rng, outputs, inputs, kernel):
    return rng.standard_normal((outputs, inputs, kernel, kernel)) * np.sqrt(2 / (inputs * kernel * kernel))


def parameters(kind, layers, widths, stem, seed):
    rng = np.random.default_rng(seed)
    p = {}
    for branch in ("ir", "rgb"):
        b = f"{PREFIX}.{branch}"
        p[b + ".conv1.weight"] = conv_weight(rng, stem, 3, 7)
        p.update(batch_norm_parameters(rng, b + ".bn1", stem))
        for name, plan, inputs, outputs, stride, downsample in architecture(kind, layers, widths, stem):
            for index, cin, cout, kernel, _ in plan:
                p[f"{b}.{name}.conv{index}.weight"] = conv_weight(rng, cout, cin, kernel)
                p.update(batch_norm_parameters(rng, f"{b}.{name}.bn{index}", cout))
            if downsample:
                p[f"{b}.{name}.downsample.0.weight"] = conv_weight(rng, outputs, inputs, 1)
                p.update(batch_norm_parameters(rng, f"{b}.{name}.downsample.1", outputs))
    return p


def bn(p, name, x):
    return batch_norm(x, *(p[f"{name}.{k}"] for k in ("weight", "bias", "running_mean", "running_var")))


def resnet(p, b, x, kind, layers, widths, stem):
    x = max_pool(np.maximum(bn(p, b + ".bn1", conv2d(x, p[b + ".conv1.weight"], stride=2, padding=3)), 0), 3, 2, 1)
    for name, plan, _, _, stride, downsample in architecture(kind, layers, widths, stem):
        y = x
        for position, (index, _, _, kernel, conv_stride) in enumerate(plan):
            y = bn(p, f"{b}.{name}.bn{index}", conv2d(y, p[f"{b}.{name}.conv{index}.weight"], stride=conv_stride, padding=kernel // 2))
            if position < len(plan) - 1:
                y = np.maximum(y, 0)
        shortcut = bn(p, f"{b}.{name}.downsample.1", conv2d(x, p[f"{b}.{name}.downsample.0.weight"], stride=stride)) if downsample else x
        x = np.maximum(y + shortcut, 0)
    return x


def tokens(p, branch, image, architecture_sizes):
    x = (image.astype(np.float64) - MEAN[:, None, None]) / STD[:, None, None]
    features = resnet(p, f"{PREFIX}.{branch}", x, *architecture_sizes)
    return features.reshape(features.shape[0], -1).T


def images():
    """8-bit values over 255: a smooth pattern plus noise, different per channel and image."""
    rng = np.random.default_rng(5)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    def one(phase):
        base = np.stack([np.sin(0.3 * y + 0.2 * x * (c + 1) + phase) for c in range(3)]) * 80 + 128
        return np.clip(np.round(base + rng.integers(-40, 41, (3, HEIGHT, WIDTH))), 0, 255).astype(np.uint8)
    return one(0.0), np.stack([one(1.0 + g) for g in range(GALLERY)])


if __name__ == "__main__":
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    folder = os.path.join(root, "Tests/AllSparkTests/Fixtures/forward/infrared")
    os.makedirs(folder, exist_ok=True)
    query8, gallery8 = images()
    query = (query8 / 255).astype(np.float32)
    gallery = (gallery8 / 255).astype(np.float32)
    np.save(os.path.join(folder, "query.npy"), query)
    np.save(os.path.join(folder, "gallery.npy"), gallery)
    for suffix, (kind, layers, widths, stem, seed) in VARIANTS.items():
        sizes = (kind, layers, widths, stem)
        # The checkpoint holds float32; the reference computes from exactly those values.
        p = {k: v.astype(np.float32).astype(np.float64) for k, v in parameters(*sizes, seed).items()}
        write_safetensors(os.path.join(folder, f"checkpoint{suffix}.safetensors"), p, {"allspark.modules": PREFIX})
        query_tokens = tokens(p, "ir", query, sizes)
        gallery_tokens = np.stack([tokens(p, "rgb", image, sizes) for image in gallery])
        np.save(os.path.join(folder, f"expected{suffix}.npy"), np.concatenate([query_tokens, gallery_tokens[0]]).astype(np.float32))
        np.save(os.path.join(folder, f"expected_gallery{suffix}.npy"), gallery_tokens.astype(np.float32))
        print(f"{kind}: query tokens {query_tokens.shape}, max |token| {max(np.abs(query_tokens).max(), np.abs(gallery_tokens).max()):.6g}, "
              f"zero fraction {np.mean(query_tokens == 0):.2f} / {np.mean(gallery_tokens == 0):.2f}")
