#!/usr/bin/env bash
# Builds the libFuzzer targets (Sources/allspark-fuzz) and runs each for SECONDS.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     default: 60 s, every target (FUZZ_TARGET=list)
#
# The build has its own build path, .build-fuzz, so it never touches .build. Seeds come from
# fuzz/corpus/<target>/ and keywords from fuzz/dict/<target>.dict; new inputs the fuzzer finds go
# to .build-fuzz/corpus/<target>/ (not in git), crashes to .build-fuzz/crashes/<target>/.
# Prints one line per target: executions, crashes (and leaks), out-of-memory and timeout counts, and
# the path of every new crashing input. Exits 1 if any target found something.
# FUZZ_JOBS=N runs N processes per target (default 1); FUZZ_FLAGS adds libFuzzer flags.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_TARGET=${1:-60}
shift || true
# libFuzzer reads -max_total_time=0 as "no limit": a run must have an end.
[[ "$SECONDS_PER_TARGET" =~ ^[1-9][0-9]*$ ]] || { echo "fuzz: SECONDS must be a whole number of seconds ≥ 1, got '$SECONDS_PER_TARGET'" >&2; exit 2; }
BUILD=.build-fuzz
RUNTIME=$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")/lib/clang
FUZZER_LIB=$(ls "$RUNTIME"/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a 2>/dev/null | head -1)
[ -n "$FUZZER_LIB" ] || { echo "fuzz: libclang_rt.fuzzer_no_main-x86_64.a not found under $RUNTIME" >&2; exit 1; }

# Coverage and AddressSanitizer on the Swift code; libFuzzer's driver without its main() (SwiftPM
# gives an executable's entry point its own name, see Sources/allspark-fuzz/FuzzMain.swift).
echo "fuzz: building allspark-fuzz into $BUILD" >&2
set -o pipefail
swift build -c debug --build-path "$BUILD" --product allspark-fuzz \
    -Xswiftc -DALLSPARK_FUZZ -Xswiftc -sanitize=address \
    -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp \
    -Xlinker --whole-archive -Xlinker "$FUZZER_LIB" -Xlinker --no-whole-archive -Xlinker -lstdc++ \
    2>&1 | { grep -v -e 'Cannot export local symbol' -e 'prohibited flag' || true; } >&2
BIN=$BUILD/debug/allspark-fuzz

if [ $# -eq 0 ]; then set -- $(FUZZ_TARGET=list "$BIN" | cut -d' ' -f1); fi

# Swift's own crash backtracer would run (slowly) before libFuzzer's handler; libFuzzer reports.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/fuzz/lsan.supp:print_suppressions=0}
# Readers that take a path get each input as a file, and fork mode keeps its jobs' files in TMPDIR:
# in memory where there is /dev/shm (three times the executions per second of a disk here).
SCRATCH=$BUILD/tmp
[ -w /dev/shm ] && SCRATCH=/dev/shm/allspark-fuzz-$$
trap 'rm -rf "$SCRATCH"' EXIT
failed=0
printf '%-12s %12s %8s %8s %8s\n' target executions exec/s crashes ooms/timeouts
for target in "$@"; do
    max_len=$(FUZZ_TARGET=list "$BIN" | awk -v t="$target" '$1 == t { print $2 }')
    [ -n "$max_len" ] || { echo "fuzz: no target '$target' (see FUZZ_TARGET=list $BIN)" >&2; exit 2; }
    corpus=$BUILD/corpus/$target crashes=$BUILD/crashes/$target scratch=$SCRATCH/$target
    mkdir -p "$corpus" "$crashes" "$scratch"
    dict=()
    [ -f "fuzz/dict/$target.dict" ] && dict=(-dict="fuzz/dict/$target.dict")
    # The library-backed targets read whole rasters and videos: a 16 KB GeoTIFF may lawfully
    # claim 20 × 64 524 pixels × 13 bands (within LoadLimits), which takes 0.8 s in the release
    # build but about 30 s in this debug + ASan one. Their hang limit is higher for that reason.
    timeout=10
    case $target in video|geotiff|envi) timeout=120 ;; esac
    log=$BUILD/logs/$target.log
    mkdir -p "$(dirname "$log")"
    # Findings only: libFuzzer also leaves slow-unit-* files (inputs slower than
    # -report_slow_units) beside them, which are not failures.
    artifacts() { ls -t "$crashes" | grep -E '^(crash|leak|timeout|oom)-' || true; }
    before=$(artifacts | wc -l)
    # -fork keeps going after a crash so one run reports every crashing input it finds.
    TMPDIR=$scratch FUZZ_TARGET=$target "$BIN" "$corpus" "fuzz/corpus/$target" "${dict[@]}" \
        -max_len="$max_len" -max_total_time="$SECONDS_PER_TARGET" -timeout="$timeout" -report_slow_units="$timeout" -rss_limit_mb=3072 \
        -fork="${FUZZ_JOBS:-1}" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -artifact_prefix="$crashes/" -print_final_stats=1 ${FUZZ_FLAGS:-} >"$log" 2>&1 || true
    rm -rf "$scratch"
    # Fork mode's last progress line: "#EXECUTIONS: cov: … oom/timeout/crash: O/T/C time: …".
    last=$(grep -E '^#[0-9]+: ' "$log" | tail -1 || true)
    executions=$(sed -E 's/^#([0-9]+):.*/\1/' <<<"${last:-#0: }")
    found=$(( $(artifacts | wc -l) - before ))
    new=$(artifacts | head -n "$found")
    crashed=$(grep -cE '^(crash|leak)-' <<<"$new" || true)
    problems=$(grep -oE 'oom/timeout/crash: [0-9]+/[0-9]+' <<<"$last" | cut -d' ' -f2 || true)
    printf '%-12s %12s %8s %8s %8s\n' "$target" "$executions" "$(( executions / (SECONDS_PER_TARGET > 0 ? SECONDS_PER_TARGET : 1) ))" \
        "$crashed" "${problems:-0/0}"
    [ "$found" -eq 0 ] || { failed=1; sed "s|^|  $crashes/|" <<<"$new"; }
done
exit $failed
