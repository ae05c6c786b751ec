#!/usr/bin/env bash
# Writes the MP4, AVI, MKV and WebM samples of samples/video/ from OpenCV's vtest.avi (Debian opencv-doc
# 4.6.0+dfsg-12, /usr/share/doc/opencv-doc/examples/data/; Apache-2.0 AND BSD-3-Clause per the
# package's copyright file, "Files: *"), with the ffmpeg command line (5.1.9, Debian 12, wrote the
# committed files), so that the FFmpeg-backed video loader has real files to read:
#
#   samples/video/vtest_plaza.mp4   2 s from t = 8 s, scaled to 320 × 240, H.264 (libx264,
#       CRF 26, a keyframe every 10 frames), yuv420p, moov first (+faststart), no audio
#   samples/video/vtest_plaza.avi   2 s from t = 12 s, scaled to 320 × 240, re-encoded in the
#       source's own codec (MS-MPEG-4 v3, "DivX 3"), in an AVI like the source
#   samples/video/vtest_plaza.mkv   2 s from t = 16 s, 320 × 240, H.264 in Matroska
#   samples/video/vtest_plaza.webm  2 s from t = 20 s, 320 × 240, VP9 (libvpx-vp9, CRF 40) in WebM
#
# vtest.avi is 768 × 576 at 10 fps and 79.5 s long; the Y4M clips beside these (vtest_plaza_a/b,
# from 0 s and 4 s) come from scripts/samples/prepare_image_samples.py. Each file gets an
# index.json entry (source, licence, title); then SOURCES.md is rewritten.
#
# Run from the repository root; pass the folder where opencv-doc's .deb was extracted
# (dpkg-deb -x) to skip apt-get download:
#   scripts/make-video-samples.sh [ASSETS_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

ASSETS=${1:-}
if [[ -z $ASSETS ]]; then
    (cd "$WORK" && apt-get download opencv-doc=4.6.0+dfsg-12 >/dev/null)
    dpkg-deb -x "$WORK"/opencv-doc_*.deb "$WORK/x"
    ASSETS="$WORK/x"
fi
SOURCE="$ASSETS/usr/share/doc/opencv-doc/examples/data/vtest.avi"
echo "45cddc9490be69345cbdab64ca583be65987e864ca408038e648db99e10516cf  $SOURCE" | sha256sum --check --quiet

ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
# One thread and no metadata: the same ffmpeg writes the same bytes.
exact=(-map_metadata -1 -fflags +bitexact -flags:v +bitexact -threads 1)
ff -ss 8 -t 2 -i "$SOURCE" -an -vf scale=320:240:flags=area \
   -c:v libx264 -preset medium -crf 26 -g 10 -pix_fmt yuv420p -movflags +faststart "${exact[@]}" samples/video/vtest_plaza.mp4
ff -ss 12 -t 2 -i "$SOURCE" -an -vf scale=320:240:flags=area \
   -c:v msmpeg4 -q:v 5 -g 10 "${exact[@]}" samples/video/vtest_plaza.avi
ff -ss 16 -t 2 -i "$SOURCE" -an -vf scale=320:240:flags=area \
   -c:v libx264 -preset medium -crf 26 -g 10 -pix_fmt yuv420p "${exact[@]}" samples/video/vtest_plaza.mkv
ff -ss 20 -t 2 -i "$SOURCE" -an -vf scale=320:240:flags=area \
   -c:v libvpx-vp9 -crf 40 -b:v 0 -g 10 -pix_fmt yuv420p "${exact[@]}" samples/video/vtest_plaza.webm
ls -l samples/video/vtest_plaza.*

python3 - <<'PY'
import json

LICENCE = "Apache-2.0 AND BSD-3-Clause (OpenCV samples/data, per Debian opencv-doc copyright)"
path = "samples/video/index.json"
text = open(path, encoding="utf-8").read()
entries = json.loads(text)["samples"]
new = [
    {"file": "vtest_plaza.mp4", "generated": False, "licence": LICENCE,
     "source": "Debian opencv-doc: vtest.avi, 2 s from t = 8 s, scaled to 320x240, H.264 MP4 (scripts/make-video-samples.sh)",
     "title": "pedestrians crossing a plaza (MP4, from 8 s)"},
    {"file": "vtest_plaza.avi", "generated": False, "licence": LICENCE,
     "source": "Debian opencv-doc: vtest.avi, 2 s from t = 12 s, scaled to 320x240, MS-MPEG-4 v3 AVI (scripts/make-video-samples.sh)",
     "title": "pedestrians crossing a plaza (AVI, from 12 s)"},
    {"file": "vtest_plaza.mkv", "generated": False, "licence": LICENCE,
     "source": "Debian opencv-doc: vtest.avi, 2 s from t = 16 s, scaled to 320x240, H.264 Matroska (scripts/make-video-samples.sh)",
     "title": "pedestrians crossing a plaza (MKV, from 16 s)"},
    {"file": "vtest_plaza.webm", "generated": False, "licence": LICENCE,
     "source": "Debian opencv-doc: vtest.avi, 2 s from t = 20 s, scaled to 320x240, VP9 WebM (scripts/make-video-samples.sh)",
     "title": "pedestrians crossing a plaza (WebM, from 20 s)"},
]
names = {e["file"] for e in new}
entries = [e for e in entries if e["file"] not in names]
# After the real Y4M clips, before the generated ones.
at = max((i + 1 for i, e in enumerate(entries) if not e["generated"]), default=0)
entries[at:at] = new
ascii_only = all(ord(c) < 128 for c in text)
with open(path, "w", encoding="utf-8") as f:
    f.write(json.dumps({"samples": entries}, indent=2, sort_keys=True, ensure_ascii=ascii_only) + "\n")
PY
python3 scripts/make_sources_md.py
