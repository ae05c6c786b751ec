#!/usr/bin/env bash
# Reproduces the committed checkpoints from scratch (make train): fetches the real data sets
# (scripts/fetch-data: msi, graph, table, FTIR spectra) or generates data with `allspark synth`
# (fixed seeds, so the same bytes), trains each modality with the options recorded in
# weights/README.md, evaluates on a separate test split, and writes the F16 copy under weights/.
# Slow: weights/README.md gives each pass's step time on a 2-core machine; together about 12
# hours (README.md, "Trained"), measured mostly with the cores shared between runs.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/allspark}
MODALITIES=${MODALITIES:-rgb trajectory graph msi table hsi-ftir rgb-fashion oblique hsi pointcloud sar video infrared text code}

synth() {  # synth MODALITY SPLIT COUNT SEED
    local dir="data/generated/$1/$2" have
    if [ -f "$dir/index.json" ]; then
        # A split made for an earlier recipe (trajectory's train held 400 tracks) must not pass silently.
        have=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["samples"]))' "$dir/index.json")
        [ "$have" = "$3" ] || { echo "train.sh: $dir holds $have samples; this recipe needs $3 (seed $4): move it aside and run again" >&2; exit 1; }
    else
        "$BIN" synth "$1" --count "$3" --seed "$4" --out "$dir" >/dev/null
    fi
}

# further_pass SUFFIX CURVE OPTIONS…: train runs/$name-SUFFIX from the checkpoint just exported (no
# warm-up, batch 8), then export it over weights/$name.safetensors and keep its curve as
# weights/$name-CURVE-loss.png.
further_pass() {
    local suffix=$1 curve=$2
    shift 2
    "$BIN" train --modality "$modality" --config "$config" --data "data/$data/train" --validation-data "data/$data/val" \
        --from-checkpoint --out "runs/$name-$suffix" --warmup 0 --batch 8 "$@"
    "$BIN" export "runs/$name-$suffix/best.safetensors" --out "weights/$name.safetensors" --dtype F16
    cp "runs/$name-$suffix/loss.png" "weights/$name-$curve-loss.png"
}

for modality in $MODALITIES; do
    name=$modality; config=configs/allspark-trained.json; data=generated/$modality
    case $modality in
        rgb)
            synth rgb train 960 101; synth rgb val 160 202; synth rgb test 160 303
            options=(--epochs 3 --warmup 1 --lr 1e-3)
            ;;
        trajectory)
            # 10,000 tracks; the first four passes read the first 3,200 (the first 400 are the
            # earlier set), the fifth all of them. The head reads the mean of the language model's
            # states at the bridge tokens (configs/allspark-trained.json; weights/README.md, "trajectory").
            synth trajectory train 10000 101; synth trajectory val 100 202; synth trajectory test 100 303
            options=(--epochs 2 --warmup 0 --lr 3e-4 --limit 3200)
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
        rgb-fashion)
            # Real: Fashion-MNIST through the pretrained, frozen DINOv2 ViT-S/14 (models/vit_s_focus.onnx,
            # fetched by setup.sh); only the bridge and the head learn. Its own configuration and checkpoint.
            scripts/fetch-data rgb-fashion; data=real/rgb-fashion; modality=rgb; config=configs/allspark-fashion.json
            options=(--epochs 3 --warmup 1 --lr 1e-3 --limit 2000 --validation-limit 300)
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
            # Gallery ranking in two stages (weights/README.md, "infrared"): the encoder alone ranks
            # each sample's gallery on its own tokens (6,000 queries of 1,000 people); then, with
            # the encoder frozen, the bridge and the head learn through the language model to point
            # each image's embedding where a fixed projection of its encoder tokens points.
            dir=data/generated/infrared/train
            [ -f "$dir/index.json" ] || "$BIN" synth infrared --count 6000 --seed 101 --identities 1000 --out "$dir" >/dev/null
            synth infrared val 80 202; synth infrared test 120 303
            "$BIN" train --modality infrared --config "$config" --data "$dir" --validation-data data/generated/infrared/val \
                --out runs/infrared-encoder --encoder-only --epochs 4 --warmup 0 --lr 1e-3 --batch 32 --seed 1
            "$BIN" train --modality infrared --config "$config" --data "$dir" --validation-data data/generated/infrared/val \
                --out runs/infrared --init-from runs/infrared-encoder/best.safetensors --freeze-encoder --distil-encoder \
                --epochs 1 --warmup 0 --lr 1e-3 --batch 8 --limit 1200 --seed 1
            "$BIN" export runs/infrared/best.safetensors --out weights/infrared.safetensors --dtype F16
            cp runs/infrared-encoder/loss.png weights/infrared-encoder-loss.png
            cp runs/infrared/loss.png weights/infrared-loss.png
            continue
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
    case $name in
        # A second pass from that checkpoint at a lower rate (weights/README.md, "Fine-tuned").
        msi)        further_pass ft finetune --epochs 2 --lr 3e-4 --seed 2 --limit 1600 ;;
        hsi|sar)    further_pass ft finetune --epochs 2 --lr 3e-4 --seed 2 ;;
        trajectory) further_pass ft finetune --epochs 2 --lr 2e-4 --seed 2 --limit 3200
                    further_pass ft2 finetune2 --epochs 2 --lr 1e-4 --seed 3 --limit 3200
                    further_pass ft3 finetune3 --epochs 4 --lr 1e-4 --seed 4 --limit 3200
                    further_pass ft4 finetune4 --epochs 2 --lr 1e-4 --seed 5 ;;
        pointcloud) further_pass ft finetune --epochs 2 --lr 3e-4 --seed 2 --limit 800 ;;
        # Text's own Lynx adapters train from the head's checkpoint, so the language model learns
        # to say the sentiment (weights/README.md, "text").
        rgb-fashion) further_pass ft finetune --epochs 4 --lr 1e-3 --seed 2 --limit 2000 --validation-limit 300 ;;
        text)       further_pass adapters adapters --epochs 2 --lr 5e-4 --seed 1 --train-adapters --limit 2000 --validation-limit 300 ;;
    esac
    case $name in
        # A third pass: SAR's validation loss was still falling; msi on 3,200 rows; pointcloud on
        # all 2,400 clouds, since the second overfitted its 800 (weights/README.md).
        sar)        further_pass ft2 finetune2 --epochs 2 --lr 2e-4 --seed 4 ;;
        msi)        further_pass ft2 finetune2 --epochs 1 --lr 2e-4 --seed 3 --limit 3200 ;;
        pointcloud) further_pass ft2 finetune2 --epochs 1 --lr 3e-4 --seed 3 ;;
    esac
    case $name in
        # A fourth pass: SAR's validation accuracy was still rising (0.544, 0.650); pointcloud's
        # LaRF had fallen in the third (weights/README.md).
        sar)        further_pass ft3 finetune3 --epochs 3 --lr 2e-4 --seed 5 ;;
        pointcloud) further_pass ft3 finetune3 --epochs 2 --lr 2e-4 --seed 5 ;;
        rgb-fashion) further_pass ft2 finetune2 --epochs 2 --lr 5e-4 --seed 3 --limit 3000 --validation-limit 300 ;;
    esac
    case $name in
        # rgb-fashion's fourth pass: the shipped model first learned with the rgb prompts, then this pass
        # taught it its own (prompts/rgb-fashion.txt; weights/README.md). From scratch every pass
        # reads the new prompts; the pass is kept so the recipe matches what was shipped.
        rgb-fashion) further_pass ft3 finetune3 --epochs 2 --lr 5e-4 --seed 4 --limit 2000 --validation-limit 300 ;;
    esac
    # The last pass of every classification modality with a bridge: lens alignment (weights/README.md,
    # "Lens alignment"), so that the language lens shows words of the sample's class.
    lens=(--epochs 1 --lr 2e-4 --seed 6 --lens-weight 10)
    # A second, slower epoch where it helped: lens share, accuracy or both (weights/README.md, "Lens alignment").
    lens2=(--epochs 1 --lr 1e-4 --seed 7 --lens-weight 10)
    case $name in
        rgb|video)   further_pass lens lens "${lens[@]}" ;;
        hsi|hsi-ftir) further_pass lens lens "${lens[@]}"
                     further_pass lens2 lens2 "${lens2[@]}" ;;
        msi)         further_pass lens lens "${lens[@]}" --limit 1600 ;;
        pointcloud)  further_pass lens lens "${lens[@]}" --limit 800
                     further_pass lens2 lens2 "${lens2[@]}" --limit 800 ;;
        rgb-fashion) further_pass lens lens "${lens[@]}" --limit 2000 --validation-limit 300
                     further_pass lens2 lens2 "${lens2[@]}" --limit 2000 --validation-limit 300 ;;
        sar)         further_pass lens lens --epochs 1 --lr 3e-4 --seed 6 --lens-weight 10
                     further_pass lens2 lens2 "${lens2[@]}" ;;
    esac
    # hsi's answer names the class alone ("Asphalt.", its head's "answer": "className"): two more
    # passes, after which the answers name the head's class in 94 % rather than 86 % (weights/README.md, "hsi").
    case $name in
        hsi) further_pass answer answer --epochs 2 --lr 3e-4 --seed 8 --lens-weight 10
             further_pass answer2 answer2 --epochs 1 --lr 1e-4 --seed 9 --lens-weight 10 ;;
    esac
done
# The README's table: every row evaluated on its test split with the new weights.
BIN=$BIN scripts/record-results.sh
