#!/usr/bin/env bash
# Writes the GeoTIFF and ENVI samples of msi, hsi and sar from NPY samples already in samples/,
# with gdal_translate (Debian gdal-bin; GDAL 3.6.2 wrote the committed files), so that the raster
# loaders have real files to read and each has an NPY twin holding the same array:
#
#   samples/msi/test-satellite_3797.tif   real: the Statlog Landsat neighbourhood of
#       test-satellite_3797.npy (digital numbers 0–255) as a 4-band Byte GeoTIFF, DEFLATE, band
#       descriptions MSS4–MSS7 and their wavelengths as band metadata. Statlog has no
#       georeferencing, so the file has none.
#   samples/msi/test-satellite_3754.hdr + .img   real: test-satellite_3754.npy as an ENVI Byte
#       cube (BSQ); band names by gdal_translate, the wavelengths appended to the header here
#       (GDAL 3.6's ENVI writer does not write them).
#   samples/hsi/synth_hsi_02_cube_envi.hdr + .img   generated: synth_hsi_02_cube.npy (8 × 8 × 103,
#       float32) as an ENVI cube (BIL) with its 103 wavelengths.
#   samples/sar/synth_sar_00.tif   generated: synth_sar_00.npy (128 × 128 float32 magnitudes) as
#       a float32 GeoTIFF, DEFLATE with the floating-point predictor.
#
# Each gets an index.json entry with the label and licence of its NPY twin; then SOURCES.md is
# rewritten. Run from the repository root: scripts/make-raster-samples.sh
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# No .aux.xml files beside the samples.
export GDAL_PAM_ENABLED=NO

# Raw bytes and a VRT per sample: numpy writes the array bands first, the VRT says what GDAL needs
# (type, band descriptions, wavelengths as band metadata).
python3 - "$WORK" <<'PY'
import json, os, sys
import numpy as np

work = sys.argv[1]

def vrt(name, array, gdal_type, names, wavelengths):
    count, height, width = array.shape
    array.astype(array.dtype.newbyteorder("<")).tofile(os.path.join(work, name + ".raw"))
    item = array.dtype.itemsize
    lines = [f'<VRTDataset rasterXSize="{width}" rasterYSize="{height}">']
    for b in range(count):
        lines += [f'  <VRTRasterBand dataType="{gdal_type}" band="{b + 1}" subClass="VRTRawRasterBand">']
        if names:
            lines.append(f"    <Description>{names[b]}</Description>")
        if wavelengths:
            lines.append(f'    <Metadata><MDI key="wavelength">{wavelengths[b]:g}</MDI><MDI key="wavelength_units">nm</MDI></Metadata>')
        lines += [f"    <SourceFilename relativeToVRT=\"1\">{name}.raw</SourceFilename>",
                  f"    <ImageOffset>{b * height * width * item}</ImageOffset><PixelOffset>{item}</PixelOffset>"
                  f"<LineOffset>{width * item}</LineOffset><ByteOrder>LSB</ByteOrder>",
                  "  </VRTRasterBand>"]
    lines.append("</VRTDataset>")
    with open(os.path.join(work, name + ".vrt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(work, name + ".wavelengths"), "w") as f:
        f.write(", ".join(f"{w:g}" for w in wavelengths))

def landsat(stem):
    values = np.load(f"samples/msi/{stem}.npy")
    assert values.shape == (4, 3, 3) and np.all(values == np.round(values)) and values.min() >= 0 and values.max() <= 255
    sidecar = json.load(open(f"samples/msi/{stem}.json"))
    vrt(stem, values.astype(np.uint8), "Byte", sidecar["bands"], sidecar["wavelengths"])

landsat("test-satellite_3797")
landsat("test-satellite_3754")
cube = np.load("samples/hsi/synth_hsi_02_cube.npy")  # (H, W, bands)
vrt("synth_hsi_02_cube_envi", np.ascontiguousarray(cube.transpose(2, 0, 1)), "Float32", [],
    json.load(open("samples/hsi/synth_hsi_02_cube.json"))["wavelengths"])
vrt("synth_sar_00", np.load("samples/sar/synth_sar_00.npy")[None], "Float32", ["magnitude"], [])
PY

gdal_translate -q -of GTiff -co COMPRESS=DEFLATE "$WORK/test-satellite_3797.vrt" samples/msi/test-satellite_3797.tif
gdal_translate -q -of GTiff -co COMPRESS=DEFLATE -co PREDICTOR=3 "$WORK/synth_sar_00.vrt" samples/sar/synth_sar_00.tif
# ENVI: gdal_translate writes NAME.img and NAME.hdr; the wavelengths are appended to the header.
envi() { # VRT-NAME TARGET-WITHOUT-EXTENSION INTERLEAVE
    rm -f "$2.img" "$2.hdr"
    gdal_translate -q -of ENVI -co INTERLEAVE="$3" "$WORK/$1.vrt" "$2.img"
    printf 'wavelength units = Nanometers\nwavelength = {%s}\n' "$(cat "$WORK/$1.wavelengths")" >> "$2.hdr"
}
envi test-satellite_3754 samples/msi/test-satellite_3754 BSQ
envi synth_hsi_02_cube_envi samples/hsi/synth_hsi_02_cube_envi BIL

# index.json entries: the NPY twin's label, licence and source, plus how the file was written.
python3 - <<'PY'
import json

def add(folder, twin, target, how, title, options=None):
    path = f"samples/{folder}/index.json"
    text = open(path, encoding="utf-8").read()
    entries = json.loads(text)["samples"]
    base = next(e for e in entries if e["file"] == twin)
    entries = [e for e in entries if e["file"] != target]
    entry = {k: v for k, v in base.items() if k in ("generated", "label", "licence")}
    entry.update(file=target, source=f"{base['source']}; {twin} written as {how} by scripts/make-raster-samples.sh", title=title)
    if options:
        entry["options"] = options
    entries.append(entry)
    # Keep the folder's own escaping: some index files escape non-ASCII characters, some do not.
    ascii_only = all(ord(c) < 128 for c in text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"samples": entries}, indent=2, sort_keys=True, ensure_ascii=ascii_only) + "\n")

add("msi", "test-satellite_3797.npy", "test-satellite_3797.tif", "a 4-band Byte GeoTIFF (DEFLATE, gdal_translate)",
    "the held-out test sample test-satellite_3797.npy as a GeoTIFF (red soil)")
add("msi", "test-satellite_3754.npy", "test-satellite_3754.hdr", "an ENVI Byte cube (BSQ, gdal_translate)",
    "the held-out test sample test-satellite_3754.npy as ENVI .hdr + .img (cotton crop)")
add("hsi", "synth_hsi_02_cube.npy", "synth_hsi_02_cube_envi.hdr", "an ENVI float32 cube (BIL, gdal_translate)",
    "generated gravel pixel (3, 3) of synth_hsi_02_cube.npy, from an ENVI cube", {"col": "3", "row": "3"})
add("sar", "synth_sar_00.npy", "synth_sar_00.tif", "a float32 GeoTIFF (DEFLATE, predictor 3, gdal_translate)",
    "generated 2S1-like target of synth_sar_00.npy, as a GeoTIFF")
PY
python3 scripts/make_sources_md.py
