#!/usr/bin/env python3
"""Writes the real samples of samples/pointcloud/ from Debian's `libcgal-demo` (5.5.1-2):
/usr/share/doc/libcgal-demo/data.tar.gz → data/meshes/*.off, data/points_3/*.xyz, and from PyPI
`pyvista==0.49.1` (MIT): pyvista/examples/airplane.ply (ascii PLY mesh) and ant.ply (binary
little-endian PLY mesh), kept as they are; both have fewer vertices than the loader's 2048
default points, so the loader samples points on their faces.

CGAL's LICENSE (quoted in Debian's libcgal-dev copyright file) puts files without an explicit
copyright notice, which these data files are, under CC0 1.0. The bunny is the Stanford 3D
Scanning Repository's model, which CGAL redistributes.

- elephant.off, pig.off, cube.off: meshes kept as they are (OFF; the cube has 8 vertices, so the
  loader samples points on its faces).
- sphere_1k.xyz: points with normals, kept as it is.
- bunny.ply: 4096 of the 34,835 vertices of meshes/bunny00.off (drawn without replacement with a
  fixed numpy seed), written as binary little-endian PLY with float32 x, y, z, so the folder has
  a binary PLY and stays small.

Run from the repository root:
    cd /tmp && apt-get download libcgal-demo && dpkg-deb -x libcgal-demo_5.5.1-2_all.deb cgal
    pip download --no-deps -d /tmp pyvista==0.49.1
    python3 scripts/samples/prepare_pointcloud_samples.py /tmp/cgal/usr/share/doc/libcgal-demo/data.tar.gz \
        /tmp/pyvista-0.49.1-py3-none-any.whl
"""
import hashlib
import json
import os
import struct
import sys
import tarfile
import zipfile

import numpy as np

DATA_SHA256 = "027b0920ebb9d396e8b99704f84ce7a417e37c364bea87a2b24bdeab02df76ab"
PYVISTA_SHA256 = "e4bd78c829051207e885281c45d03280dcde25445e1885c0824518ea7849b1c8"
OUT = os.path.join("samples", "pointcloud")
PYVISTA_KEPT = [
    ("pyvista/examples/airplane.ply", "airplane.ply", "Airplane mesh (1,335 vertices, ascii PLY)", "airplane"),
    ("pyvista/examples/ant.ply", "ant.ply", "Ant mesh (486 vertices, binary PLY)", "ant"),
]

KEPT = [
    ("data/meshes/elephant.off", "elephant.off", "Elephant mesh (2,775 vertices)", "elephant"),
    ("data/meshes/pig.off", "pig.off", "Pig mesh (468 vertices)", "pig"),
    ("data/meshes/cube.off", "cube.off", "Cube mesh (8 vertices; points sampled on its faces)", "cube"),
    ("data/points_3/sphere_1k.xyz", "sphere_1k.xyz", "Sphere, 1,050 points with normals", "sphere"),
]


def read_off_vertices(text):
    words = [w for line in text.splitlines() for w in line.split("#")[0].split()]
    assert words[0] == "OFF"
    v = int(words[1])
    return np.array(words[4:4 + 3 * v], dtype=np.float64).reshape(v, 3)


def write_binary_ply(path, points):
    header = ("ply\nformat binary_little_endian 1.0\n"
              "comment 4096 vertices of CGAL data/meshes/bunny00.off (Stanford bunny)\n"
              f"element vertex {len(points)}\nproperty float x\nproperty float y\nproperty float z\nend_header\n")
    with open(path, "wb") as f:
        f.write(header.encode("ascii"))
        f.write(points.astype("<f4").tobytes())


def entry(file, title, source, label):
    return {"file": file, "title": title,
            "source": "Debian libcgal-demo 5.5.1-2, /usr/share/doc/libcgal-demo/data.tar.gz: " + source,
            "licence": "CC0-1.0 (CGAL LICENSE: data files without a copyright notice)",
            "generated": False, "label": {"class": label}}


def check(path, expected):
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != expected:
        sys.exit(f"{path}: sha256 {digest}, expected {expected}")


def main(archive, wheel):
    check(archive, DATA_SHA256)
    check(wheel, PYVISTA_SHA256)
    os.makedirs(OUT, exist_ok=True)
    entries = []
    with tarfile.open(archive) as tar:
        for member, name, title, label in KEPT:
            data = tar.extractfile(member).read()
            with open(os.path.join(OUT, name), "wb") as f:
                f.write(data)
            entries.append(entry(name, title, member, label))
        bunny = read_off_vertices(tar.extractfile("data/meshes/bunny00.off").read().decode("ascii"))
    chosen = np.random.default_rng(20240607).choice(len(bunny), size=4096, replace=False)
    write_binary_ply(os.path.join(OUT, "bunny.ply"), bunny[np.sort(chosen)])
    entries.append(entry("bunny.ply", "Stanford bunny, 4,096 scanned points (binary PLY)",
                         "data/meshes/bunny00.off, 4096 vertices sampled by scripts/samples/prepare_pointcloud_samples.py; "
                         "model from the Stanford 3D Scanning Repository", "bunny"))
    with zipfile.ZipFile(wheel) as whl:
        for member, name, title, label in PYVISTA_KEPT:
            with open(os.path.join(OUT, name), "wb") as f:
                f.write(whl.read(member))
            entries.append({"file": name, "title": title,
                            "source": "PyPI pyvista==0.49.1 wheel: " + member,
                            "licence": "MIT (PyVista)", "generated": False, "label": {"class": label}})
    # Keep entries other scripts or `allspark synth` put in the index (generated samples).
    index_path = os.path.join(OUT, "index.json")
    ours = {e["file"] for e in entries}
    if os.path.exists(index_path):
        entries += [e for e in json.load(open(index_path))["samples"] if e["file"] not in ours]
    with open(index_path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"samples": entries}, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {len(ours)} real point clouds to {OUT}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
