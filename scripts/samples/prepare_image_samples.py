#!/usr/bin/env python3
"""Real samples for the image modalities (rgb, oblique, video), from Debian packages.

Where every file comes from (the package files are checked against the SHA-256 sums below):

  Debian opencv-doc 4.6.0+dfsg-12, /usr/share/doc/opencv-doc/examples/data/ (OpenCV samples/data;
  Apache-2.0 AND BSD-3-Clause per the package's copyright file):
    aero1.jpg, aero3.jpg   aerial photographs of a town      -> samples/rgb/aerial_town_*.jpg
    building.jpg           a hotel facade, ground level       -> samples/rgb/building_facade.jpg
    vtest.avi              pedestrians on a plaza, 768x576, 10 fps -> samples/video/vtest_*.y4m
    Megamind.avi           an animated film clip, 720x528     -> samples/video/megamind_clip.y4m
  Debian python3-skimage 0.19.3-8, skimage/data/ (BSD-3-Clause per the package's copyright file):
    rocket.jpg             Falcon 9 launch photo (SpaceX, public domain) -> samples/rgb/rocket_launch.jpg
    motorcycle_left.png, motorcycle_right.png, motorcycle_disp.npz
                           Middlebury 2014 stereo pair with ground-truth disparity (Scharstein et
                           al., GCPR 2014), 741x500 with the calibration in skimage's docstring
                           -> samples/oblique/motorcycle_stereo/ (2 views, MVSNet cams, depth.npy)

Processing: images are scaled to at most 256 px (ffmpeg, area averaging) and saved as JPEG;
video clips are 16 frames at 160 px wide, 4:2:0, limited range, written by ffmpeg's Y4M muxer;
the stereo pair is area-averaged 4x4 (to 185x125), the disparity turned into depth
Z = f * B / (d + doffs) (metres) and averaged over the valid pixels of each 4x4 block (0 where
fewer than half are valid), and the cameras written in MVSNet format (left camera at the origin,
right camera B metres along +x, principal points scaled with the half-pixel convention).

Each folder's index.json is merged: entries for files this script writes are replaced, others
(generated samples) are kept. Run scripts/samples/make_image_samples.sh, which calls this and then
`allspark synth` for the generated samples.

Usage: prepare_image_samples.py [--assets DIR] [--samples DIR]
  --assets: a folder where the two .deb files were extracted with dpkg-deb -x (fetched with
            apt-get download into a temporary folder when omitted).
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

OPENCV = "usr/share/doc/opencv-doc/examples/data"
SKIMAGE = "usr/lib/python3/dist-packages/skimage/data"
SHA256 = {
    f"{OPENCV}/aero1.jpg": "d9a69191f6e3642ea361bc3c62e677b2f40fe6534b78da540f4155e0734b59ef",
    f"{OPENCV}/aero3.jpg": "1c407146f8762b3b14a7953ff9bc4c01ed64c467d7277122e769bf7e816017a4",
    f"{OPENCV}/building.jpg": "742a1baad62ac82e91e718e77eedf7e85c2eddc4badfb8c87c6cbc86c45a8b07",
    f"{OPENCV}/vtest.avi": "45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf",
    f"{OPENCV}/Megamind.avi": "0057387cb7e75c8fd1663b62cfdc51fa53f527795d0fe3c1fea2fd159d3130b5",
    f"{SKIMAGE}/rocket.jpg": "c2dd0de7c538df8d111e479619b129464d0269d0ae5fd18ca91d33a7fdfea95c",
    f"{SKIMAGE}/motorcycle_left.png": "db18e9c4157617403c3537a6ba355dfeafe9a7eabb6b9b94cb33f6525dd49179",
    f"{SKIMAGE}/motorcycle_right.png": "5fc913ae870e42a4b662314bc904d1786bcad8e2f0b9b67dba5a229406357797",
    f"{SKIMAGE}/motorcycle_disp.npz": "2e49c8cebff3fa20359a0cc6880c82e1c03bbb106da81a177218281bc2f113d7",
}
OPENCV_LICENCE = "Apache-2.0 AND BSD-3-Clause (OpenCV samples/data, per Debian opencv-doc copyright)"
SKIMAGE_LICENCE = "BSD-3-Clause (scikit-image data, per Debian python3-skimage copyright)"


def fetch_assets():
    folder = tempfile.mkdtemp(prefix="allspark-image-assets-")
    subprocess.run(["apt-get", "download", "opencv-doc=4.6.0+dfsg-12", "python3-skimage=0.19.3-8"], cwd=folder, check=True)
    for deb in os.listdir(folder):
        if deb.endswith(".deb"):
            subprocess.run(["dpkg-deb", "-x", deb, "x"], cwd=folder, check=True)
    return os.path.join(folder, "x")


def checked(assets, relative):
    path = os.path.join(assets, relative)
    digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
    if digest != SHA256[relative]:
        sys.exit(f"{path}: SHA-256 {digest}, expected {SHA256[relative]}")
    return path


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", *args], check=True)


def merge_index(folder, entries):
    path = os.path.join(folder, "index.json")
    old = json.load(open(path))["samples"] if os.path.exists(path) else []
    written = {e["file"] for e in entries}
    samples = [e for e in old if e["file"] not in written] + entries
    with open(path, "w") as f:
        json.dump({"samples": samples}, f, indent=2, sort_keys=True)
        f.write("\n")


def entry(file, title, source, licence, label=None):
    e = {"file": file, "title": title, "source": source, "licence": licence, "generated": False}
    if label:
        e["label"] = {"class": label}
    return e


def rgb(assets, samples):
    folder = os.path.join(samples, "rgb")
    os.makedirs(folder, exist_ok=True)
    # (source, output, title, NWPU-RESISC45 class when the photo is an aerial scene of one)
    photos = [
        (f"{OPENCV}/aero1.jpg", "aerial_town_river.jpg", "aerial photo: town with a river and ponds", "medium_residential"),
        (f"{OPENCV}/aero3.jpg", "aerial_town_blocks.jpg", "aerial photo: apartment blocks and woods", "dense_residential"),
        (f"{OPENCV}/building.jpg", "building_facade.jpg", "ground-level photo: hotel facade (not an aerial scene)", None),
        (f"{SKIMAGE}/rocket.jpg", "rocket_launch.jpg", "ground-level photo: rocket launch at night (not an aerial scene)", None),
    ]
    entries = []
    for source, out, title, label in photos:
        ffmpeg("-i", checked(assets, source), "-vf", "scale='min(256,iw)':'min(256,ih)':force_original_aspect_ratio=decrease:flags=area",
               "-q:v", "3", os.path.join(folder, out))
        package = "opencv-doc" if OPENCV in source else "python3-skimage"
        entries.append(entry(out, title, f"Debian {package}: {source.split('/')[-1]}, scaled to 256 px",
                             OPENCV_LICENCE if package == "opencv-doc" else SKIMAGE_LICENCE + "; photo released to the public domain by SpaceX", label))
    merge_index(folder, entries)


def video(assets, samples):
    folder = os.path.join(samples, "video")
    os.makedirs(folder, exist_ok=True)
    clips = [
        (f"{OPENCV}/vtest.avi", "vtest_plaza_a.y4m", 0, "pedestrians crossing a plaza (from 0 s)"),
        (f"{OPENCV}/vtest.avi", "vtest_plaza_b.y4m", 4, "pedestrians crossing a plaza (from 4 s)"),
        (f"{OPENCV}/Megamind.avi", "megamind_clip.y4m", 6, "animated film clip (from 6 s)"),
    ]
    entries = []
    for source, out, seconds, title in clips:
        ffmpeg("-ss", str(seconds), "-i", checked(assets, source), "-frames:v", "16", "-vf", "scale=160:-2:flags=area",
               "-pix_fmt", "yuv420p", "-f", "yuv4mpegpipe", os.path.join(folder, out))
        entries.append(entry(out, title, f"Debian opencv-doc: {source.split('/')[-1]}, 16 frames from t = {seconds} s, scaled to 160 px wide, Y4M 4:2:0",
                             OPENCV_LICENCE))
    merge_index(folder, entries)


def read_png(path):
    """RGB pixels of a PNG through ffmpeg (no imaging library needed)."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", path],
                           capture_output=True, text=True, check=True).stdout.strip().split(",")
    width, height = int(probe[0]), int(probe[1])
    raw = subprocess.run(["ffmpeg", "-loglevel", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(height, width, 3)


def write_png(pixels, path):
    height, width, _ = pixels.shape
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{width}x{height}",
                    "-i", "-", path], input=np.ascontiguousarray(pixels).tobytes(), check=True)


def cam_text(extrinsic, intrinsic, depth_min, interval, planes):
    rows = ["extrinsic"] + [" ".join(f"{v:.9g}" for v in row) for row in extrinsic] + ["", "intrinsic"]
    rows += [" ".join(f"{v:.9g}" for v in row) for row in intrinsic]
    rows += ["", f"{depth_min:.9g} {interval:.9g} {planes} {depth_min + interval * (planes - 1):.9g}", ""]
    return "\n".join(rows)


def oblique(assets, samples):
    folder = os.path.join(samples, "oblique", "motorcycle_stereo")
    os.makedirs(folder, exist_ok=True)
    # Calibration of the 741 x 500 images, from skimage.data.stereo_motorcycle's docstring.
    focal, cx, cy, doffs, baseline = 994.978, 311.193, 254.877, 31.086, 0.193001
    factor = 4
    left = read_png(checked(assets, f"{SKIMAGE}/motorcycle_left.png")).astype(np.float64)
    right = read_png(checked(assets, f"{SKIMAGE}/motorcycle_right.png")).astype(np.float64)
    disparity = np.load(checked(assets, f"{SKIMAGE}/motorcycle_disp.npz"))["arr_0"].astype(np.float64)
    h, w = (left.shape[0] // factor) * factor, (left.shape[1] // factor) * factor

    def area(a):
        a = a[:h, :w]
        return a.reshape(h // factor, factor, w // factor, factor, *a.shape[2:]).mean(axis=(1, 3))

    for name, image in (("view0.png", left), ("view1.png", right)):
        write_png(np.clip(area(image) + 0.5, 0, 255).astype(np.uint8), os.path.join(folder, name))
    valid = np.isfinite(disparity) & (disparity > 0)
    depth_full = np.where(valid, focal * baseline / (np.where(valid, disparity, 1) + doffs), 0.0)
    counts = area(valid.astype(np.float64))
    sums = area(depth_full)
    depth = np.where(counts >= 0.5, sums / np.maximum(counts, 1e-9), 0.0).astype(np.float32)
    np.save(os.path.join(folder, "depth.npy"), depth)

    f = focal / factor
    centre = lambda c: (c + 0.5) / factor - 0.5
    known = depth[depth > 0]
    near, far = float(known.min()) * 0.98, float(known.max()) * 1.02
    planes = 192
    interval = (far - near) / (planes - 1)
    for index, (cx_view, tx) in enumerate(((cx, 0.0), (cx + doffs, -baseline))):
        extrinsic = [[1, 0, 0, tx], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
        intrinsic = [[f, 0, centre(cx_view)], [0, f, centre(cy)], [0, 0, 1]]
        with open(os.path.join(folder, f"view{index}_cam.txt"), "w") as out:
            out.write(cam_text(extrinsic, intrinsic, near, interval, planes))
    merge_index(os.path.join(samples, "oblique"), [entry(
        "motorcycle_stereo", "Middlebury 2014 motorcycle stereo pair with ground-truth depth (2 views)",
        "Debian python3-skimage: motorcycle_left/right.png + motorcycle_disp.npz (Middlebury 2014, Scharstein et al.), "
        "4x4 area-averaged, depth from disparity with the skimage calibration", SKIMAGE_LICENCE)])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--assets")
    parser.add_argument("--samples", default=os.path.join(os.path.dirname(__file__), "..", "..", "samples"))
    args = parser.parse_args()
    assets = args.assets or fetch_assets()
    rgb(assets, args.samples)
    video(assets, args.samples)
    oblique(assets, args.samples)


if __name__ == "__main__":
    main()
