#!/usr/bin/env bash
# End-to-end tests of the allspark binary in tmux: scripts/e2e.sh PATH/TO/allspark
# Prints one line per test (PASS/FAIL and its name) and exits non-zero if any failed.
# Needs tmux; works without a terminal of its own (CI).
set -uo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 1 ]; then echo "usage: scripts/e2e.sh PATH/TO/allspark" >&2; exit 2; fi
E2E_BIN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
[ -x "$E2E_BIN" ] || { echo "e2e: $1 is not an executable (build it: swift build -c release --product allspark)" >&2; exit 2; }
command -v tmux >/dev/null || { echo "e2e: tmux is not installed (scripts/setup.sh installs it)" >&2; exit 2; }

source scripts/e2e/lib.sh
source scripts/e2e/tui_tests.sh
source scripts/e2e/pipeline_tests.sh
source scripts/e2e/repl.sh
source scripts/e2e/training_tests.sh
source scripts/e2e/results_tests.sh

VERSION_TEXT=$("$E2E_BIN" --version 2>/dev/null) || { echo "e2e: $E2E_BIN --version failed" >&2; exit 2; }

only=${E2E_ONLY:-}   # E2E_ONLY=pattern runs the matching tests only
failed=0 passed=0
for test in $(declare -F | awk '{print $3}' | grep '^test_'); do
    [ -n "$only" ] && [[ $test != *$only* ]] && continue
    name=${test#test_}
    # Each test in a subshell, which stops its own tmux server and folder.
    if ( "$test"; status=$?; e2e_stop; exit $status ); then
        echo "PASS $name"; passed=$((passed + 1))
    else
        echo "FAIL $name"; failed=$((failed + 1))
    fi
done
echo "e2e: $passed passed, $failed failed"
[ $failed -eq 0 ]
