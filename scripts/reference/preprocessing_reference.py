"""Expected values for ImagesPreprocessingTests, computed with numpy independently of the Swift code.

Bilinear resize with half-pixel centres (OpenCV INTER_LINEAR / torch align_corners=False, no
antialias): written here as a matrix product out = Ry @ img @ Rx^T with interpolation matrices.
Run: python3 scripts/reference/preprocessing_reference.py
"""
import numpy as np


def interpolation_matrix(out_size, in_size):
    m = np.zeros((out_size, in_size))
    for i in range(out_size):
        p = (i + 0.5) * in_size / out_size - 0.5
        p = min(max(p, 0.0), in_size - 1)
        i0 = int(np.floor(p)); i1 = min(i0 + 1, in_size - 1); w = p - i0
        m[i, i0] += 1 - w
        m[i, i1] += w
    return m


def resize(img, h, w):
    return np.stack([interpolation_matrix(h, img.shape[1]) @ c @ interpolation_matrix(w, img.shape[2]).T for c in img])


def show(name, a):
    print(name, "=", "[" + ", ".join("%.6f" % v for v in np.asarray(a).reshape(-1)) + "]")


# A 2-channel 3 x 4 image: channel 0 = i*4 + j squared / 10, channel 1 = sin(i + 2j).
i, j = np.meshgrid(np.arange(3), np.arange(4), indexing="ij")
img = np.stack([(i * 4 + j) ** 2 / 10.0, np.sin(i + 2 * j)])
show("up5x7", resize(img, 5, 7))
show("down2x3", resize(img, 2, 3))

# SAR decibels of [0, 1e-8, 0.01, 0.5, 1, 3] with floor 1e-6 and the 40 dB normalisation.
mag = np.array([0, 1e-8, 0.01, 0.5, 1, 3], dtype=np.float64)
db = 20 * np.log10(np.maximum(mag, 1e-6))
show("decibels", db)
show("normalised40", np.clip((db - db.max() + 40) / 40, 0, 1))

# Channel statistics of the 2-channel image.
show("mean", img.reshape(2, -1).mean(axis=1))
show("std", img.reshape(2, -1).std(axis=1))
