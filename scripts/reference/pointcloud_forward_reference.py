#!/usr/bin/env python3
"""Independent NumPy forward (float64) of the point-cloud encoder (Point-BERT), preprocessing included.

Writes Tests/AllSparkTests/Fixtures/forward/pointcloud/:
  checkpoint.safetensors  the encoder's parameters (F32, numpy default_rng(20250302)) EXCEPT the two
                          large mini-PointNet weights (below), metadata allspark.modules =
                          encoders.pointcloud, written with module_forward_reference's writer;
  input.npy               a cloud [56, 3] float32;
  expected_input.npy      what `prepare` returns: the neighbourhoods [6 · 5, 3] then the centres [6, 3];
  expected.npy            the encoder tokens [7, 8] (CLS first).
Tests/AllSparkTests/PointCloudForwardReferenceTests.swift adds the two large weights from the same
integer pattern, writes the whole checkpoint to a temporary file, loads it strictly, encodes the
cloud and compares (1e-4 of the largest expected magnitude).

The mini-PointNet's inner widths are fixed (3 → 128 → 256, 512 → 512 → width), so
`encoder.first_conv.3.weight` [256, 128, 1] (128 KiB) and `encoder.second_conv.0.weight`
[512, 512, 1] (1 MiB) would make the fixture large. They are instead
  pattern(shape, multiplier, offset, modulus, scale)[i] = (((i · multiplier + offset) mod modulus) - modulus // 2) · scale
over the flat C-order index i (module_forward_reference.pattern; exact in Float32 as the scales are
powers of two): first_conv.3.weight = pattern(·, 7, 3, 29, 1/128), second_conv.0.weight =
pattern(·, 11, 5, 31, 1/256).

Configuration: input { points 32, sampling fps, seed 3 }, encoder { width 8, depth 2, heads 2,
mlpRatio 2, groups 6, groupSize 5 }.

Preprocessing (PointCloudEncoder.preprocess):
  normalise: c = mean of the points (computed in double, rounded to float32), p -= c, p /= max_i |p_i|;
  sample: 32 < 56 ≤ 8 · 32, so farthest-point sampling of 32 points over the whole cloud, starting
          at point 0: repeatedly take argmax_i min_{j chosen} |p_i - p_j|² (first index on ties);
  centres: FPS of 6 of those 32 points, from (sampled) point 0;
  groups: for each centre, its 5 nearest sampled points by squared distance, nearest first (ties:
          lower index); neighbourhoods = those points minus the centre.
The script checks that every discrete choice (FPS argmax, the k-th/(k+1)-th neighbour) wins by a
margin far above float32 rounding, so Swift's float32 distances make the same choices.
Network (MiniPointNet, PointCloudEncoder.encode), BatchNorm1d in inference form, eps 1e-5:
  f = Conv1(p) → BN1 → ReLU → Conv2                       [g, k, 256]   (first_conv.0, .1, .3)
  h = [max_k f broadcast over k, f]                        [g, k, 512]   (pooled feature FIRST)
  t_g = max_k Conv4(ReLU(BN2(Conv3(h))))                   [g, width]    (second_conv.0, .1, .3)
  (Conv = 1 × 1 Conv1d with bias: x · Wᵀ + b, W stored [out, in, 1].)
  pos = [cls_pos; Linear2(GELU(Linear1(centres)))]         (pos_embed.0: 3 → 128, pos_embed.2: 128 → width)
  x = [cls_token; t]; per block: x += pos; x += proj(MHA(qkv(LN1(x)))); x += fc2(GELU(fc1(LN2(x))))
  tokens = LN(x)  (norm)
LayerNorm eps 1e-6 (timm), fused qkv [3 · width, width] with bias split q | k | v, heads side by side,
softmax scale 1/sqrt(head width), exact (erf) GELU, MLP hidden = mlpRatio · width = 16.

Run: python3 scripts/reference/pointcloud_forward_reference.py [COMPLETE.safetensors]
(with an argument it also writes the complete checkpoint, patterned weights included, there: what a
configuration's "checkpoint" can name to check the allspark binary's encoder against expected.npy).
"""
import math
import os
import numpy as np

from module_forward_reference import gelu, layer_norm, pattern, write_safetensors

POINTS, WIDTH, DEPTH, HEADS, MLP, GROUPS, K = 32, 8, 2, 2, 2, 6, 5
CLOUD = 56
PREFIX = "encoders.pointcloud"
HIDDEN = 128
# The large weights the Swift test builds from the pattern: name → (shape, multiplier, offset, modulus, scale).
PATTERNED = {PREFIX + ".encoder.first_conv.3.weight": ([256, 128, 1], 7, 3, 29, 1 / 128),
             PREFIX + ".encoder.second_conv.0.weight": ([512, 512, 1], 11, 5, 31, 1 / 256)}


def batch_norm_parameters(rng, name, channels):
    return {name + ".weight": 1 + 0.3 * rng.uniform(-1, 1, channels),
            name + ".bias": 0.2 * rng.standard_normal(channels),
            name + ".running_mean": 0.3 * rng.standard_normal(channels),
            name + ".running_var": rng.uniform(0.4, 1.6, channels)}


def linear_parameters(rng, name, inputs, outputs, extra_shape=()):
    bound = 1 / math.sqrt(inputs)
    return {name + ".weight": rng.uniform(-bound, bound, (outputs, inputs) + extra_shape),
            name + ".bias": rng.uniform(-bound, bound, outputs)}


def parameters():
    rng = np.random.default_rng(20250302)
    e = PREFIX + ".encoder"
    p = {}
    p.update(linear_parameters(rng, e + ".first_conv.0", 3, 128, (1,)))
    p.update(batch_norm_parameters(rng, e + ".first_conv.1", 128))
    p.update(linear_parameters(rng, e + ".first_conv.3", 128, 256, (1,)))
    p.update(linear_parameters(rng, e + ".second_conv.0", 512, 512, (1,)))
    p.update(batch_norm_parameters(rng, e + ".second_conv.1", 512))
    p.update(linear_parameters(rng, e + ".second_conv.3", 512, WIDTH, (1,)))
    for name, (shape, *args) in PATTERNED.items():
        p[name] = pattern(shape, *args)
    p[PREFIX + ".cls_token"] = 0.5 * rng.standard_normal((1, WIDTH))
    p[PREFIX + ".cls_pos"] = 0.5 * rng.standard_normal((1, WIDTH))
    p.update(linear_parameters(rng, PREFIX + ".pos_embed.0", 3, HIDDEN))
    p.update(linear_parameters(rng, PREFIX + ".pos_embed.2", HIDDEN, WIDTH))
    for i in range(DEPTH):
        b = f"{PREFIX}.blocks.{i}"
        p[b + ".norm1.weight"] = 1 + 0.2 * rng.standard_normal(WIDTH)
        p[b + ".norm1.bias"] = 0.1 * rng.standard_normal(WIDTH)
        p.update(linear_parameters(rng, b + ".attn.qkv", WIDTH, 3 * WIDTH))
        p.update(linear_parameters(rng, b + ".attn.proj", WIDTH, WIDTH))
        p[b + ".norm2.weight"] = 1 + 0.2 * rng.standard_normal(WIDTH)
        p[b + ".norm2.bias"] = 0.1 * rng.standard_normal(WIDTH)
        p.update(linear_parameters(rng, b + ".mlp.fc1", WIDTH, MLP * WIDTH))
        p.update(linear_parameters(rng, b + ".mlp.fc2", MLP * WIDTH, WIDTH))
    p[PREFIX + ".norm.weight"] = 1 + 0.2 * rng.standard_normal(WIDTH)
    p[PREFIX + ".norm.bias"] = 0.1 * rng.standard_normal(WIDTH)
    return p


def cloud():
    """56 points on a noisy ellipsoid, off the origin and not unit-sized, so normalisation matters."""
    rng = np.random.default_rng(11)
    directions = rng.standard_normal((CLOUD, 3))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    points = directions * [2.0, 1.2, 0.7] * rng.uniform(0.8, 1.1, (CLOUD, 1)) + [0.5, -1.0, 3.0]
    return points.astype(np.float32)


def farthest_points(points, count):
    """FPS from index 0; also returns the smallest relative gap between the winner and the runner-up."""
    chosen, nearest, margin = [0], np.full(len(points), np.inf), np.inf
    while len(chosen) < count:
        nearest = np.minimum(nearest, ((points - points[chosen[-1]]) ** 2).sum(1))
        order = np.argsort(-nearest, kind="stable")
        margin = min(margin, (nearest[order[0]] - nearest[order[1]]) / nearest[order[0]])
        chosen.append(int(order[0]))
    return np.array(chosen), margin


def preprocess(raw):
    points = raw.astype(np.float64)
    centre = points.mean(0).astype(np.float32).astype(np.float64)
    points = points - centre
    points /= np.sqrt((points ** 2).sum(1)).max()
    sampled, margin1 = farthest_points(points, POINTS)
    points = points[sampled]
    centre_indices, margin2 = farthest_points(points, GROUPS)
    centres = points[centre_indices]
    distances = ((points[None] - centres[:, None]) ** 2).sum(-1)          # [groups, points]
    order = np.argsort(distances, axis=1, kind="stable")
    groups = order[:, :K]
    sorted_d = np.take_along_axis(distances, order[:, :K + 1], 1)
    # Gaps between consecutive distances among each centre's k + 1 nearest (after the centre's own 0),
    # relative to the (k + 1)-th: the choice of the group and its order.
    margin3 = (np.diff(sorted_d, axis=1)[:, 1:] / sorted_d[:, -1:]).min()
    margin = min(margin1, margin2, margin3)
    assert margin > 1e-4, f"a discrete choice is too close to call in float32 (relative margin {margin})"
    neighbourhoods = (points[groups] - centres[:, None]).reshape(GROUPS * K, 3)
    return neighbourhoods, centres, margin


def attention(x, p, b):
    h = layer_norm(x, p[b + ".norm1.weight"], p[b + ".norm1.bias"], 1e-6) @ p[b + ".attn.qkv.weight"].T + p[b + ".attn.qkv.bias"]
    q, k, v = np.split(h, 3, axis=1)
    n, hw = x.shape[0], WIDTH // HEADS
    q, k, v = (t.reshape(n, HEADS, hw).transpose(1, 0, 2) for t in (q, k, v))   # [heads, n, hw]
    scores = q @ k.transpose(0, 2, 1) / math.sqrt(hw)
    scores = np.exp(scores - scores.max(-1, keepdims=True))
    out = (scores / scores.sum(-1, keepdims=True)) @ v                            # [heads, n, hw]
    return out.transpose(1, 0, 2).reshape(n, WIDTH) @ p[b + ".attn.proj.weight"].T + p[b + ".attn.proj.bias"]


def encoder(p, neighbourhoods, centres):
    e = PREFIX + ".encoder"

    def conv(x, name):
        return x @ p[name + ".weight"][:, :, 0].T + p[name + ".bias"]

    def bn(x, name):
        return (x - p[name + ".running_mean"]) / np.sqrt(p[name + ".running_var"] + 1e-5) * p[name + ".weight"] + p[name + ".bias"]

    f = conv(np.maximum(bn(conv(neighbourhoods, e + ".first_conv.0"), e + ".first_conv.1"), 0), e + ".first_conv.3")
    f = f.reshape(GROUPS, K, 256)
    h = np.concatenate([np.broadcast_to(f.max(1, keepdims=True), f.shape), f], axis=2)
    g = conv(np.maximum(bn(conv(h, e + ".second_conv.0"), e + ".second_conv.1"), 0), e + ".second_conv.3")
    tokens = g.max(1)                                                              # [groups, width]

    hidden = gelu(centres @ p[PREFIX + ".pos_embed.0.weight"].T + p[PREFIX + ".pos_embed.0.bias"])
    pos = np.concatenate([p[PREFIX + ".cls_pos"], hidden @ p[PREFIX + ".pos_embed.2.weight"].T + p[PREFIX + ".pos_embed.2.bias"]])
    x = np.concatenate([p[PREFIX + ".cls_token"], tokens])
    for i in range(DEPTH):
        b = f"{PREFIX}.blocks.{i}"
        x = x + pos
        x = x + attention(x, p, b)
        h = gelu(layer_norm(x, p[b + ".norm2.weight"], p[b + ".norm2.bias"], 1e-6) @ p[b + ".mlp.fc1.weight"].T + p[b + ".mlp.fc1.bias"])
        x = x + h @ p[b + ".mlp.fc2.weight"].T + p[b + ".mlp.fc2.bias"]
    return layer_norm(x, p[PREFIX + ".norm.weight"], p[PREFIX + ".norm.bias"], 1e-6)


def full_parameters():
    """Every parameter, float32-rounded (what the Swift test's checkpoint holds)."""
    return {k: v.astype(np.float32).astype(np.float64) for k, v in parameters().items()}


if __name__ == "__main__":
    import sys
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    folder = os.path.join(root, "Tests/AllSparkTests/Fixtures/forward/pointcloud")
    os.makedirs(folder, exist_ok=True)
    p = full_parameters()
    stored = {k: v for k, v in p.items() if k not in PATTERNED}
    write_safetensors(os.path.join(folder, "checkpoint.safetensors"), stored, {"allspark.modules": PREFIX})
    if len(sys.argv) > 1:  # a complete checkpoint too, for checking against the allspark binary
        write_safetensors(sys.argv[1], p, {"allspark.modules": PREFIX})
    raw = cloud()
    neighbourhoods, centres, margin = preprocess(raw)
    tokens = encoder(p, neighbourhoods, centres)
    np.save(os.path.join(folder, "input.npy"), raw)
    np.save(os.path.join(folder, "expected_input.npy"), np.concatenate([neighbourhoods, centres]).astype(np.float32))
    np.save(os.path.join(folder, "expected.npy"), tokens.astype(np.float32))
    print(f"tokens {tokens.shape}, max |token| {np.abs(tokens).max():.6g}, smallest relative margin of a discrete choice {margin:.3g}")
