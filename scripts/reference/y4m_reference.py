"""Expected RGB values for ImagesY4MTests: BT.601 Y'CbCr -> R'G'B' with bilinear chroma
upsampling from the sample positions of each Y4M chroma siting, written with numpy independently
of the Swift code (np.interp per axis; np.interp repeats the edge samples, as the loader does).

Run: python3 scripts/reference/y4m_reference.py
"""
import numpy as np

KR, KB = 0.299, 0.114
KG = 1 - KR - KB


def upsample(plane, width, height, off_x, off_y):
    ch, cw = plane.shape
    xs = np.arange(width, dtype=np.float64)
    ys = np.arange(height, dtype=np.float64)
    cx = 2 * np.arange(cw) + off_x       # luma coordinates of chroma samples
    cy = 2 * np.arange(ch) + off_y
    rows = np.array([np.interp(xs, cx, plane[j].astype(np.float64)) for j in range(ch)])      # ch x W
    return np.array([np.interp(ys, cy, rows[:, i]) for i in range(width)]).T                    # H x W


def to_rgb(y, cb, cr, full):
    if full:
        yn, pb, pr = y / 255.0, (cb - 128) / 255.0, (cr - 128) / 255.0
    else:
        yn, pb, pr = (y - 16) / 219.0, (cb - 128) / 224.0, (cr - 128) / 224.0
    r = yn + 2 * (1 - KR) * pr
    g = yn - 2 * KB * (1 - KB) / KG * pb - 2 * KR * (1 - KR) / KG * pr
    b = yn + 2 * (1 - KB) * pb
    return np.clip(np.stack([r, g, b]), 0, 1)


def show(name, rgb):
    print(name, "=", "[" + ", ".join("%.6f" % v for v in rgb.reshape(-1)) + "]")


# 4:4:4, 2 x 2, limited range
y = np.array([[16, 235], [81, 145]], float)
cb = np.array([[128, 128], [90, 200]], float)
cr = np.array([[128, 128], [240, 60]], float)
show("c444Limited", to_rgb(y, cb, cr, False))
show("c444Full", to_rgb(y, cb, cr, True))

# 4:2:0, 4 x 4
y = np.array([[20, 60, 100, 140], [40, 80, 120, 160], [60, 100, 140, 180], [80, 120, 160, 200]], float)
cb = np.array([[100, 150], [120, 200]], float)
cr = np.array([[128, 60], [200, 90]], float)
show("c420jpeg", to_rgb(y, upsample(cb, 4, 4, 0.5, 0.5), upsample(cr, 4, 4, 0.5, 0.5), False))
show("c420mpeg2", to_rgb(y, upsample(cb, 4, 4, 0.0, 0.5), upsample(cr, 4, 4, 0.0, 0.5), False))
show("c420paldv", to_rgb(y, upsample(cb, 4, 4, 0.0, 1.0), upsample(cr, 4, 4, 0.0, 0.0), False))
