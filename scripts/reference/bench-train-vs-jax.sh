#!/usr/bin/env bash
# The training step beside the JAX anchor, in one run on this machine (issue: learning, item 8):
# `allspark bench train` (encoder, bridge, the frozen SmolLM2 forward and input backward, head,
# losses, the whole tape backward; no optimizer) and scripts/reference/jax_train_step.py (the
# language model's forward and input backward alone, XLA) at the same positions per sample and the
# same batch. Prints both and their ratio. Needs `pip install jax` and a release build.
# Usage: scripts/reference/bench-train-vs-jax.sh [BATCH ...]   (default: 1 4 8)
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:-.build/release/allspark}
python3 -c "import jax" 2>/dev/null || { echo "bench-train-vs-jax: needs jax (pip install jax)" >&2; exit 2; }
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
# Both sides report their fastest of 5 timed steps (after a warm-up), the same statistic; the pair is
# run REPEATS times per batch (default 3, ours and JAX alternating) and the median ratio printed,
# because one pair on a shared 2-core machine can be off by 20 % either way.
REPEATS=${REPEATS:-3}
for batch in "${@:-1 4 8}"; do
    ratios=()
    for _ in $(seq "$REPEATS"); do
        ours=$("$BIN" bench train --modality rgb --batch "$batch" --steps 5 --json)
        positions=$(python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["rowsPerStep"] // r["batch"])' <<< "$ours")
        jax=$(python3 scripts/reference/jax_train_step.py "$positions" "$batch")
        ratios+=("$(python3 - "$ours" "$jax" <<'PY'
import json, sys
ours, jax = json.loads(sys.argv[1]), json.loads(sys.argv[2])
mine = ours["seconds"]["fastest step"] * 1e3 / ours["batch"]
print(f"batch {ours['batch']}, {jax['positions']} positions: allspark {mine:.0f} ms per sample "
      f"(language model forward {ours['languageModelForwardGFLOPPerSecond']:.0f}, backward {ours['languageModelBackwardGFLOPPerSecond']:.0f} GFLOP/s), "
      f"JAX {jax['ms_per_sample']:.0f} ms per sample ({jax['gflop_per_second']:.0f} GFLOP/s) → allspark takes {mine / jax['ms_per_sample']:.2f}× JAX's time",
      file=sys.stderr)
print(f"{mine / jax['ms_per_sample']:.3f}")
PY
)")
    done
    python3 -c 'import sys, statistics; r = sorted(map(float, sys.argv[2:])); print(f"batch {sys.argv[1]}: median ratio {statistics.median(r):.2f} (allspark time / JAX time, {len(r)} pairs: " + ", ".join(f"{x:.2f}" for x in r) + ")")' "$batch" "${ratios[@]}"
done
