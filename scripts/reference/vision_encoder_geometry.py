#!/usr/bin/env python3
"""Independent reference values for the vision encoders' geometry (Tests/AllSparkTests/*EncoderTests.swift).

Run: python3 scripts/reference/vision_encoder_geometry.py
Everything here is computed from the definitions (PyTorch's window rule, TubeViT's tube layout, the
sin-cos formula, numpy's linear interpolation), not from the Swift code.
"""
import numpy as np


def window(size, kernel, stride, padding=0):
    """PyTorch's Conv/Pool output size: floor((size + 2p - k) / s) + 1."""
    return (size + 2 * padding - kernel) // stride + 1


def resnet_side(side, stages=4):
    n = window(side, 7, 2, 3)          # conv1 7x7/2 pad 3
    n = window(n, 3, 2, 1)             # maxpool 3x3/2 pad 1
    for _ in range(stages - 1):        # layer2..layer4: 3x3/2 pad 1
        n = window(n, 3, 2, 1)
    return n


def sar_side(side, layers=3, kernel=3, pool=2):
    n = side
    for _ in range(layers):
        n = window(n, kernel, 1, kernel // 2)
        n = window(n, pool, pool)
    return n


def tube_grid(frames, size, kernel, stride):
    return tuple(window(n, k, s) for n, k, s in zip((frames, size, size), kernel, stride))


def sincos(points, width):
    points = np.asarray(points, dtype=np.float64)
    axes = points.shape[1]
    half = width // (2 * axes)
    omega = 10000.0 ** (-np.arange(half) / half)
    blocks = []
    for a in range(axes):
        angle = points[:, a:a + 1] * omega[None, :]
        blocks += [np.sin(angle), np.cos(angle)]
    return np.concatenate(blocks, axis=1)


def main():
    print("ResNet-50 feature map, 288 x 144:", resnet_side(288), "x", resnet_side(144))
    for h, w in [(128, 64), (100, 50), (32, 32)]:
        print(f"ResNet feature map, {h} x {w}:", resnet_side(h), "x", resnet_side(w))
    for s in [128, 100, 64, 9, 8, 7]:
        print(f"SAR 3 layers, side {s}:", sar_side(s))

    paper = [((8, 8, 8), (16, 32, 32)), ((16, 4, 4), (6, 32, 32)), ((4, 12, 12), (16, 32, 32)), ((1, 16, 16), (32, 16, 16))]
    grids = [tube_grid(32, 224, k, s) for k, s in paper]
    print("paper tubes:", grids, [int(np.prod(g)) for g in grids], sum(int(np.prod(g)) for g in grids))
    tiny = [((4, 8, 8), (8, 16, 16)), ((8, 4, 4), (3, 16, 16)), ((2, 12, 12), (8, 16, 16)), ((1, 8, 8), (16, 8, 8))]
    grids = [tube_grid(16, 64, k, s) for k, s in tiny]
    print("tiny tubes:", grids, [int(np.prod(g)) for g in grids], sum(int(np.prod(g)) for g in grids))

    # Tube centres for kernel 2x4x4, stride 2,4,4 over 4 x 8 x 8: index * stride + (kernel - 1) / 2.
    kernel, stride = (2, 4, 4), (2, 4, 4)
    grid = tube_grid(4, 8, kernel, stride)
    centres = [[t * stride[0] + (kernel[0] - 1) / 2, y * stride[1] + (kernel[1] - 1) / 2, x * stride[2] + (kernel[2] - 1) / 2]
               for t in range(grid[0]) for y in range(grid[1]) for x in range(grid[2])]
    print("grid", grid, "centres", centres)
    emb = sincos(centres, 12)
    np.set_printoptions(precision=7, suppress=False, linewidth=160)
    print("sin-cos width 12, tube 0:", emb[0].astype(np.float32).tolist())
    print("sin-cos width 12, tube 7:", emb[7].astype(np.float32).tolist())

    # Spectrum resampling.
    values = np.array([1.0, 3.0, 2.0, 6.0], dtype=np.float64)
    wavelengths = np.array([400.0, 500.0, 550.0, 700.0])
    targets = np.linspace(420.0, 680.0, 5)
    print("interp targets", targets.tolist(), "->", np.interp(targets, wavelengths, values).tolist())
    positions = np.arange(7) * (len(values) - 1) / 6
    print("index resampling to 7 ->", np.interp(positions, np.arange(len(values)), values).tolist())


if __name__ == "__main__":
    main()
