#!/usr/bin/env bash
# Records the README's results table from the committed weights: for every row,
#   weights/results/<row>.json        `allspark eval --json` on the row's whole test split;
#   weights/results/<row>.check.json  the same command on 16 of the split's samples, with the
#                                     command itself, which `make test` runs again and compares
#                                     (scripts/e2e/results_tests.sh);
# then scripts/results_table.py --write renders the table in README.md from the first.
# The 16-sample subsets of the real sets (spread over the split) are committed (Tests/Fixtures/results-check/<row>/, with
# their sources and licences in index.json); the generated ones are made again by
# `allspark synth … --seed 303`, which gives the test split's first samples byte for byte.
# Needs the data (scripts/fetch-data, scripts/train.sh's synth steps); about 40 minutes on 2 cores.
# ROWS="msi text" scripts/record-results.sh records only those rows.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/allspark}
ROWS=${ROWS:-msi graph table hsi-ftir rgb rgb-fashion hsi trajectory oblique pointcloud sar infrared video text code}
CHECK_SAMPLES=16
mkdir -p weights/results

# row → modality, configuration, data folder (test and train splits under it), test count of a
# generated split (0: real), LaRF answers, further options of the full evaluation.
spec() {
    case $1 in
        msi)        echo "msi configs/allspark-trained.json data/real/msi 0 80" ;;
        graph)      echo "graph configs/allspark-trained.json data/real/graph 0 0" ;;
        table)      echo "table configs/allspark-trained.json data/real/table 0 0" ;;
        hsi-ftir)   echo "hsi configs/allspark-ftir.json data/real/hsi-ftir 0 75" ;;
        text)       echo "text configs/allspark-trained.json data/real/text 0 80 --limit 300" ;;
        rgb-fashion) echo "rgb configs/allspark-fashion.json data/real/rgb-fashion 0 80 --limit 500" ;;
        code)       echo "code configs/allspark-trained.json data/real/code 0 0" ;;
        rgb|hsi|pointcloud|sar) echo "$1 configs/allspark-trained.json data/generated/$1 160 80" ;;
        trajectory) echo "trajectory configs/allspark-trained.json data/generated/trajectory 100 0" ;;
        oblique)    echo "oblique configs/allspark-trained.json data/generated/oblique 80 0" ;;
        infrared)   echo "infrared configs/allspark-trained.json data/generated/infrared 120 0" ;;
        video)      echo "video configs/allspark-trained.json data/generated/video 96 80" ;;
        *) echo "record-results.sh: no row '$1'" >&2; exit 1 ;;
    esac
}

for row in $ROWS; do
    read -r modality config data count larf extra <<< "$(spec "$row")"
    baseline=()
    [ -d "$data/train" ] && baseline=(--baseline-data "$data/train")
    if [ "$count" -gt 0 ] && [ ! -f "$data/test/index.json" ]; then
        "$BIN" synth "$modality" --count "$count" --seed 303 --out "$data/test" >/dev/null
    fi
    [ -f "$data/test/index.json" ] || { echo "record-results.sh: $data/test is missing (scripts/fetch-data $row)" >&2; exit 1; }
    if [ -z "${CHECK_ONLY:-}" ]; then   # CHECK_ONLY=1: the checks only, the full reports kept
        echo "$row: evaluating $data/test…" >&2
        # shellcheck disable=SC2086
        "$BIN" eval --modality "$modality" --config "$config" --data "$data/test" "${baseline[@]}" --larf "$larf" $extra --json \
            > "weights/results/$row.json"
    fi

    # The check: the first samples, baseline fitted on them alone, no generation (fast).
    if [ "$count" -gt 0 ]; then
        subset="synth $modality --count $CHECK_SAMPLES --seed 303"   # made again by the test
        check_dir=$(mktemp -d)
        "$BIN" synth "$modality" --count "$CHECK_SAMPLES" --seed 303 --out "$check_dir" >/dev/null
    else
        subset="Tests/Fixtures/results-check/$row"
        python3 scripts/results_table.py --subset "$data/test" "$subset" "$CHECK_SAMPLES"
        check_dir=$subset
    fi
    arguments=(eval --modality "$modality" --config "$config" --larf 0 --json)
    "$BIN" "${arguments[@]}" --data "$check_dir" > "weights/results/$row.check.json.tmp"
    python3 - "$row" "$subset" "$CHECK_SAMPLES" "${arguments[@]}" <<'PY'
import json, sys
row, subset, count, arguments = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
path = f"weights/results/{row}.check.json"
report = json.load(open(path + ".tmp"))
json.dump({"arguments": arguments, "data": subset, "samples": count, "report": report}, open(path, "w"), indent=1, sort_keys=True)
PY
    rm -f "weights/results/$row.check.json.tmp"
    [ "$count" -gt 0 ] && rm -rf "$check_dir"
done
python3 scripts/results_table.py --write
