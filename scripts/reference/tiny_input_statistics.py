#!/usr/bin/env python3
"""Input statistics for configs/allspark-tiny.json, from samples of this project's generators.

    .build/release/allspark synth msi --count 100 --seed 11 --out /tmp/msi
    .build/release/allspark synth hsi --count 99 --seed 11 --out /tmp/hsi
    python3 scripts/reference/tiny_input_statistics.py /tmp/msi /tmp/hsi

msi: per-band mean and population standard deviation of the reflectance (uint16 DN / 10000, as
MSILoader reads it) over every pixel of every patch → modalities.msi.input.mean / std.
hsi: one mean and standard deviation over every band of every spectrum (NPY and CSV spectra, and
every pixel of the cubes) → modalities.hsi.input.mean / std (a single value keeps both the shape
and the brightness of a spectrum, which a per-spectrum standardisation would drop).
"""
import glob
import os
import sys

import numpy as np


def msi(directory):
    patches = [np.load(f).astype(np.float64) / 10000 for f in sorted(glob.glob(os.path.join(directory, "*.npy")))]
    stack = np.concatenate([p.reshape(p.shape[0], -1) for p in patches], axis=1)
    return len(patches), stack.mean(axis=1), stack.std(axis=1)


def hsi(directory):
    values = []
    for f in sorted(glob.glob(os.path.join(directory, "*"))):
        if f.endswith(".npy"):
            values.append(np.load(f).astype(np.float64).reshape(-1))
        elif f.endswith(".csv"):
            rows = open(f).read().strip().splitlines()
            values.append(np.array([float(v) for v in rows[1].split(",")]))
    data = np.concatenate(values)
    return len(values), data.mean(), data.std()


if __name__ == "__main__":
    count, mean, std = msi(sys.argv[1])
    print(f"msi ({count} patches) mean:", [round(float(v), 4) for v in mean])
    print(f"msi ({count} patches) std: ", [round(float(v), 4) for v in std])
    count, mean, std = hsi(sys.argv[2])
    print(f"hsi ({count} files) mean: {mean:.4f} std: {std:.4f}")
