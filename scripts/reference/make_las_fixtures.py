#!/usr/bin/env python3
"""Writes the LAS fixtures of Tests/Fixtures/las/ with laspy, and beside them expected.json: what
laspy reads back from each file (header fields, scaled coordinates, per-point values), so that
StructuredLASTests compares our reader with an independent implementation. The tests need only
the files this writes, not laspy.

- las12-format0.las: LAS 1.2, format 0; synthetic/key-point/withheld flags set, so the reader must
  keep only the low 5 bits of the classification byte.
- las12-format3-rgb.las: LAS 1.2, format 3 (GPS time, 16-bit RGB).
- las14-format6.las: LAS 1.4, format 6; 4-bit return numbers up to 15, classes above 31.
- las14-format7-rgb.las: LAS 1.4, format 7 with RGB and 4 extra bytes per point (a float32
  "height" in laspy's extra-bytes VLR), so the record is longer than the format's minimum.

Each uses a scale and an offset far from 1 and 0, so a reader that forgets either is caught.

Run from the repository root (pip install laspy; 2.7.0 wrote the committed files):
    python3 scripts/reference/make_las_fixtures.py
"""
import json
import os

import laspy
import numpy as np

OUT = os.path.join("Tests", "Fixtures", "las")
COUNT = 40


def base_header(version, point_format, scale, offset):
    header = laspy.LasHeader(version=version, point_format=point_format)
    header.scales = np.array(scale)
    header.offsets = np.array(offset)
    header.system_identifier = "allspark fixture"
    header.generating_software = f"laspy {laspy.__version__}"
    return header


def fill(las, rng, extended):
    # Integer coordinates straight into X, Y, Z: the scaled values are then exact in laspy and here.
    las.X = rng.integers(-2_000_000, 2_000_000, COUNT, dtype=np.int32)
    las.Y = rng.integers(-2_000_000, 2_000_000, COUNT, dtype=np.int32)
    las.Z = rng.integers(-50_000, 50_000, COUNT, dtype=np.int32)
    las.intensity = rng.integers(0, 65536, COUNT, dtype=np.uint16)
    most = 15 if extended else 7
    las.number_of_returns = rng.integers(1, most + 1, COUNT)
    las.return_number = np.minimum(rng.integers(1, most + 1, COUNT), las.number_of_returns)
    las.classification = rng.integers(0, 256 if extended else 32, COUNT)
    if not extended:
        las.synthetic = rng.integers(0, 2, COUNT)
        las.key_point = rng.integers(0, 2, COUNT)
        las.withheld = rng.integers(0, 2, COUNT)
    las.scan_direction_flag = rng.integers(0, 2, COUNT)
    las.user_data = rng.integers(0, 256, COUNT)
    las.point_source_id = rng.integers(0, 65536, COUNT)


def add_rgb(las, rng):
    las.red = rng.integers(0, 65536, COUNT, dtype=np.uint16)
    las.green = rng.integers(0, 65536, COUNT, dtype=np.uint16)
    las.blue = rng.integers(0, 65536, COUNT, dtype=np.uint16)


def expected(path):
    las = laspy.read(path)
    h = las.header
    names = set(las.point_format.dimension_names)
    values = {
        "x": np.asarray(las.x).tolist(), "y": np.asarray(las.y).tolist(), "z": np.asarray(las.z).tolist(),
        "intensity": np.asarray(las.intensity).tolist(),
        "classification": np.asarray(las.classification).tolist(),
        "return_number": np.asarray(las.return_number).tolist(),
        "number_of_returns": np.asarray(las.number_of_returns).tolist(),
    }
    for colour in ("red", "green", "blue"):
        if colour in names:
            values[colour] = np.asarray(las[colour]).tolist()
    return {
        "version": f"{h.version.major}.{h.version.minor}",
        "point_format": h.point_format.id,
        "record_length": h.point_format.size,
        "point_count": h.point_count,
        "scale": h.scales.tolist(), "offset": h.offsets.tolist(),
        "min": h.mins.tolist(), "max": h.maxs.tolist(),
        "system_identifier": h.system_identifier, "generating_software": h.generating_software,
        "points": values,
    }


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20260512)
    files = [
        ("las12-format0.las", "1.2", 0, [0.001, 0.001, 0.0005], [1000.5, -2000.25, 50.0]),
        ("las12-format3-rgb.las", "1.2", 3, [0.01, 0.01, 0.01], [-350000.0, 4200000.0, 120.0]),
        ("las14-format6.las", "1.4", 6, [0.0025, 0.004, 0.001], [512000.0, 5402000.0, -8.0]),
        ("las14-format7-rgb.las", "1.4", 7, [0.001, 0.002, 0.0001], [-73.5, 40.75, 10.0]),
    ]
    result = {}
    for name, version, point_format, scale, offset in files:
        header = base_header(version, point_format, scale, offset)
        if point_format == 7:
            header.add_extra_dim(laspy.ExtraBytesParams(name="height", type=np.float32))
        las = laspy.LasData(header)
        fill(las, rng, extended=point_format >= 6)
        if point_format in (3, 7):
            add_rgb(las, rng)
        if point_format == 3:
            las.gps_time = rng.uniform(0, 1e6, COUNT)
        if point_format == 7:
            las.height = rng.uniform(-5, 5, COUNT).astype(np.float32)
        path = os.path.join(OUT, name)
        las.write(path)  # laspy updates the bounds and counts from the points
        result[name] = expected(path)
        print(f"wrote {path} ({os.path.getsize(path)} bytes)")
    with open(os.path.join(OUT, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print(f"wrote {os.path.join(OUT, 'expected.json')}")


if __name__ == "__main__":
    main()
