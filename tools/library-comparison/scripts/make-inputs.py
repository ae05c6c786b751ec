#!/usr/bin/env python3
"""Inputs for `compare bench-*` (docs/LIBRARY-CHOICES.md), written to .build/inputs/ (not in git).

  make-inputs.py            traffic.npz (np.savez), traffic-compressed.npz (np.savez_compressed),
                            pm25.csv (the Beijing PM2.5 table's shape: 43,824 rows x 13 columns)
  make-inputs.py check      loads every *.npz that `compare bench-npz-write` wrote beside them
                            with numpy, compares each array with the original, and has Python's
                            zipfile check every member's CRC

The arrays follow the traffic samples (METR-LA's layout): `data` (T, N, 2) float32 speeds and
time of day, a (N, N) adjacency, int64 timestamps and sensor ids, plus a 1024 x 1024 float32
weight matrix: about 48 MB in all. Seeded, so every run writes the same bytes.
"""
import csv, os, sys, zipfile
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".build", "inputs")


def arrays():
    rng = np.random.default_rng(2024)
    steps, nodes = 26_000, 207
    day = (np.arange(steps) % 288) / 288.0                      # 5-minute steps
    rush = np.exp(-((day - 0.33) / 0.05) ** 2) + np.exp(-((day - 0.75) / 0.06) ** 2)
    speed = 65 - 30 * rush[:, None] * rng.uniform(0.3, 1.0, nodes)[None, :] + rng.normal(0, 2, (steps, nodes))
    data = np.stack([np.round(speed, 1), np.broadcast_to(day[:, None], (steps, nodes))], axis=-1).astype(np.float32)
    distance = rng.uniform(0, 10, (nodes, nodes))
    return {
        "data": data,
        "adjacency": np.where(distance < 2, np.exp(-(distance / 2) ** 2), 0).astype(np.float32),
        "timestamps": (1_330_560_000 + 300 * np.arange(steps)).astype(np.int64),
        "sensor_ids": (700_000 + np.arange(nodes)).astype(np.int64),
        "weights": rng.normal(0, 0.02, (1024, 1024)).astype(np.float32),
    }


def pm25(path):
    rng = np.random.default_rng(2010)
    hours = 43_824                                              # 2010-01-01 .. 2014-12-31, hourly
    start = np.datetime64("2010-01-01T00")
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["No", "year", "month", "day", "hour", "pm2.5", "DEWP", "TEMP", "PRES", "cbwd", "Iws", "Is", "Ir"])
        iws = 0.0
        for i in range(hours):
            t = (start + np.timedelta64(i, "h")).astype(object)
            season = np.cos(2 * np.pi * (t.timetuple().tm_yday - 15) / 365)
            pm = "NA" if rng.random() < 0.047 else int(max(0, rng.gamma(2.0, 50)))
            wind = ["NW", "cv", "NE", "SE"][rng.integers(4)]
            iws = 0.0 if rng.random() < 0.1 else round(iws + rng.uniform(0.45, 8.0), 2)
            w.writerow([i + 1, t.year, t.month, t.day, t.hour, pm, int(-5 - 15 * season + rng.normal(0, 4)),
                        float(int(12 - 15 * season + rng.normal(0, 3))), float(int(1016 + 10 * season + rng.normal(0, 3))),
                        wind, iws, int(rng.random() < 0.02), int(rng.random() < 0.04)])


def check():
    original = arrays()
    for name in sorted(os.listdir(OUT)):
        if not (name.endswith(".npz") and ".npz." in name):
            continue
        with np.load(os.path.join(OUT, name)) as loaded:
            same = sorted(loaded.files) == sorted(original) and all(np.array_equal(loaded[k], original[k]) for k in original)
        with zipfile.ZipFile(os.path.join(OUT, name)) as z:
            bad = z.testzip()
        print(f"{name}: numpy {np.__version__} loads it, arrays {'identical' if same else 'DIFFER'}; "
              f"zipfile.testzip: {'all CRCs good' if bad is None else 'bad member ' + bad}")


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    if sys.argv[1:] == ["check"]:
        check()
    else:
        a = arrays()
        np.savez(os.path.join(OUT, "traffic.npz"), **a)
        np.savez_compressed(os.path.join(OUT, "traffic-compressed.npz"), **a)
        pm25(os.path.join(OUT, "pm25.csv"))
        for name in sorted(os.listdir(OUT)):
            print(f"{name}: {os.path.getsize(os.path.join(OUT, name)):,} bytes")
