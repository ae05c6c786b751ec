#!/usr/bin/env bash
# Runs the unit tests under a sanitizer (docs/SANITIZERS.md).
#
#   scripts/sanitizers.sh address   every unit test with AddressSanitizer (+ LeakSanitizer)
#   scripts/sanitizers.sh thread    the threaded code with ThreadSanitizer: the engine's parallel
#                                   kernels, the decoder and its trainer, the TUI's background jobs
#
# Each sanitizer has its own build path (.build-asan, .build-tsan) so neither touches .build, and a
# second run rebuilds only what changed. Release configuration, as `make test`: the kernels are
# tested in the optimised form the program runs. Extra arguments go to `swift test`.
set -euo pipefail
cd "$(dirname "$0")/.."

kind=${1:-}
shift || true
# Swift's own crash backtracer would run before the sanitizer's report; the sanitizer reports.
export SWIFT_BACKTRACE=enable=no
case "$kind" in
address)
    build=.build-asan
    # Suppressed: reports that are not leaks of ours (scripts/sanitizers/lsan-tests.supp says why).
    export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:halt_on_error=1}
    export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/sanitizers/lsan-tests.supp:print_suppressions=0}
    filter=()
    ;;
thread)
    build=.build-tsan
    export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
    # The threads to check are ours: EngineThreads' parallel loops over Dispatch and the TUI's job
    # threads. OpenBLAS's workers are not instrumented, so their accesses are invisible to the
    # sanitizer rather than false reports.
    filter=(--filter 'SparkEngineTests|DecoderTests|DecoderKernelTests|DecoderTrainerTests|DecoderBranchTests|JobRunnerTests|PipelineControllerTests|SessionDriverTests|ControllerTests')
    ;;
*)
    echo "usage: scripts/sanitizers.sh address|thread [swift test arguments]" >&2
    exit 2
    ;;
esac

echo "sanitizers: swift test -c release --sanitize $kind --build-path $build ${filter[*]} $*" >&2
set -o pipefail
swift test -c release --build-path "$build" --sanitize "$kind" "${filter[@]}" "$@" 2>&1 |
    { grep -v 'prohibited flag' || true; }
