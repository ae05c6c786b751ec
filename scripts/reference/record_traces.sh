#!/usr/bin/env bash
# Records the JSON trace of the first sample of every modality on the tiny (untrained, seeded)
# configuration, up to the head, as Tests/AllSparkTests/Fixtures/traces/<modality>.json.
# PipelineTests+Traces compares every later run with them (1e-5 relative), so a refactor of the
# forward path that changes any number fails. Record again only when a change of numbers is meant
# (and say why in the commit).
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.build/release/allspark}
out=Tests/AllSparkTests/Fixtures/traces
mkdir -p "$out"
for modality in text code rgb msi hsi sar infrared table trajectory graph oblique video pointcloud; do
    "$BIN" run --modality "$modality" --config configs/allspark-tiny.json --generate 0 --json > "$out/$modality.json"
done
ls -l "$out"
