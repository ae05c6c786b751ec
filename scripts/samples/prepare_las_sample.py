#!/usr/bin/env python3
"""Writes samples/pointcloud/elephant.las: the 2,775 vertices of samples/pointcloud/elephant.off
(CGAL's data/meshes/elephant.off, CC0; see prepare_pointcloud_samples.py) as LAS 1.4, point
format 6, written by laspy, so the folder has a real LAS file for the LAS reader (about 84 KB).

The OFF file's coordinates have at most 7 decimals and lie within ±0.5, so a scale of 1e-7 and an
offset of 0 keep them (integers up to 5,000,000). The mesh has no lidar attributes: every point
is a single return (1 of 1), class 1 ("unclassified"), intensity 0.

Run from the repository root (pip install laspy; 2.7.0 wrote the committed file):
    python3 scripts/samples/prepare_las_sample.py && python3 scripts/make_sources_md.py
"""
import json
import os

import laspy
import numpy as np

FOLDER = os.path.join("samples", "pointcloud")
SOURCE = "elephant.off"
TARGET = "elephant.las"
SCALE = 1e-7


def read_off_vertices(path):
    words = [w for line in open(path, encoding="ascii").read().splitlines() for w in line.split("#")[0].split()]
    assert words[0] == "OFF", f"{path}: not an OFF file"
    count = int(words[1])
    return np.array(words[4:4 + 3 * count], dtype=np.float64).reshape(count, 3)


def main():
    points = read_off_vertices(os.path.join(FOLDER, SOURCE))
    header = laspy.LasHeader(version="1.4", point_format=6)
    header.scales = np.array([SCALE] * 3)
    header.offsets = np.zeros(3)
    header.system_identifier = "allspark sample"
    header.generating_software = f"laspy {laspy.__version__}"
    las = laspy.LasData(header)
    las.x, las.y, las.z = points[:, 0], points[:, 1], points[:, 2]
    las.return_number = np.ones(len(points), dtype=np.uint8)
    las.number_of_returns = np.ones(len(points), dtype=np.uint8)
    las.classification = np.ones(len(points), dtype=np.uint8)
    path = os.path.join(FOLDER, TARGET)
    las.write(path)
    print(f"wrote {path} ({os.path.getsize(path)} bytes, {len(points)} points)")

    # Add (or replace) its entry in the folder's index, after every other entry.
    index_path = os.path.join(FOLDER, "index.json")
    with open(index_path, encoding="utf-8") as f:
        entries = [e for e in json.load(f)["samples"] if e["file"] != TARGET]
    entries.append({
        "file": TARGET,
        "generated": False,
        "label": {"class": "elephant"},
        "licence": "CC0-1.0 (CGAL LICENSE: data files without a copyright notice)",
        "source": "Debian libcgal-demo 5.5.1-2, /usr/share/doc/libcgal-demo/data.tar.gz: data/meshes/elephant.off "
                  f"(samples/pointcloud/{SOURCE}), its {len(points)} vertices converted to LAS 1.4 point format 6 "
                  f"(scale {SCALE:g}, offset 0) by scripts/samples/prepare_las_sample.py with laspy {laspy.__version__}",
        "title": f"Elephant mesh vertices ({len(points):,} points) as LAS 1.4, point format 6",
    })
    with open(index_path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"samples": entries}, indent=2, ensure_ascii=False) + "\n")
    print(f"updated {index_path}")


if __name__ == "__main__":
    main()
