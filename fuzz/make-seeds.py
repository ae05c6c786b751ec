#!/usr/bin/env python3
"""Writes fuzz/corpus/: small real files copied from samples/, configs/, prompts/ and
Tests/Fixtures/, and small synthetic files (written here with numpy, zlib and libjpeg) for the
formats whose real files are too large to fuzz well (GGUF, safetensors, Y4M, PLY, PNG, JPEG, NPZ).
Every synthetic file is valid: the fuzzer mutates from accepted inputs. Run from the repository
root; it rewrites the corpus folders it fills."""
import io, os, shutil, struct, subprocess, tempfile, zipfile, zlib
import numpy as np

ROOT = "fuzz/corpus"


def put(target, name, data):
    os.makedirs(f"{ROOT}/{target}", exist_ok=True)
    with open(f"{ROOT}/{target}/{name}", "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def copy(target, path, name=None, lines=None):
    data = open(path, "rb").read()
    if lines is not None:
        data = b"".join(data.splitlines(keepends=True)[:lines])
    put(target, name or os.path.basename(path), data)


# --- GGUF (llama.cpp's gguf.h layout, version 3 and 2) -------------------------------------
def gguf_string(s):
    b = s.encode()
    return struct.pack("<Q", len(b)) + b


def gguf(version, alignment, metadata, tensors):
    """metadata: [(key, type id, payload bytes)]; tensors: [(name, dims, ggml type, data)]."""
    out = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(metadata))
    for key, vtype, payload in metadata:
        out += gguf_string(key) + struct.pack("<I", vtype) + payload
    offset, blobs = 0, b""
    for name, dims, gtype, data in tensors:
        out += gguf_string(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", gtype, offset)
        pad = (-len(data)) % alignment
        blobs += data + b"\0" * pad
        offset += len(data) + pad
    out += b"\0" * ((-len(out)) % alignment)
    return out + blobs


def q8_0(values):  # 32 values per block: f16 scale, 32 int8
    scale = max(abs(v) for v in values) / 127 or 1
    return np.float16(scale).tobytes() + np.round(np.array(values) / scale).astype(np.int8).tobytes()


def q4_0(values):  # f16 scale, 16 bytes of 4-bit codes (low nibbles: first half)
    scale = max(abs(v) for v in values) / 8 or 1
    codes = np.clip(np.round(np.array(values) / scale) + 8, 0, 15).astype(np.uint8)
    return np.float16(scale).tobytes() + (codes[:16] | (codes[16:] << 4)).tobytes()


def q4_1(values):  # f16 scale, f16 minimum, 16 bytes of 4-bit codes
    lo, hi = min(values), max(values)
    scale = (hi - lo) / 15 or 1
    codes = np.clip(np.round((np.array(values) - lo) / scale), 0, 15).astype(np.uint8)
    return np.float16(scale).tobytes() + np.float16(lo).tobytes() + (codes[:16] | (codes[16:] << 4)).tobytes()


ramp = [i / 8 - 2 for i in range(32)]
u32 = lambda v: struct.pack("<I", v)
meta = [
    ("general.architecture", 8, gguf_string("llama")),
    ("general.alignment", 4, u32(32)),
    ("llama.context_length", 4, u32(64)),
    ("llama.rope.freq_base", 6, struct.pack("<f", 10000.0)),
    ("general.file_type", 4, u32(3)),
    ("tokenizer.ggml.tokens", 9, u32(8) + struct.pack("<Q", 3) + gguf_string("a") + gguf_string("b") + gguf_string("<s>")),
    ("tokenizer.ggml.scores", 9, u32(6) + struct.pack("<Q", 3) + struct.pack("<3f", 0, -1, -2)),
    ("tokenizer.ggml.add_bos_token", 7, b"\x01"),
    ("test.values", 9, u32(9) + struct.pack("<Q", 2) + u32(0) + struct.pack("<Q", 2) + b"\x01\x02" + u32(10) + struct.pack("<Q", 1) + struct.pack("<Q", 7)),
    ("test.scalars.u8", 0, b"\x07"), ("test.scalars.i8", 1, b"\xff"), ("test.scalars.u16", 2, struct.pack("<H", 7)),
    ("test.scalars.i16", 3, struct.pack("<h", -7)), ("test.scalars.i32", 5, struct.pack("<i", -7)),
    ("test.scalars.u64", 10, struct.pack("<Q", 7)), ("test.scalars.i64", 11, struct.pack("<q", -7)),
    ("test.scalars.f64", 12, struct.pack("<d", 0.5)),
]
tensors = [
    ("token_embd.weight", [4, 2], 0, np.arange(8, dtype=np.float32).tobytes()),
    ("output_norm.weight", [8], 1, np.linspace(-1, 1, 8).astype(np.float16).tobytes()),
    ("blk.0.attn_q.weight", [32, 1], 8, q8_0(ramp)),
    ("blk.0.attn_k.weight", [32], 2, q4_0(ramp)),
    ("blk.0.ffn_up.weight", [32, 1, 1, 1], 3, q4_1(ramp)),
]
put("gguf", "tensors-v3.gguf", gguf(3, 32, meta, tensors))
put("gguf", "f32-v2.gguf", gguf(2, 32, meta[:1], tensors[:1]))
put("gguf", "align64.gguf", gguf(3, 64, [("general.alignment", 4, u32(64))], tensors[1:3]))
put("gguf", "empty.gguf", gguf(3, 32, [], []))

# --- tokenizer: GGUF metadata of a byte-level BPE vocabulary (GPT-2's byte-to-unicode map) -------
def byte_chars():
    keep = list(range(33, 127)) + list(range(161, 173)) + list(range(174, 256))
    out, extra = {}, 0
    for b in range(256):
        if b in keep:
            out[b] = chr(b)
        else:
            out[b] = chr(256 + extra)
            extra += 1
    return [out[b] for b in range(256)]


def gguf_strings(items):
    return struct.pack("<IQ", 8, len(items)) + b"".join(gguf_string(x) for x in items)


def gguf_i32s(items):
    return struct.pack("<IQ", 5, len(items)) + b"".join(struct.pack("<i", x) for x in items)


base = byte_chars()
merges = ["H e", "l l", "He ll", "o ,", "Ġ w", "Ġw ö"]
vocab = base + ["He", "ll", "Hell", "o,", "Ġw", "Ġwö", "<|im_start|>", "<|im_end|>"]
types = [1] * (len(vocab) - 2) + [3, 3]
tok_meta = [("tokenizer.ggml.model", 8, gguf_string("gpt2")), ("tokenizer.ggml.pre", 8, gguf_string("smollm")),
            ("tokenizer.ggml.tokens", 9, gguf_strings(vocab)), ("tokenizer.ggml.merges", 9, gguf_strings(merges)),
            ("tokenizer.ggml.token_type", 9, gguf_i32s(types)),
            ("tokenizer.ggml.bos_token_id", 4, u32(len(vocab) - 2)), ("tokenizer.ggml.eos_token_id", 4, u32(len(vocab) - 1))]
put("tokenizer", "byte-bpe.gguf", gguf(3, 32, tok_meta, []))
put("tokenizer", "byte-bpe-gpt2-pre.gguf", gguf(3, 32, tok_meta[:1] + [("tokenizer.ggml.pre", 8, gguf_string("gpt2"))] + tok_meta[2:4], []))

# --- sidecar: band descriptions beside a 4-band array --------------------------------------------
put("sidecar", "names-and-wavelengths.json", b'{"bands": ["B2", "B3", "B4", "B8"], "wavelengths": [490, 560, 665, 842]}')
put("sidecar", "names-only.json", b'{"bands": ["blue", "green", "red", "nir"]}')

# --- safetensors ------------------------------------------------------------------------
def safetensors(entries, metadata=None):
    import json
    header, data = {}, b""
    if metadata is not None:
        header["__metadata__"] = metadata
    for name, dtype, shape, blob in entries:
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(blob)]}
        data += blob
    text = json.dumps(header).encode()
    text += b" " * ((-len(text)) % 8)
    return struct.pack("<Q", len(text)) + text + data


put("safetensors", "mixed.safetensors", safetensors([
    ("encoder.proj.weight", "F32", [2, 3], np.arange(6, dtype=np.float32).tobytes()),
    ("encoder.proj.bias", "F16", [4], np.array([1, -1, 0.5, 2], dtype=np.float16).tobytes()),
    ("head.scale", "BF16", [2], (np.array([1.0, -2.0], dtype=np.float32).view(np.uint32) >> 16).astype(np.uint16).tobytes()),
    ("step", "I64", [], struct.pack("<q", 42)),
    ("mask", "U8", [3], b"\x00\x01\x01"),
], metadata={"format": "pt", "allspark.step": "42"}))
put("safetensors", "empty.safetensors", safetensors([], metadata={}))
put("safetensors", "scalar-f64.safetensors", safetensors([("x", "F64", [1, 1], struct.pack("<d", 3.5))]))

# --- JSON (SparkFormats' parser) ----------------------------------------------------------
mixed = open(f"{ROOT}/safetensors/mixed.safetensors", "rb").read()
put("json", "header.json", mixed[8:8 + struct.unpack("<Q", mixed[:8])[0]])
put("json", "values.json", '{"a": [1, -2.5e-3, 1E+10, 0], "s": "tab\\t quote\\" \\u00e9 \\ud83d\\ude00", "t": true, "f": false, "n": null, "o": {}}')
put("json", "nested.json", "[[[[{\"k\": [[]]}]]]]")

# --- NPY and NPZ --------------------------------------------------------------------------
def npy(array, version=None, fortran=False):
    buffer = io.BytesIO()
    if version is None:
        np.lib.format.write_array(buffer, np.asfortranarray(array) if fortran else array)
    else:
        np.lib.format.write_array(buffer, array, version=version)
    return buffer.getvalue()


arrays = {
    "f4-2x3.npy": np.arange(6, dtype="<f4").reshape(2, 3),
    "f8-big-endian.npy": np.array([1.5, -2.0, 3.25], dtype=">f8"),
    "u1-3d.npy": np.arange(24, dtype="u1").reshape(2, 3, 4),
    "u2.npy": np.array([0, 1000, 65535], dtype="<u2"),
    "i2.npy": np.array([-3, 0, 7], dtype="<i2"),
    "i4.npy": np.array([[1, 2], [3, 4]], dtype="<i4"),
    "i8-scalar.npy": np.array(7, dtype="<i8"),
    "bool.npy": np.array([True, False, True]),
    "c8.npy": np.array([1 + 2j, -0.5j], dtype="<c8"),
    "empty.npy": np.zeros((0, 3), dtype="<f4"),
}
for name, array in arrays.items():
    put("npy", name, npy(array))
put("npy", "fortran.npy", npy(np.arange(6, dtype="<f4").reshape(2, 3), fortran=True))
put("npy", "version2.npy", npy(np.arange(4, dtype="<f4"), version=(2, 0)))
copy("npy", "samples/hsi/synth_hsi_00.npy")
copy("npy", "samples/msi/test-satellite_1865.npy")


def npz(members, compressed):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED if compressed else zipfile.ZIP_STORED) as archive:
        for name, array in members.items():
            archive.writestr(name + ".npy", npy(array))
    return buffer.getvalue()


small = {"a": np.arange(6, dtype="<f4").reshape(2, 3), "b": np.array([1, 2, 3], dtype="<i8")}
put("npz", "stored.npz", npz(small, compressed=False))
put("npz", "deflated.npz", npz(small, compressed=True))
put("npz", "one-member.npz", npz({"x": np.array([True, False])}, compressed=True))

# --- the traffic graph's NPZ and distance CSV --------------------------------------------------
copy("graph-npz", "samples/graph/auckland/test-auckland-2025-01-02.npz")
ids = np.array([701565, 704070, 705430, 706747, 708511, 711370, 712283, 714996], dtype="<i8")
series = np.abs(np.sin(np.arange(12 * 8 * 2)).reshape(12, 8, 2) * 60).astype("<f4")
put("graph-npz", "calendar.npz", npz({"data": series, "time_of_day": (np.arange(12) / 288).astype("<f4"),
                                      "day_of_week": np.full(12, 3, dtype="<i8"), "sensor_ids": ids}, compressed=True))
put("graph-npz", "start-interval.npz", npz({"data": series[:, :, :1].astype("<f8"), "start": np.array(1325376000, dtype="<i8"),
                                            "interval_minutes": np.array([5.0])}, compressed=False))
chosen = set(str(i) for i in ids)
rows = open("samples/graph/distances.csv").read().splitlines()
put("graph-csv", "sensor-ids.csv", "\n".join([rows[0]] + [r for r in rows[1:] if set(r.split(",")[:2]) <= chosen]) + "\n")
auckland = open("samples/graph/auckland/distances.csv").read().splitlines()
put("graph-csv", "node-index.csv", "\n".join([auckland[0]] + [r for r in auckland[1:] if all(int(x) < 8 for x in r.split(",")[:2])]) + "\n")

# --- PNG: one per colour type and depth, one interlaced; plus a real one ----------------------------
def png(width, height, colour, depth, rows, palette=None, trns=None, interlace=0):
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, interlace))
    if palette:
        out += chunk(b"PLTE", palette)
    if trns:
        out += chunk(b"tRNS", trns)
    out += chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + r for r in rows)))
    return out + chunk(b"IEND", b"")


w = h = 4
put("png", "gray8.png", png(w, h, 0, 8, [bytes(range(y * 16, y * 16 + 4)) for y in range(h)]))
put("png", "gray16.png", png(w, h, 0, 16, [np.arange(4, dtype=">u2").tobytes() * 1 for _ in range(h)]))
put("png", "rgb8.png", png(w, h, 2, 8, [bytes(range(12)) for _ in range(h)]))
put("png", "rgba8.png", png(w, h, 6, 8, [bytes(range(16)) for _ in range(h)]))
put("png", "gray-alpha8.png", png(w, h, 4, 8, [bytes(range(8)) for _ in range(h)]))
put("png", "rgb16.png", png(2, 2, 2, 16, [bytes(range(12)) for _ in range(2)]))
put("png", "palette-trns.png", png(w, h, 3, 2, [b"\x1b" for _ in range(h)], palette=bytes([255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9]), trns=b"\x00\xff"))
put("png", "interlaced.png", png(1, 1, 0, 8, [b"\x80"], interlace=1))
copy("png", "samples/infrared/synth_ir_00/query.png", "infrared-query.png")

# --- JPEG: libjpeg writes gray, 4:2:0 colour and progressive; plus two real photos -------------------
encoder = r"""
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>
int main(int argc, char **argv) {
    int w = atoi(argv[2]), h = atoi(argv[3]), comps = atoi(argv[4]), progressive = atoi(argv[5]);
    struct jpeg_compress_struct c; struct jpeg_error_mgr e;
    c.err = jpeg_std_error(&e); jpeg_create_compress(&c);
    FILE *f = fopen(argv[1], "wb"); jpeg_stdio_dest(&c, f);
    c.image_width = w; c.image_height = h; c.input_components = comps;
    c.in_color_space = comps == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&c); jpeg_set_quality(&c, 50, TRUE);
    if (progressive) jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    unsigned char row[64 * 3];
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w * comps; x++) row[x] = (unsigned char)(x * 7 + y * 13);
        JSAMPROW r = row; jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c); fclose(f); return 0;
}
"""
with tempfile.TemporaryDirectory() as scratch:
    source, binary = f"{scratch}/enc.c", f"{scratch}/enc"
    open(source, "w").write(encoder)
    subprocess.run(["cc", source, "-o", binary, "-ljpeg"], check=True)
    for name, args in {"gray-8x8.jpg": "8 8 1 0", "rgb-16x16.jpg": "16 16 3 0", "progressive-24x8.jpg": "24 8 3 1"}.items():
        os.makedirs(f"{ROOT}/jpeg", exist_ok=True)
        subprocess.run([binary, f"{ROOT}/jpeg/{name}"] + args.split(), check=True)
copy("jpeg", "samples/rgb/rocket_launch.jpg")
copy("jpeg", "samples/rgb/aerial_town_blocks.jpg")

# --- PLY, ascii and binary -----------------------------------------------------------------
cube = [(x, y, z) for x in (0, 1) for y in (0, 1) for z in (0, 1)]
faces = [(0, 1, 3, 2), (4, 6, 7, 5), (0, 4, 5, 1), (2, 3, 7, 6), (0, 2, 6, 4), (1, 5, 7, 3)]
put("ply", "cube-ascii.ply", "ply\nformat ascii 1.0\ncomment a unit cube\nelement vertex 8\nproperty float x\nproperty float y\nproperty float z\n"
    "property uchar red\nproperty uchar green\nproperty uchar blue\nelement face 6\nproperty list uchar int vertex_indices\nend_header\n"
    + "".join(f"{x} {y} {z} {x*255} {y*255} {z*255}\n" for x, y, z in cube) + "".join(f"4 {' '.join(map(str, f))}\n" for f in faces))
header = ("ply\nformat binary_little_endian 1.0\nelement vertex 8\nproperty float x\nproperty float y\nproperty float z\n"
          "property float nx\nproperty float ny\nproperty float nz\nelement face 6\nproperty list uchar uint vertex_index\n"
          "element edge 1\nproperty int vertex1\nproperty int vertex2\nend_header\n").encode()
body = b"".join(struct.pack("<6f", x, y, z, x - .5, y - .5, z - .5) for x, y, z in cube)
body += b"".join(struct.pack("<B4I", 4, *f) for f in faces) + struct.pack("<2i", 0, 1)
put("ply", "cube-binary.ply", header + body)
header = ("ply\nformat binary_little_endian 1.0\nelement vertex 4\nproperty double x\nproperty double y\nproperty double z\n"
          "property short intensity\nproperty char label\nproperty ushort u16\nproperty int8 i8\nproperty uint32 u32\nend_header\n").encode()
put("ply", "points-binary.ply", header + b"".join(struct.pack("<3dhbHbI", i, -i, 2 * i, i * 100, -i, i, i, i) for i in range(4)))
put("ply", "big-endian.ply", "ply\nformat binary_big_endian 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n".encode() + struct.pack(">3f", 1, 2, 3))

# --- OFF, XYZ --------------------------------------------------------------------------------
copy("off", "samples/pointcloud/cube.off")
put("off", "counts-on-keyword.off", "OFF 4 2 0\n0 0 0\n1 0 0\n0 1 0\n0 0 1  # apex\n3 0 1 2\n3 0 1 3 255 0 0\n")
put("off", "coff.off", "COFF\n# coloured\n3 1 0\n0 0 0 255 0 0 255\n1 0 0 0 255 0 255\n0 1 0 0 0 255 255\n3 0 1 2\n")
put("off", "noff.off", "NOFF\n3 1 3\n0 0 0 0 0 1\n1 0 0 0 0 1\n0 1 0 0 0 1\n3 0 1 2\n")
put("off", "cnoff.off", "CNOFF\n2 0 0\n0 0 0 0 0 1 1 0 0 1\n1 1 1 0 1 0 0 1 0 1\n")
copy("xyz", "samples/pointcloud/sphere_1k.xyz", "sphere-head.xyz", lines=40)
put("xyz", "normals-commas.txt", "# x,y,z,nx,ny,nz\n0,0,1,0,0,1\n1,0,0,1,0,0\n0,1,0,0,1,0\n\n-1,0,0,-1,0,0\n")

# --- LAS: laspy-written fixtures (scripts/reference/make_las_fixtures.py), 1 to 2.2 KB each -----
copy("las", "Tests/Fixtures/las/las12-format0.las")
copy("las", "Tests/Fixtures/las/las12-format3-rgb.las")
copy("las", "Tests/Fixtures/las/las14-format7-rgb.las")

# --- GeoTIFF, ENVI and video: the GDAL and FFmpeg readers' own fixtures and a real sample --------
copy("geotiff", "Tests/Fixtures/rasters/s2_l1c.tif")       # 13-band uint16, tiled, DEFLATE, UTM
copy("geotiff", "Tests/Fixtures/rasters/sar_vv_vh.tif")    # float32, NaN nodata
copy("geotiff", "samples/msi/test-satellite_3797.tif")     # real Statlog pixels, 4 bands
copy("envi", "Tests/Fixtures/rasters/cube.hdr")            # 12 bands × 5 × 6 float32: 1,440 bytes
for name in ["counter.mp4", "counter.avi", "counter.mkv", "counter.webm"]:
    copy("video", "Tests/Fixtures/video/" + name)          # 32 × 24, 10 frames, four containers

# --- CSV, spectra, trajectories, cameras -------------------------------------------------------------
copy("csv", "samples/table/airquality.csv")
copy("csv", "samples/table/test-prsa.csv", "prsa-head.csv", lines=30)
put("csv", "quoted.csv", 'name,value,"note, with comma"\n"a ""quoted"" name",1.5,NA\nb,,"multi\nline"\nc,-3e2,\n')
copy("spectrum", "samples/hsi/synth_hsi_01.csv")
put("spectrum", "column.csv", "wavelength,reflectance\n400,0.1\n450,0.2\n500;0.3\n")
put("spectrum", "row.csv", "0.1 0.2\t0.3 0.4\n")
copy("eth", "samples/trajectory/social-force-002-plaza.txt", "plaza-head.txt", lines=60)
put("eth", "tabs.txt", "0\t1\t1.5\t-2.0\n0\t2\t3.0\t4.0\n10\t1\t1.6\t-1.9\n10\t2\t3.1\t4.1\n")
copy("cam", "samples/oblique/synth_oblique_00/view0_cam.txt")
copy("cam", "samples/oblique/synth_oblique_00/view1_cam.txt")

# --- Y4M --------------------------------------------------------------------------------------
def y4m(header, w, h, chroma_w, chroma_h, frames):
    out = (header + "\n").encode()
    for f in range(frames):
        out += b"FRAME\n" + bytes((i + f) % 256 for i in range(w * h)) + bytes([128]) * (2 * chroma_w * chroma_h)
    return out


put("y4m", "420jpeg.y4m", y4m("YUV4MPEG2 W8 H8 F25:1 Ip A1:1 C420jpeg XYSCSS=420JPEG", 8, 8, 4, 4, 2))
put("y4m", "444-full.y4m", y4m("YUV4MPEG2 W4 H2 F30000:1001 C444 XCOLORRANGE=FULL", 4, 2, 4, 2, 1))
put("y4m", "420mpeg2-odd.y4m", y4m("YUV4MPEG2 W5 H3 F1:1 C420mpeg2 It", 5, 3, 3, 2, 1))
put("y4m", "420paldv-default.y4m", y4m("YUV4MPEG2 W4 H4 F24:1 C420paldv", 4, 4, 2, 2, 1) + b"FRAME XIGNORED\n" + bytes(24))

# --- configuration and prompts -----------------------------------------------------------------
copy("config", "configs/allspark-tiny.json")
copy("config", "configs/allspark-paper.json")
copy("prompts", "prompts/rgb.txt")
copy("prompts", "prompts/table.txt")

# --- ONNX (protobuf, written field by field as the Swift test does) ---------------------------
def pb_varint(value):
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def pb_int(field, value):
    return pb_varint(field << 3) + pb_varint(value)


def pb_bytes(field, data):
    return pb_varint(field << 3 | 2) + pb_varint(len(data)) + data


def onnx_tensor(name, dims, data_type, raw=None, floats=None):
    out = b"".join(pb_int(1, d) for d in dims) + pb_int(2, data_type) + pb_bytes(8, name.encode())
    if raw is not None:
        out += pb_bytes(9, raw)
    if floats is not None:
        out += pb_bytes(4, struct.pack(f"<{len(floats)}f", *floats))
    return out


def onnx_value(name, elem_type, dims):
    dimensions = b"".join(pb_bytes(1, pb_int(1, d) if isinstance(d, int) else pb_bytes(2, d.encode())) for d in dims)
    tensor_type = pb_int(1, elem_type) + pb_bytes(2, dimensions)
    return pb_bytes(1, name.encode()) + pb_bytes(2, pb_bytes(1, tensor_type))


def onnx_model(nodes, initialisers, inputs, outputs, opset=14):
    graph = b"".join(pb_bytes(1, n) for n in nodes) + pb_bytes(2, b"seed")
    graph += b"".join(pb_bytes(5, t) for t in initialisers)
    graph += b"".join(pb_bytes(11, v) for v in inputs) + b"".join(pb_bytes(12, v) for v in outputs)
    return pb_int(1, 7) + pb_bytes(2, b"pytorch") + pb_bytes(8, pb_int(2, opset)) + pb_bytes(7, graph)


def onnx_node(name, op, inputs, outputs):
    return b"".join(pb_bytes(1, i.encode()) for i in inputs) + b"".join(pb_bytes(2, o.encode()) for o in outputs) \
        + pb_bytes(3, name.encode()) + pb_bytes(4, op.encode())


put("onnx", "matmul.onnx", onnx_model(
    [onnx_node("/backbone/encoder/layer.0/mlp/fc1/MatMul", "MatMul", ["x", "onnx::MatMul_7"], ["y"]),
     onnx_node("/Add", "Add", ["y", "b"], ["z"])],
    [onnx_tensor("onnx::MatMul_7", [2, 3], 1, raw=struct.pack("<6f", 1, 2, 3, 4, 5, 6)),
     onnx_tensor("b", [3], 1, floats=[0.5, -0.5, 0.25]),
     onnx_tensor("h", [2, 2], 10, raw=struct.pack("<4e", 1, -2, 0.5, 65504))],
    [onnx_value("x", 1, ["batch", 2])], [onnx_value("z", 1, ["batch", 3])]))
put("onnx", "empty-graph.onnx", onnx_model([], [], [], []))
