#!/usr/bin/env python3
"""Reference values for Tests/AllSparkTests/{Table,Graph,PointCloud}EncoderTests.swift and the
numbers in configs/allspark-tiny.json, computed with numpy independently of the Swift code.

Run from the repository root: python3 scripts/reference/structured_encoders_reference.py
"""
import csv
import glob
import json
import math

import numpy as np

np.set_printoptions(precision=9, suppress=True)


def table():
    """Quantile bin edges of the airquality feature columns (8 equal-frequency bins, numpy's
    linear quantiles over the present values), the bins of a few rows (np.digitize, right=False:
    edges[k-1] <= x < edges[k]), and the Ozone target's mean and population std for the head."""
    rows = list(csv.DictReader(open("samples/table/airquality.csv")))

    def column(name):
        return np.array([float(r[name]) for r in rows if r[name] != "NA"])

    edges = {}
    for name in ["Solar.R", "Wind", "Temp"]:
        x = column(name)
        edges[name] = np.quantile(x, [k / 8 for k in range(1, 8)])
        print(f"table edges {name}:", json.dumps([round(float(e), 6) for e in edges[name]]))
    for r in [0, 3, 4, 5, 29, 116]:
        row = rows[r]
        bins = []
        for name in ["Solar.R", "Wind", "Temp"]:
            bins.append(7 + 1 if row[name] == "NA" else int(np.digitize(float(row[name]), edges[name])))
        month = [5, 6, 7, 8, 9].index(int(row["Month"]))
        day = int(row["Day"]) - 1
        print(f"table row {r}: Solar.R Wind Temp bins {bins}, Month index {month}, Day index {day}")
    ozone = column("Ozone")
    print("table Ozone mean", ozone.mean(), "std (ddof 0)", ozone.std())


def graph():
    """Training statistics of our generated speeds (all four sample days, every value, zeros
    included as STAEformer's scaler does) and the time-of-day slots of each sample's window."""
    values = []
    for path in sorted(glob.glob("samples/graph/traffic-*.npz")):
        z = np.load(path)
        values.append(z["data"][..., 0].astype(np.float64).ravel())
    x = np.concatenate(values)
    print("graph speed mean", x.mean(), "std (ddof 0)", x.std())
    z = np.load("samples/graph/traffic-000.npz")
    start = 144
    tod = z["time_of_day"][start:start + 12]
    print("graph traffic-000 start 144: slots", [int(t * 288) for t in tod], "dow", z["day_of_week"][start:start + 12].tolist())
    mean, std = 54.4, 19.5
    v = z["data"][start, 5, 0]
    print("graph traffic-000 [0, 5]: speed", float(v), "standardised (54.4, 19.5)", float((np.float32(v) - np.float32(mean)) / np.float32(std)))


def formula_cloud(n):
    """The deterministic cloud the point-cloud tests build in Swift: float32 coordinates
    (sin(0.91 i + 0.3), cos(1.37 i), sin(0.53 i) · cos(0.29 i))."""
    i = np.arange(n, dtype=np.float64)
    return np.stack([np.sin(0.91 * i + 0.3), np.cos(1.37 * i), np.sin(0.53 * i) * np.cos(0.29 * i)], axis=1).astype(np.float32)


def fps(points, count, start=0):
    chosen = [start]
    nearest = np.full(len(points), np.inf, dtype=np.float32)
    while len(chosen) < count:
        d = ((points - points[chosen[-1]]) ** 2).sum(axis=1, dtype=np.float32)
        nearest = np.minimum(nearest, d)
        chosen.append(int(np.argmax(nearest)))  # argmax takes the lowest index on ties
    return chosen


def pointcloud():
    """FPS from point 0 and the k nearest neighbours (stable sort: ties to the lower index) of the
    formula cloud; then the mini-PointNet on two formula groups with formula weights."""
    points = formula_cloud(40)
    centres = fps(points, 6)
    print("pointcloud fps(40 formula points, 6, start 0):", centres)
    for c in centres[:3]:
        d = ((points - points[c]) ** 2).sum(axis=1, dtype=np.float32)
        print(f"pointcloud 5-NN of point {c}:", np.argsort(d, kind="stable")[:5].tolist())

    # Mini-PointNet with weights w[o, i] = 0.2 sin(0.37 o + 0.11 i + phase), bias 0.05 cos(0.5 o + phase),
    # BatchNorm weight 1 + 0.1 sin(c), bias 0.1 cos(c), running mean 0.05 sin(2c), running var 1 + 0.5 |cos(c)|.
    def conv(o, i, phase):
        oo, ii = np.meshgrid(np.arange(o), np.arange(i), indexing="ij")
        return (0.2 * np.sin(0.37 * oo + 0.11 * ii + phase)).astype(np.float32), \
               (0.05 * np.cos(0.5 * np.arange(o) + phase)).astype(np.float32)

    def bn(x, c):
        k = np.arange(c)
        w, b = 1 + 0.1 * np.sin(k), 0.1 * np.cos(k)
        m, v = 0.05 * np.sin(2 * k), 1 + 0.5 * np.abs(np.cos(k))
        return (x - m) / np.sqrt(v + 1e-5) * w + b

    groups, size, out = 2, 3, 4
    local = formula_cloud(groups * size).astype(np.float64) * 0.5
    w1, b1 = conv(128, 3, 0.1); w2, b2 = conv(256, 128, 0.2); w3, b3 = conv(512, 512, 0.3); w4, b4 = conv(out, 512, 0.4)
    f = np.maximum(bn(local @ w1.T + b1, 128), 0) @ w2.T + b2            # [g*k, 256]
    f = f.reshape(groups, size, 256)
    joined = np.concatenate([np.repeat(f.max(axis=1, keepdims=True), size, axis=1), f], axis=2).reshape(groups * size, 512)
    g = (np.maximum(bn(joined @ w3.T + b3, 512), 0) @ w4.T + b4).reshape(groups, size, out).max(axis=1)
    print("pointcloud mini-PointNet [2, 4]:", json.dumps([float(v) for v in g.ravel()]))


if __name__ == "__main__":
    table()
    graph()
    pointcloud()
