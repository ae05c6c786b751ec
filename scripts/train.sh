#!/usr/bin/env bash
# Reproduces the committed checkpoints from scratch (make train): generates the data with
# `allspark synth` (fixed seeds, so the same bytes), trains each modality with the command and
# options recorded in weights/README.md, evaluates on a separate generated test split, and writes
# the F16 copy under weights/. Slow: weights/README.md gives each modality's wall time on a 2-core
# machine (about 35 minutes for rgb, 15–20 for each of the others).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/allspark}
MODALITIES=${MODALITIES:-rgb trajectory graph msi oblique hsi pointcloud video}

synth() {  # synth MODALITY SPLIT COUNT SEED
    local dir="data/generated/$1/$2"
    [ -f "$dir/index.json" ] || "$BIN" synth "$1" --count "$3" --seed "$4" --out "$dir" >/dev/null
}

synth_days() {  # synth_days MODALITY SPLIT COUNT FIRST SEED: a later stretch of the same series
    local dir="data/generated/$1/$2"
    [ -f "$dir/index.json" ] || "$BIN" synth "$1" --count "$3" --first "$4" --seed "$5" --out "$dir" >/dev/null
}

for modality in $MODALITIES; do
    case $modality in
        rgb)
            synth rgb train 960 101; synth rgb val 160 202; synth rgb test 160 303
            "$BIN" train --modality rgb --data data/generated/rgb/train --validation-data data/generated/rgb/val \
                --out runs/rgb --epochs 3 --warmup 1 --lr 1e-3 --batch 8 --seed 1
            ;;
        trajectory)
            synth trajectory train 400 101; synth trajectory val 100 202; synth trajectory test 100 303
            "$BIN" train --modality trajectory --data data/generated/trajectory/train \
                --validation-data data/generated/trajectory/val --out runs/trajectory --epochs 6 --warmup 1 --lr 5e-4 --batch 8 --seed 1
            ;;
        graph)
            # One road network (seed 101), split by day as traffic data sets are: days 0–479 train,
            # 480–575 validation, 576–671 test.
            synth graph train 480 101; synth_days graph val 96 480 101; synth_days graph test 96 576 101
            "$BIN" train --modality graph --data data/generated/graph/train --validation-data data/generated/graph/val \
                --out runs/graph --epochs 5 --warmup 1 --lr 5e-4 --batch 8 --seed 1
            ;;
        video)
            synth video train 480 101; synth video val 96 202; synth video test 96 303
            "$BIN" train --modality video --data data/generated/video/train --validation-data data/generated/video/val \
                --out runs/video --epochs 4 --warmup 1 --lr 5e-4 --batch 8 --seed 1
            ;;
        msi|sar|hsi|pointcloud)
            synth "$modality" train 800 101; synth "$modality" val 160 202; synth "$modality" test 160 303
            "$BIN" train --modality "$modality" --data "data/generated/$modality/train" --validation-data "data/generated/$modality/val" \
                --out "runs/$modality" --epochs 3 --warmup 1 --lr 1e-3 --batch 8 --seed 1
            ;;
        oblique)
            synth oblique train 400 101; synth oblique val 80 202; synth oblique test 80 303
            "$BIN" train --modality oblique --data data/generated/oblique/train --validation-data data/generated/oblique/val \
                --out runs/oblique --epochs 5 --warmup 1 --lr 5e-4 --batch 8 --seed 1
            ;;
        *) echo "train.sh: no recipe for $modality" >&2; exit 1 ;;
    esac
    "$BIN" export "runs/$modality/best.safetensors" --out "weights/$modality.safetensors" --dtype F16
    cp "runs/$modality/loss.png" "weights/$modality-loss.png"
    "$BIN" eval --modality "$modality" --data "data/generated/$modality/test" \
        --baseline-data "data/generated/$modality/train" --checkpoint "weights/$modality.safetensors" --larf 80 --json
done
