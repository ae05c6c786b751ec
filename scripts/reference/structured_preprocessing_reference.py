#!/usr/bin/env python3
"""Reference values for Tests/AllSparkDataTests/StructuredPreprocessingTests.swift, computed with
numpy / plain Python independently of the Swift code."""
import numpy as np

M = (1 << 64) - 1


def splitmix64(seed, n):
    out, state = [], seed
    for _ in range(n):
        state = (state + 0x9E3779B97F4A7C15) & M
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
        out.append(z ^ (z >> 31))
    return out


print("splitmix64(0):", [hex(x) for x in splitmix64(0, 3)])
print("splitmix64(42):", [hex(x) for x in splitmix64(42, 2)])

# A fixed cloud of 10 points.
cloud = np.array([[0, 0, 0], [1, 0, 0], [0, 2, 0], [0, 0, 3], [1, 1, 1],
                  [-1, -1, 0], [2, 2, 2], [0.5, 0.5, 0], [-2, 0, 1], [0, -3, -1]], dtype=np.float32)


def fps(points, count, start):
    chosen = [start]
    nearest = np.full(len(points), np.inf, dtype=np.float32)
    while len(chosen) < count:
        d = ((points - points[chosen[-1]]) ** 2).sum(1)
        nearest = np.minimum(nearest, d)
        chosen.append(int(np.argmax(nearest)))  # argmax takes the first maximum, as the Swift code
    return chosen


print("fps from 0, 6 points:", fps(cloud, 6, 0))
print("fps from 4, 10 points:", fps(cloud, 10, 4))

# pc_normalize as in PointNet++ / PointBERT.
centroid = cloud.mean(0)
shifted = cloud - centroid
m = np.sqrt((shifted ** 2).sum(1)).max()
print("centroid", centroid.tolist(), "scale", float(m))
print("normalised row 6", (shifted[6] / m).tolist())

# Standardisation (ddof 0) and quantile edges (numpy's default linear method).
ozone = np.array([41, 36, 12, 18, 28, 23, 19, 8, 7, 16, 11, 14, 18, 14, 34, 6, 30, 11, 1, 11], dtype=np.float64)
print("mean", ozone.mean(), "std", ozone.std())
print("quartile edges", np.quantile(ozone, [0.25, 0.5, 0.75]).tolist())
print("bins of 11, 14, 40, 0:", np.digitize([11, 14, 40, 0], np.quantile(ozone, [0.25, 0.5, 0.75])).tolist())
