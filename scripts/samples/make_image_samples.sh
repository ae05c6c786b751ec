#!/usr/bin/env bash
# Writes every sample of the image half (rgb, msi, hsi, sar, infrared, oblique, video):
# real ones with prepare_image_samples.py (see its header for sources and licences), then the
# generated ones with `allspark synth` (same seed, same bytes). Run from the repository root
# after `swift build -c release`; pass the folder of extracted .deb files to skip apt-get:
#   scripts/samples/make_image_samples.sh [ASSETS_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${ALLSPARK:-.build/release/allspark}

python3 scripts/samples/prepare_image_samples.py ${1:+--assets "$1"}

"$BIN" synth rgb      --count 8  --seed 7 --out samples/rgb
"$BIN" synth msi      --count 10 --seed 7 --out samples/msi
"$BIN" synth hsi      --count 9  --seed 7 --out samples/hsi
"$BIN" synth sar      --count 10 --seed 7 --out samples/sar
"$BIN" synth infrared --count 4  --seed 7 --out samples/infrared
"$BIN" synth oblique  --count 3  --seed 7 --out samples/oblique
"$BIN" synth video    --count 6  --seed 7 --out samples/video
