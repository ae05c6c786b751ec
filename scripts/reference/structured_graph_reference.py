#!/usr/bin/env python3
"""Reference values for Tests/AllSparkDataTests/StructuredGraphTests.swift, computed independently
of the Swift code: DCRNN's Gaussian-kernel adjacency (gen_adj_mx.py) and the calendar of a
timestamp."""
import datetime
import numpy as np

# from,to,cost over 3 nodes (node indices, no sensor ids).
rows = [(0, 0, 0.0), (0, 1, 1000.0), (1, 2, 2000.0), (0, 2, 3000.0), (2, 0, 500.0)]
d = np.full((3, 3), np.inf)
for a, b, c in rows:
    d[a, b] = c
sigma = d[~np.isinf(d)].std()
adj = np.exp(-np.square(d / sigma))
adj[adj < 0.1] = 0
print("sigma", repr(sigma))
print("adjacency (row-major)", [float(np.float32(x)) for x in adj.flatten()])

# 2012-03-01 00:00 plus 5-minute steps: time of day and weekday (Monday = 0).
start = 1_330_560_000
for step in [0, 1, 150, 300]:
    t = datetime.datetime.fromtimestamp(start + step * 300, tz=datetime.timezone.utc)
    print(step, t.isoformat(), "tod", (t.hour * 3600 + t.minute * 60) / 86400, "dow", t.weekday())
