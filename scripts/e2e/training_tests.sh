# End-to-end tests of `allspark train`, `eval` and `export` as a user runs them: generated data,
# a few steps, an interruption by --max-steps, a resume, an evaluation of the best checkpoint and
# its F16 copy, and bad input refused with a message. Sourced by scripts/e2e.sh.

test_train_resume_eval_and_export_from_the_command_line() {
    local dir; dir=$(mktemp -d "${TMPDIR:-/tmp}/allspark-e2e-train.XXXXXX")
    local ok=0 out
    {
        "$E2E_BIN" synth rgb --count 6 --seed 3 --out "$dir/data" >/dev/null &&
        out=$("$E2E_BIN" train --modality rgb --data "$dir/data" --validation 0.34 --out "$dir/run" --epochs 1 --batch 2 \
                --lr 1e-3 --warmup 0 --max-steps 1 2>&1) &&
        grep -q "interrupted at step 1" <<< "$out" &&
        grep -q "trains bridges.rgb" <<< "$out" &&
        out=$("$E2E_BIN" train --modality rgb --data "$dir/data" --validation 0.34 --out "$dir/run" --epochs 1 --batch 2 \
                --lr 1e-3 --warmup 0 --resume "$dir/run" 2>&1) &&
        grep -q "resumed at step 1 of 2" <<< "$out" &&
        grep -q "validation after epoch 1" <<< "$out" &&
        [ "$(wc -l < "$dir/run/log.csv")" -eq 3 ] &&
        [ -f "$dir/run/best.safetensors" ] && [ -f "$dir/run/loss.png" ] &&
        "$E2E_BIN" export "$dir/run/best.safetensors" --out "$dir/best-f16.safetensors" >/dev/null &&
        out=$("$E2E_BIN" eval --modality rgb --data "$dir/data" --checkpoint "$dir/best-f16.safetensors" --larf 1 --json) &&
        python3 -c 'import json,sys; r=json.load(sys.stdin); assert r["metric"]=="accuracy" and r["samples"]==6 and "baseline" in r and "larf" in r, r' <<< "$out"
    } || { ok=1; echo "$out" | tail -5 | sed 's/^/    /' >&2; }
    # A checkpoint of the wrong modality's shapes is refused, naming the tensors.
    if [ $ok -eq 0 ]; then
        out=$("$E2E_BIN" eval --modality trajectory --data samples/trajectory --checkpoint "$dir/run/best.safetensors" 2>&1)
        # rgb's checkpoint covers only rgb modules: the trajectory model is untrained and says so.
        grep -q "UNTRAINED" <<< "$out" || { ok=1; echo "    eval of an uncovered modality did not say UNTRAINED: $out" >&2; }
        out=$("$E2E_BIN" train --modality rgb --data "$dir/nowhere" --out "$dir/run2" 2>&1) && ok=1
        grep -q "no samples listed" <<< "$out" || { ok=1; echo "    a missing data folder gave: $out" >&2; }
    fi
    rm -rf "$dir"
    return $ok
}
