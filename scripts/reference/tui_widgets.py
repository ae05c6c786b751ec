#!/usr/bin/env python3
"""Independent reference values for the TUI's colour approximation and chart widgets.

Computed with numpy from the definitions (not from the Swift code), and pasted into
Tests/AllSparkTUITests/*. Run: python3 scripts/reference/tui_widgets.py
"""
import numpy as np

# --- xterm palette: 6x6x6 cube (16..231) and grey ramp (232..255) -----------------------------
levels = np.array([0, 95, 135, 175, 215, 255])
cube = np.array([[levels[i // 36], levels[(i // 6) % 6], levels[i % 6]] for i in range(216)])
greys = np.array([[8 + 10 * i] * 3 for i in range(24)])
palette256 = np.vstack([cube, greys])  # index k is colour 16 + k
basic8 = np.array([[0, 0, 0], [205, 0, 0], [0, 205, 0], [205, 205, 0],
                   [0, 0, 238], [205, 0, 205], [0, 205, 205], [229, 229, 229]])

def nearest(palette, rgb):
    d = ((palette - np.array(rgb)) ** 2).sum(axis=1)
    return int(np.argmin(d))  # argmin returns the first (lowest) index on ties

samples = [(0, 0, 0), (255, 255, 255), (128, 128, 128), (255, 0, 0), (100, 149, 237),
           (12, 200, 90), (250, 128, 114), (47, 79, 79), (240, 230, 140), (1, 2, 3)]
print("nearest256:", [(c, 16 + nearest(palette256, c)) for c in samples])
print("nearest8:  ", [(c, nearest(basic8, c)) for c in samples])

# --- viridis ramp (5 stops), linear interpolation, round half up ------------------------------
stops = np.array([0, .25, .5, .75, 1])
rgb = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]], float)
for t in [0, 0.1, 0.3, 0.6, 0.9, 1.0]:
    c = [int(np.floor(np.interp(t, stops, rgb[:, k]) + 0.5)) for k in range(3)]
    print("viridis", t, c)

# --- sparkline: level = min(7, floor((v-min)/(max-min)*8)); bins of floor(i*n/c) .. floor((i+1)*n/c)
v = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0])
lv = np.minimum(7, np.floor((v - v.min()) / (v.max() - v.min()) * 8)).astype(int)
print("spark levels", lv.tolist())
n, c = len(v), 4
bins = [v[i * n // c:(i + 1) * n // c].mean() for i in range(c)]
print("spark bins", bins)
b = np.array(bins)
print("spark bin levels", np.minimum(7, np.floor((b - b.min()) / (b.max() - b.min()) * 8)).astype(int).tolist())

# --- heat map block averages: 4x6 array into 2x3 ----------------------------------------------
a = np.arange(24, dtype=float).reshape(4, 6) ** 1.5
out = a.reshape(2, 2, 3, 2).mean(axis=(1, 3))
print("heat 2x3", out.round(6).tolist())
# 5x7 into 2x3 (uneven bins: rows 0..<2, 2..<5; cols 0..<2, 2..<4, 4..<7)
a2 = np.arange(35, dtype=float).reshape(5, 7)
rows = [(0, 2), (2, 5)]; cols = [(0, 2), (2, 4), (4, 7)]
print("heat 2x3 from 5x7", [[a2[r0:r1, c0:c1].mean() for (c0, c1) in cols] for (r0, r1) in rows])

# --- line plot pixels: x = round(i*(w-1)/(n-1)), y = h-1-round((v-min)/(max-min)*(h-1)) -------
vals = np.array([0.0, 1.0, 0.5, -1.0, 2.0])
w, h = 20, 8
xs = np.floor(np.arange(5) * (w - 1) / 4 + 0.5).astype(int)
ys = (h - 1 - np.floor((vals - vals.min()) / (vals.max() - vals.min()) * (h - 1) + 0.5)).astype(int)
print("plot pixels", list(zip(xs.tolist(), ys.tolist())))
