#!/usr/bin/env python3
"""Writes the raster fixtures of Tests/Fixtures/rasters/ and, beside each, the numpy array it holds
(`<name>.npy`, bands first), so that RasterGDALTests compares what our GDAL reader returns with
values numpy wrote, not with GDAL's own reading. The tests need only the files written here.

- s2_l1c.tif: a Sentinel-2-like L1C tile, 13 bands of uint16 digital numbers, 20 × 12 pixels,
  tiled 16 × 16 (so the right and bottom tiles are partial) and DEFLATE-compressed; band
  descriptions in EuroSAT's order B1 … B12, B8A with each band's centre wavelength as band
  metadata (wavelength, wavelength_units); WGS 84 / UTM zone 33N (EPSG:32633), 10 m pixels;
  nodata 0, which 3 pixels of the last row hold in bands 1 and 2.
- sar_vv_vh.tif: two float32 bands of SAR magnitudes, VV and VH, 24 × 16 pixels, stripped and
  LZW-compressed, WGS 84 (EPSG:4326) geotransform; nodata NaN, which 2 pixels of VV hold.
- cube.img + cube.hdr: an ENVI cube of 12 float32 bands, 6 × 5 pixels, band-interleaved by line
  (BIL), with band names and wavelengths in micrometres in the header (written here by hand, not
  by GDAL), and data ignore value -9999 at one pixel of band 3.

Each raster is written from numpy's bytes: raw files described by a GDAL VRT (band descriptions,
metadata, nodata, CRS, geotransform), converted with gdal_translate (GDAL 3.6.2 wrote the
committed files); the ENVI cube is numpy's bytes and a header as is.

Run from the repository root (needs numpy and gdal_translate, Debian gdal-bin):
    python3 scripts/reference/make_raster_fixtures.py
"""
import os
import subprocess
import tempfile

import numpy as np

OUT = os.path.join("Tests", "Fixtures", "rasters")
S2_BANDS = ["B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "B10", "B11", "B12", "B8A"]
S2_NM = [443, 490, 560, 665, 705, 740, 783, 842, 945, 1375, 1610, 2190, 865]


def vrt(raw, array, dtype_name, bands, srs, geotransform, nodata):
    """A VRT describing `raw` (numpy's C-order bytes of `array`, bands first)."""
    count, height, width = array.shape
    item = array.dtype.itemsize
    lines = [f'<VRTDataset rasterXSize="{width}" rasterYSize="{height}">',
             f"  <SRS>{srs}</SRS>",
             "  <GeoTransform>" + ", ".join(repr(v) for v in geotransform) + "</GeoTransform>"]
    for b, (name, metadata) in enumerate(bands):
        lines += [f'  <VRTRasterBand dataType="{dtype_name}" band="{b + 1}" subClass="VRTRawRasterBand">',
                  f"    <Description>{name}</Description>",
                  f"    <NoDataValue>{nodata}</NoDataValue>"]
        if metadata:
            lines.append("    <Metadata>" + "".join(f'<MDI key="{k}">{v}</MDI>' for k, v in metadata.items()) + "</Metadata>")
        lines += [f'    <SourceFilename relativeToVRT="0">{raw}</SourceFilename>',
                  f"    <ImageOffset>{b * height * width * item}</ImageOffset>",
                  f"    <PixelOffset>{item}</PixelOffset><LineOffset>{width * item}</LineOffset>",
                  "    <ByteOrder>LSB</ByteOrder>",
                  "  </VRTRasterBand>"]
    lines.append("</VRTDataset>")
    return "\n".join(lines) + "\n"


def geotiff(name, array, dtype_name, bands, srs, geotransform, nodata, creation):
    with tempfile.TemporaryDirectory() as folder:
        raw = os.path.join(folder, name + ".raw")
        array.astype(array.dtype.newbyteorder("<")).tofile(raw)
        description = os.path.join(folder, name + ".vrt")
        with open(description, "w") as f:
            f.write(vrt(raw, array, dtype_name, bands, srs, geotransform, nodata))
        target = os.path.join(OUT, name + ".tif")
        if os.path.exists(target):
            os.remove(target)
        options = sum((["-co", c] for c in creation), [])
        subprocess.run(["gdal_translate", "-q", "-of", "GTiff", *options, description, target], check=True)
    np.save(os.path.join(OUT, name + ".npy"), array)


def sentinel2(rng):
    values = rng.integers(1, 4000, size=(13, 12, 20), dtype=np.uint16)
    values[0:2, 11, 3:6] = 0  # nodata in bands 1 and 2
    bands = [(name, {"wavelength": nm, "wavelength_units": "nm"}) for name, nm in zip(S2_BANDS, S2_NM)]
    geotiff("s2_l1c", values, "UInt16", bands, "EPSG:32633", (399960.0, 10.0, 0.0, 5000040.0, 0.0, -10.0), 0,
            ["TILED=YES", "BLOCKXSIZE=16", "BLOCKYSIZE=16", "COMPRESS=DEFLATE"])


def sar(rng):
    values = rng.gamma(shape=1.5, scale=0.1, size=(2, 16, 24)).astype(np.float32)
    values[1] *= 0.3  # VH is weaker than VV
    values[0, 2, 5] = np.nan
    values[0, 9, 17] = np.nan
    geotiff("sar_vv_vh", values, "Float32", [("VV", {}), ("VH", {})], "EPSG:4326",
            (12.5, 0.0001, 0.0, 41.9, 0.0, -0.0001), "nan", ["COMPRESS=LZW"])


def envi_cube(rng):
    bands, lines, samples = 12, 5, 6
    cube = rng.uniform(0.0, 0.6, size=(bands, lines, samples)).astype(np.float32)
    cube[2, 4, 1] = -9999.0  # data ignore value
    micrometres = [round(0.45 + 0.05 * b, 3) for b in range(bands)]
    names = [f"band {b + 1:02d}" for b in range(bands)]
    # BIL: for each line, every band's samples of that line.
    cube.transpose(1, 0, 2).astype("<f4").tofile(os.path.join(OUT, "cube.img"))
    header = ["ENVI",
              "description = {allspark raster fixture: 12-band float32 cube, BIL}",
              f"samples = {samples}", f"lines = {lines}", f"bands = {bands}",
              "header offset = 0", "file type = ENVI Standard", "data type = 4",
              "interleave = bil", "byte order = 0",
              "band names = {" + ", ".join(names) + "}",
              "wavelength units = Micrometers",
              "wavelength = {" + ", ".join(str(w) for w in micrometres) + "}",
              "data ignore value = -9999"]
    with open(os.path.join(OUT, "cube.hdr"), "w") as f:
        f.write("\n".join(header) + "\n")
    np.save(os.path.join(OUT, "cube.npy"), cube)


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20260101)
    sentinel2(rng)
    sar(rng)
    envi_cube(rng)


if __name__ == "__main__":
    main()
