# The README's results table against the evaluation reports it is rendered from, and every row's
# check run again: the committed weights must give, on the row's first 16 test samples, what
# scripts/record-results.sh recorded. Sourced by scripts/e2e.sh.

test_results_table_matches_the_reports_and_a_fresh_evaluation() {
    local ok=0 out check
    out=$(python3 scripts/results_table.py --check 2>&1) || { ok=1; echo "$out" | head -8 | sed 's/^/    /' >&2; }
    for check in weights/results/*.check.json; do
        [ -f "$check" ] || { ok=1; echo "    no checks recorded under weights/results/" >&2; break; }
        out=$(python3 scripts/e2e/results_check.py "$E2E_BIN" "$check" 2>&1) || ok=1
        echo "$out" | sed 's/^/    /' >&2
    done
    return $ok
}
