#!/usr/bin/env bash
# Reproduces the committed checkpoints from scratch (make train): fetches the real data sets
# (scripts/fetch-data: msi, graph, table, FTIR spectra) or generates data with `allspark synth`
# (fixed seeds, so the same bytes), trains each modality with the options recorded in
# weights/README.md, evaluates on a separate test split, and writes the F16 copy under weights/.
# Slow: weights/README.md gives each modality's wall time on a 2-core machine (about 35 minutes
# for rgb, 15–25 for each of the others).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/allspark}
MODALITIES=${MODALITIES:-rgb trajectory graph msi table hsi-ftir oblique hsi pointcloud sar video text code}

synth() {  # synth MODALITY SPLIT COUNT SEED
    local dir="data/generated/$1/$2"
    [ -f "$dir/index.json" ] || "$BIN" synth "$1" --count "$3" --seed "$4" --out "$dir" >/dev/null
}

for modality in $MODALITIES; do
    name=$modality; config=configs/allspark-trained.json; data=generated/$modality
    case $modality in
        rgb)
            synth rgb train 960 101; synth rgb val 160 202; synth rgb test 160 303
            options=(--epochs 3 --warmup 1 --lr 1e-3)
            ;;
        trajectory)
            synth trajectory train 400 101; synth trajectory val 100 202; synth trajectory test 100 303
            options=(--epochs 6 --warmup 1 --lr 5e-4)
            ;;
        msi)
            # Real: UCI Statlog (Landsat Satellite), the first 1,600 of its 5,147 (shuffled) training samples.
            scripts/fetch-data msi; data=real/msi
            options=(--epochs 2 --warmup 1 --lr 1e-3 --limit 1600)
            ;;
        graph)
            # Real: Auckland pedestrian counts, split by date (data/SOURCES.md).
            scripts/fetch-data graph; data=real/graph
            options=(--epochs 2 --warmup 1 --lr 5e-4)
            ;;
        table)
            # Real: the Beijing PM2.5 record, split by date (data/SOURCES.md).
            scripts/fetch-data table; data=real/table
            options=(--epochs 2 --warmup 1 --lr 5e-4)
            ;;
        hsi-ftir)
            # Real FTIR tissue spectra: their own configuration and checkpoint (not remote sensing).
            scripts/fetch-data hsi-ftir; data=real/hsi-ftir; modality=hsi; config=configs/allspark-ftir.json
            options=(--epochs 3 --warmup 1 --lr 1e-3)
            ;;
        text)
            # Real: tweets. Only the head trains (the tokenizer is text's encoder), so the language
            # model runs forward only; 2,000 tweets, validation on 300.
            scripts/fetch-data text; data=real/text
            options=(--epochs 2 --warmup 1 --lr 2e-3 --limit 2000 --validation-limit 300)
            ;;
        code)
            # Real: functions of this machine's Python standard library. Code has no head: its own
            # Lynx adapters ("ownAdapters" in the configuration) learn to write the first line of
            # each function's docstring (the answer loss alone).
            scripts/fetch-data code; data=real/code
            options=(--epochs 1 --warmup 0 --lr 5e-4 --limit 800 --validation-limit 80 --train-adapters)
            ;;
        video)
            # Frame differences, small tubes and bridge (configs/allspark-trained.json), 1,920 clips.
            synth video train 1920 101; synth video val 96 202; synth video test 96 303
            options=(--epochs 3 --warmup 1 --lr 1e-3)
            ;;
        infrared)
            # Each sample trains twice: the IR query with gallery image 0 (what inference reads) and
            # the matching RGB gallery image alone (what ranking reads), both labelled with the person.
            synth infrared train 480 101; synth infrared val 80 202; synth infrared test 120 303
            options=(--epochs 4 --warmup 1 --lr 1e-3)
            ;;
        sar)
            # A four-layer CNN and a small bridge (configs/allspark-trained.json), 1,600 chips.
            synth sar train 1600 101; synth sar val 160 202; synth sar test 160 303
            options=(--epochs 4 --warmup 1 --lr 1e-3)
            ;;
        hsi)
            synth hsi train 800 101; synth hsi val 160 202; synth hsi test 160 303
            options=(--epochs 3 --warmup 1 --lr 1e-3)
            ;;
        pointcloud)
            # The first two passes read the first 800 clouds; the third all 2,400 (below).
            synth pointcloud train 2400 101; synth pointcloud val 160 202; synth pointcloud test 160 303
            options=(--epochs 3 --warmup 1 --lr 1e-3 --limit 800)
            ;;
        oblique)
            synth oblique train 400 101; synth oblique val 80 202; synth oblique test 80 303
            options=(--epochs 5 --warmup 1 --lr 5e-4)
            ;;
        *) echo "train.sh: no recipe for $modality" >&2; exit 1 ;;
    esac
    "$BIN" train --modality "$modality" --config "$config" --data "data/$data/train" --validation-data "data/$data/val" \
        --out "runs/$name" --batch 8 --seed 1 "${options[@]}"
    "$BIN" export "runs/$name/best.safetensors" --out "weights/$name.safetensors" --dtype F16
    cp "runs/$name/loss.png" "weights/$name-loss.png"
    if [ "$name" = msi ] || [ "$name" = hsi ] || [ "$name" = pointcloud ] || [ "$name" = sar ]; then
        # A second pass from that checkpoint at a lower rate (weights/README.md, "Fine-tuned").
        "$BIN" train --modality "$modality" --config "$config" --data "data/$data/train" --validation-data "data/$data/val" \
            --from-checkpoint --out "runs/$name-ft" --epochs 2 --warmup 0 --lr 3e-4 --batch 8 --seed 2 \
            $([ "$name" = msi ] && echo --limit 1600) $([ "$name" = pointcloud ] && echo --limit 800)
        "$BIN" export "runs/$name-ft/best.safetensors" --out "weights/$name.safetensors" --dtype F16
        cp "runs/$name-ft/loss.png" "weights/$name-finetune-loss.png"
    fi
    if [ "$name" = sar ]; then
        # A third pass at a lower rate: the second's validation loss was still falling.
        "$BIN" train --modality sar --config "$config" --data "data/$data/train" --validation-data "data/$data/val" \
            --from-checkpoint --out runs/sar-ft2 --epochs 2 --warmup 0 --lr 2e-4 --batch 8 --seed 4
        "$BIN" export runs/sar-ft2/best.safetensors --out weights/sar.safetensors --dtype F16
        cp runs/sar-ft2/loss.png weights/sar-finetune2-loss.png
    fi
    if [ "$name" = msi ]; then
        # A third pass over the first 3,200 training rows at a lower rate (weights/README.md).
        "$BIN" train --modality msi --config "$config" --data "data/$data/train" --validation-data "data/$data/val" \
            --from-checkpoint --out runs/msi-ft2 --epochs 1 --warmup 0 --lr 2e-4 --batch 8 --seed 3 --limit 3200
        "$BIN" export runs/msi-ft2/best.safetensors --out weights/msi.safetensors --dtype F16
        cp runs/msi-ft2/loss.png weights/msi-finetune2-loss.png
    fi
    if [ "$name" = pointcloud ]; then
        # A third pass over all 2,400 training clouds: the second overfitted its 800 (weights/README.md).
        "$BIN" train --modality pointcloud --config "$config" --data "data/$data/train" --validation-data "data/$data/val" \
            --from-checkpoint --out runs/pointcloud-ft2 --epochs 1 --warmup 0 --lr 3e-4 --batch 8 --seed 3
        "$BIN" export runs/pointcloud-ft2/best.safetensors --out weights/pointcloud.safetensors --dtype F16
        cp runs/pointcloud-ft2/loss.png weights/pointcloud-finetune2-loss.png
    fi
    if [ "$name" = text ]; then
        # A second pass from the head's checkpoint with text's own Lynx adapters training, so the
        # language model learns to say the sentiment (weights/README.md, "text").
        "$BIN" train --modality text --config "$config" --data "data/$data/train" --validation-data "data/$data/val" \
            --from-checkpoint --train-adapters --out runs/text-adapters --epochs 2 --warmup 0 --lr 5e-4 --batch 8 --seed 1 \
            --limit 2000 --validation-limit 300
        "$BIN" export runs/text-adapters/best.safetensors --out weights/text.safetensors --dtype F16
        cp runs/text-adapters/loss.png weights/text-adapters-loss.png
    fi
done
# The README's table: every row evaluated on its test split with the new weights.
BIN=$BIN scripts/record-results.sh
