#!/usr/bin/env bash
# Issue 13's measurements in one run, for the README's speed section, on whatever CPU this is:
# the kernel OpenBLAS chose (allspark doctor), bench gemm, RUNS × bench llm --vs llama-bench with
# the median and range of each ratio, and bench pipeline. Builds llama-bench natively from the
# llama-cpp-python 0.3.36 source archive first when it is absent (about 10 minutes on 2 cores), and
# a native build without AMX when the native one cannot run on this machine (see below).
#
#   scripts/measure-speed.sh                  # RUNS=5; writes runs/speed-<date>/
#   LLAMA_BENCH=/path/to/llama-bench RUNS=3 scripts/measure-speed.sh
#
# Run it on a quiet machine: every figure moves with whatever else runs. Nothing here is tuned to
# a CPU; the output names the CPU and the kernel beside each figure.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-.build/release/allspark}
RUNS=${RUNS:-5}
LLAMA_DIR=${LLAMA_DIR:-/work/llama}
LLAMA_SRC="$LLAMA_DIR/llama_cpp_python-0.3.36/vendor/llama.cpp"
LLAMA_BENCH_GIVEN=${LLAMA_BENCH:-}
LLAMA_BENCH=${LLAMA_BENCH:-$LLAMA_SRC/build-native/bin/llama-bench}
OUT=${OUT:-runs/speed-$(date -u +%Y%m%d-%H%M)}

[ -x "$BIN" ] || { echo "measure-speed: $BIN is absent (make build)" >&2; exit 2; }
[ -f models/SmolLM2-135M-Instruct.Q4_1.gguf ] || { echo "measure-speed: the model is absent (scripts/setup.sh)" >&2; exit 2; }

# build_llama_bench DIR [FLAGS]: llama-bench built with GGML_NATIVE=ON in $LLAMA_SRC/DIR, FLAGS added
# to the compilers' own (GCC lets an explicit -mno-… win over -march=native).
build_llama_bench() {
    local dir=$1 flags=${2:-}
    echo "measure-speed: building llama-bench (GGML_NATIVE=ON${flags:+, $flags}) in $LLAMA_SRC/$dir" >&2
    if [ ! -d "$LLAMA_SRC" ]; then
        mkdir -p "$LLAMA_DIR"
        python3 -m pip download --no-deps --no-binary llama-cpp-python llama-cpp-python==0.3.36 -d "$LLAMA_DIR" >&2
        tar -xzf "$LLAMA_DIR/llama_cpp_python-0.3.36.tar.gz" -C "$LLAMA_DIR"
    fi
    if ! command -v cmake >/dev/null; then
        echo "measure-speed: installing cmake (Debian)" >&2
        SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q cmake >&2 \
            || { echo "measure-speed: cmake is needed to build llama-bench (apt-get install cmake)" >&2; exit 2; }
    fi
    cmake -S "$LLAMA_SRC" -B "$LLAMA_SRC/$dir" -DGGML_NATIVE=ON -DLLAMA_CURL=OFF -DCMAKE_BUILD_TYPE=Release \
        -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags" >&2
    cmake --build "$LLAMA_SRC/$dir" --target llama-bench -j 2 >&2
}

# runs_here BINARY: a tiny llama-bench run on the model succeeds (prints JSON, no signal).
runs_here() { "$1" -m models/SmolLM2-135M-Instruct.Q4_1.gguf -t 2 -p 8 -n 2 -r 1 -o json >/dev/null 2>&1; }

if [ -z "$LLAMA_BENCH_GIVEN" ]; then
    [ -x "$LLAMA_BENCH" ] || build_llama_bench build-native
    # On the Intel machine of issue 13 (family 6 model 207, in a virtual machine) the native build
    # dies of SIGILL in ggml's AMX kernels (tilezero), though a small AMX program runs there. The
    # fairest build that runs is then the same native build without AMX: AVX-512, VNNI, BF16 kept.
    if ! runs_here "$LLAMA_BENCH"; then
        echo "measure-speed: the native llama-bench cannot run here; using the native build without AMX" >&2
        LLAMA_BENCH="$LLAMA_SRC/build-native-noamx/bin/llama-bench"
        [ -x "$LLAMA_BENCH" ] || build_llama_bench build-native-noamx "-mno-amx-tile -mno-amx-int8 -mno-amx-bf16"
    fi
fi
[ -x "$LLAMA_BENCH" ] || { echo "measure-speed: $LLAMA_BENCH is absent" >&2; exit 2; }
runs_here "$LLAMA_BENCH" || { echo "measure-speed: $LLAMA_BENCH cannot run a tiny benchmark here" >&2; exit 2; }

mkdir -p "$OUT"
echo "# speed, $(date -u '+%Y-%m-%d %H:%M UTC'), main at $(git rev-parse --short HEAD)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' '), model $(grep -m1 '^model[[:space:]]*:' /proc/cpuinfo | cut -d: -f2 | tr -d ' ')), $(nproc) cores"
echo
echo "## allspark doctor"
"$BIN" doctor | tee "$OUT/doctor.txt"
"$BIN" doctor --json --no-rate > "$OUT/doctor.json"
echo
echo "## allspark bench gemm"
"$BIN" bench gemm | tee "$OUT/gemm.txt"
echo
echo "## allspark bench llm --vs $LLAMA_BENCH ($RUNS runs)"
for i in $(seq 1 "$RUNS"); do
    "$BIN" bench llm --vs "$LLAMA_BENCH" --json > "$OUT/llm-$i.json"
done
python3 - "$OUT" "$RUNS" <<'EOF'
import json, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
rows = [json.load(open(f"{out}/llm-{i}.json")) for i in range(1, runs + 1)]
print("| run | allspark prefill / decode (tokens/s) | llama.cpp prefill / decode | ratio prefill / decode |")
print("|---|---|---|---|")
for i, r in enumerate(rows, 1):
    l = r["llama_cpp"]
    print(f"| {i} | {r['prefill_tokens_per_second']:.0f} / {r['decode_tokens_per_second']:.0f} | "
          f"{l['prefill_tokens_per_second']:.0f} / {l['decode_tokens_per_second']:.0f} | "
          f"{r['ratio_prefill']:.2f} / {r['ratio_decode']:.2f} |")
for key in ("ratio_prefill", "ratio_decode"):
    values = [r[key] for r in rows]
    print(f"{key}: median {statistics.median(values):.2f}, range {min(values):.2f}–{max(values):.2f}")
print(f"int8 products: {rows[0]['int8_products']}; peak resident memory {max(r['peak_rss_mb'] for r in rows):.0f} MB")
EOF
echo
echo "## allspark bench pipeline"
"$BIN" bench pipeline | tee "$OUT/pipeline.txt"
echo
echo "## issue 13's goals, from the figures above"
python3 - "$OUT" "$RUNS" <<'EOF'
import json, re, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
doctor = json.load(open(f"{out}/doctor.json"))
llm = [json.load(open(f"{out}/llm-{i}.json")) for i in range(1, runs + 1)]
pipeline = open(f"{out}/pipeline.txt").read()
cpu = doctor["cpu"]
print(f"cpu: {cpu['vendor']} family {cpu['family']} model {cpu['model']} ({cpu['modelName']}); "
      f"OpenBLAS {doctor['library']['version']}, kernel {doctor['library']['coreName']} ({doctor['coreTypeSummary']})")
def verdict(name, met, figure):
    print(f"{'met    ' if met else 'NOT met'}  {name}: {figure}")
verdict("kernel is not a generic fallback, self-test passed", "warning" not in doctor and doctor["selfTest"]["passed"],
        doctor.get("warning", doctor["library"]["coreName"]))
# bench gemm's table row for 1024: size, engine GFLOP/s, raw sgemm GFLOP/s, … (the figure printed above).
rate = next((float(line.split()[2]) for line in open(f"{out}/gemm.txt") if line.split()[:1] == ["1024"]), 0.0)
verdict("sgemm 1024² ≥ 200 GFLOP/s (the Intel machine's goal; on AMD: no regression)", rate >= 200, f"{rate:.0f} GFLOP/s")
for key, name in (("ratio_prefill", "prefill"), ("ratio_decode", "decode")):
    values = [r[key] for r in llm]
    median = statistics.median(values)
    verdict(f"{name} ≥ 1.0 × llama.cpp (median of {runs})", median >= 1.0,
            f"median {median:.2f}, range {min(values):.2f}–{max(values):.2f}")
# bench pipeline's rows: modality, then seven stage columns, then the total (ms).
totals = {}
for line in pipeline.splitlines():
    fields = line.split()
    if len(fields) >= 9 and fields[0] != "modality" and all(re.fullmatch(r"[0-9.]+", f) for f in fields[1:9]):
        totals[fields[0]] = float(fields[8])
slowest = max(totals, key=totals.get) if totals else None
verdict("bench pipeline < 1 s for all 13 (stretch: 0.3 s)", len(totals) == 13 and max(totals.values()) < 1000,
        f"{len(totals)} modalities timed, slowest {slowest} {totals[slowest]:.0f} ms" if slowest else "no modality timed")
EOF
echo
echo "measure-speed: the raw outputs are in $OUT"
