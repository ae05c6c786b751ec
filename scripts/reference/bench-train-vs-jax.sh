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
for batch in "${@:-1 4 8}"; do
    ours=$("$BIN" bench train --modality rgb --batch "$batch" --steps 3 --json)
    positions=$(python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["rowsPerStep"] // r["batch"])' <<< "$ours")
    jax=$(python3 scripts/reference/jax_train_step.py "$positions" "$batch")
    python3 - "$ours" "$jax" <<'PY'
import json, sys
ours, jax = json.loads(sys.argv[1]), json.loads(sys.argv[2])
mine = ours["seconds"]["step"] * 1e3 / ours["batch"]
print(f"batch {ours['batch']}, {jax['positions']} positions: allspark {mine:.0f} ms per sample "
      f"(language model forward {ours['languageModelForwardGFLOPPerSecond']:.0f}, backward {ours['languageModelBackwardGFLOPPerSecond']:.0f} GFLOP/s), "
      f"JAX {jax['ms_per_sample']:.0f} ms per sample ({jax['gflop_per_second']:.0f} GFLOP/s) → allspark takes {mine / jax['ms_per_sample']:.2f}× JAX's time")
PY
done
