# End-to-end tests of the pipeline in the full-screen interface: the real binary, the real model
# (configs/allspark-tiny.json and its GGUF), driven in tmux. Sourced by scripts/e2e.sh.

# e2e_command TEXT: types a : command and runs it.
e2e_command() { e2e_keys ':'; e2e_type "$1"; e2e_keys Enter; }

# e2e_wait_run_end: until the last run has finished (prints its message) or failed (returns 1).
e2e_wait_run_end() {
    local deadline=$((SECONDS + E2E_RUN_TIMEOUT)) screen
    while [ $SECONDS -le $deadline ]; do
        screen=$(e2e_screen)
        if grep -qE 'Ran [0-9]+ stages|Ran [a-z ]+ in ' <<< "$screen"; then return 0; fi
        if grep -qE '[A-Z][a-z ]+ failed: |is not in the configuration|No [a-z]+ samples' <<< "$screen"; then
            grep -E 'failed: |is not in the configuration|No [a-z]+ samples' <<< "$screen" | sed 's/^/    /' >&2
            return 1
        fi
        sleep 0.1
    done
    echo "    timed out waiting for the run to end" >&2
    e2e_dump >&2
    return 1
}

# e2e_stage_row NAME: the stage list's row for NAME ("✓ encoder  65 × 192  12.3ms"), up to its border.
e2e_stage_row() { e2e_screen | grep -oE "[✓▶·✗⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] $1 [^│┃]*" | head -1 | sed 's/ *$//'; }

# A fresh state folder, so saved prompts never go to the user's own.
e2e_state_dir() { mktemp -d "${TMPDIR:-/tmp}/allspark-e2e-state.XXXXXX"; }

test_first_screen_is_ready_to_run() {
    local state; state=$(e2e_state_dir)
    e2e_start 100 30 XDG_STATE_HOME="$state" -- || return 1
    local ok=0
    {
        e2e_wait_long "Model loaded" &&
        e2e_wait_for "allspark-tiny" &&
        # The hint bar shows the keys once the "Model loaded" message is gone (any key clears it).
        { e2e_keys Tab; e2e_wait_for "n next stage"; } &&
        e2e_wait_for "Samples │ text" &&
        e2e_wait_for "Prompt → Please determine" &&
        e2e_wait_for "Not run yet: n runs it"
    } || ok=1
    rm -rf "$state"
    return $ok
}

# Every modality: its first sample through every stage, the shapes on screen as `allspark shapes
# --json` predicts, and the head's prediction. Modalities the configuration lacks must be refused
# with a message on screen (not a crash); once they are configured they must pass like the others.
test_every_modality_runs_through_every_stage() {
    local expected; expected=$("$E2E_BIN" shapes --json | python3 scripts/e2e/expected_shapes.py) ||
        { echo "    allspark shapes --json failed" >&2; return 1; }
    local state; state=$(e2e_state_dir)
    e2e_start 120 40 XDG_STATE_HOME="$state" -- || return 1
    e2e_wait_long "Model loaded" || return 1
    e2e_command 'tokens 4'
    local failed=0 modality encoder bridge kind row
    while IFS=$'\t' read -r modality encoder bridge kind; do
        e2e_command "modality $modality"
        e2e_wait_for "Samples │ $modality" || { failed=1; continue; }
        e2e_keys r
        if [ "$encoder" = unconfigured ]; then
            if e2e_wait_for "$modality is not in the configuration" 2>/dev/null; then
                echo "    $modality: not in the configuration; refused with a message (skipped)"
            else
                echo "    $modality: no message for an unconfigured modality" >&2; failed=1
            fi
            e2e_program_pid >/dev/null || { echo "    the program ended" >&2; return 1; }
            continue
        fi
        if ! e2e_wait_run_end; then echo "    $modality: the run did not finish" >&2; failed=1; continue; fi
        row=$(e2e_stage_row encoder)
        [[ $row == *"$encoder"* ]] || { echo "    $modality: encoder row '$row', expected '$encoder'" >&2; failed=1; }
        if [ "$bridge" != - ]; then
            row=$(e2e_stage_row bridge)
            [[ $row == *"$bridge"* ]] || { echo "    $modality: bridge row '$row', expected '$bridge'" >&2; failed=1; }
        fi
        for stage in sample prompt sequence "language model" head generation; do
            row=$(e2e_stage_row "$stage")
            [[ $row == ✓* ]] || { echo "    $modality: stage $stage not done: '$row'" >&2; failed=1; }
        done
        # The run ends on the generation; the head is one up in the pipeline pane.
        e2e_keys Tab Tab k
        if e2e_wait_for "Prediction ($kind" 2>/dev/null; then
            echo "    $modality: encoder $encoder, bridge $bridge, $kind prediction shown"
        else
            echo "    $modality: no $kind prediction on screen" >&2; e2e_dump >&2; failed=1
        fi
    done <<< "$expected"
    rm -rf "$state"
    return $failed
}

# A prompt edit keeps the sample, encoder and bridge results: their rows (times included) do not change.
test_editing_the_prompt_reruns_only_the_later_stages() {
    local state; state=$(e2e_state_dir)
    e2e_start 120 40 XDG_STATE_HOME="$state" -- || return 1
    e2e_wait_long "Model loaded" || return 1
    e2e_command 'tokens 4'
    e2e_command 'modality rgb'
    e2e_keys r
    e2e_wait_run_end || return 1
    local encoder_before bridge_before lm_before
    encoder_before=$(e2e_stage_row encoder); bridge_before=$(e2e_stage_row bridge); lm_before=$(e2e_stage_row "language model")
    e2e_keys e C-u
    e2e_type 'Name the land cover in one word'
    e2e_keys Enter
    e2e_wait_long "kept sample, encoder, bridge from before" || return 1
    [ "$(e2e_stage_row encoder)" = "$encoder_before" ] || { echo "    the encoder row changed: $encoder_before -> $(e2e_stage_row encoder)" >&2; return 1; }
    [ "$(e2e_stage_row bridge)" = "$bridge_before" ] || { echo "    the bridge row changed" >&2; return 1; }
    e2e_wait_for "Ran 5 stages, prompt to generation" || return 1
    [ -n "$lm_before" ] || return 1
    rm -rf "$state"
}

test_resizing_mid_session_keeps_the_results() {
    local state; state=$(e2e_state_dir)
    e2e_start 100 30 XDG_STATE_HOME="$state" -- || return 1
    e2e_wait_long "Model loaded" || return 1
    e2e_command 'tokens 2'
    e2e_keys r
    e2e_wait_run_end || return 1
    e2e_resize 60 20
    e2e_wait_for "too small: 60 × 20" || return 1
    e2e_resize 80 24
    e2e_wait_gone "too small" || return 1
    e2e_wait_for "✓ generation" || return 1
    e2e_resize 100 30
    e2e_wait_for "✓ sample" || return 1
    e2e_keys q
    local status; status=$(e2e_wait_exit) || return 1
    [ "$status" = 0 ] || { echo "    exit status $status" >&2; return 1; }
    grep -qE '(^|[^-])\<icanon\>' "$E2E_DIR/stty" || { echo "    icanon is off after exit" >&2; return 1; }
    rm -rf "$state"
}

test_comparing_two_prompts_side_by_side() {
    local state; state=$(e2e_state_dir)
    e2e_start 120 40 XDG_STATE_HOME="$state" -- || return 1
    e2e_wait_long "Model loaded" || return 1
    e2e_command 'tokens 4'
    e2e_command 'modality rgb'
    e2e_keys c
    e2e_wait_for "Two prompts on this sample" || return 1
    e2e_keys Enter
    e2e_wait_for "the first prompt (A)" || return 1
    e2e_keys Enter
    e2e_wait_for "the second (B)" || return 1
    e2e_keys Enter
    e2e_wait_long "Two prompts on the same sample" || return 1
    e2e_wait_for "A: prompt: This remote sensing image belongs" || return 1
    e2e_wait_for "B: prompt: Describe this remote sensing image briefly" || return 1
    e2e_wait_for "Most likely next tokens" || return 1
    e2e_keys Escape
    e2e_wait_gone "Two prompts on the same sample" || return 1
    rm -rf "$state"
}

# Ctrl-c stops a long generation and the program goes on; q then quits cleanly.
test_ctrl_c_stops_a_generation() {
    local state; state=$(e2e_state_dir)
    # The tiny (untrained) configuration: in the trained one text has its own adapters, which
    # answer any prompt with a sentiment in four tokens; the pretrained model keeps counting.
    e2e_start 100 30 XDG_STATE_HOME="$state" -- tui --config configs/allspark-tiny.json || return 1
    e2e_wait_long "Model loaded" || return 1
    e2e_command 'tokens 2000'
    e2e_keys e C-u
    e2e_type 'Count from 1 to 1000, one number per line.'
    e2e_keys Enter
    e2e_keys r
    e2e_wait_long "streaming:" || return 1
    e2e_keys C-c
    e2e_wait_for "Generation stopped" || return 1
    [ -s "$E2E_DIR/rc" ] && { echo "    the first Ctrl-c quit" >&2; return 1; }
    e2e_keys q
    local status; status=$(e2e_wait_exit) || return 1
    [ "$status" = 0 ] || { echo "    exit status $status" >&2; return 1; }
    rm -rf "$state"
}

# The : line takes the REPL's commands: `:sample 2` moves the Samples pane's selection, `:run
# encoder` computes up to the encoder (the stage list shows it), `:show encoder` prints the same
# block as `allspark repl` in the detail pane, and an unknown word names both command sets.
test_command_line_runs_repl_commands_on_the_same_session() {
    local state; state=$(e2e_state_dir)
    e2e_start 120 40 XDG_STATE_HOME="$state" -- || return 1
    e2e_wait_long "Model loaded" || return 1
    e2e_command 'modality rgb'
    e2e_wait_for "Samples │ rgb" || return 1
    e2e_command 'sample 2'
    e2e_wait_long ":sample 2 done" || return 1
    e2e_command 'run encoder'
    e2e_wait_long ":run encoder done" || return 1
    e2e_wait_for "✓ encoder" || return 1
    e2e_stage_row bridge | grep -q '^·' || { echo "    the bridge ran too: $(e2e_stage_row bridge)" >&2; return 1; }
    e2e_command 'show encoder'
    e2e_wait_long "token layout: 1 leading + 8 × 8 patch grid" || return 1
    e2e_command 'frobnicate'
    e2e_wait_for "unknown command 'frobnicate'" || return 1
    e2e_keys r
    e2e_wait_run_end || return 1
    e2e_wait_for "✓ head" || return 1
    rm -rf "$state"
}

# `allspark run`, the REPL and the interface share one run loop on one session type: for the same
# sample (rgb's first) and prompt (its first) they show the same three top classes and probabilities.
test_run_repl_and_interface_show_the_same_prediction() {
    local config=configs/allspark-tiny.json expected repl state failed=0 line
    expected=$("$E2E_BIN" run --config "$config" --modality rgb --json | python3 -c '
import json, sys
classes = json.load(sys.stdin)["prediction"]["classes"][:3]
for c in classes: print("%s %.1f%%" % (c["label"], c["probability"] * 100))') || { echo "    run --json failed" >&2; return 1; }
    repl=$(printf 'modality rgb\nrun head\n' | "$E2E_BIN" repl --config "$config" 2>&1 |
        awk '/classes \(/ { on = 1; next } on && NF >= 2 { print $1, $2 } on && NF < 2 { on = 0 }' | head -3)
    [ "$repl" = "$expected" ] || { echo "    the REPL shows '$repl', run --json '$expected'" >&2; failed=1; }
    state=$(e2e_state_dir)
    e2e_start 120 40 XDG_STATE_HOME="$state" -- tui --config "$config" || return 1
    e2e_wait_long "Model loaded" || return 1
    e2e_command 'tokens 2'
    e2e_command 'modality rgb'
    e2e_wait_for "Samples │ rgb" || return 1
    e2e_keys r
    e2e_wait_run_end || return 1
    e2e_keys Tab Tab k
    e2e_wait_for "Prediction (classification" || return 1
    while read -r label percent; do
        e2e_screen | grep -qE "(^|[^a-z_])$label[^a-z_].*[^0-9.]$percent" ||
            { echo "    the interface does not show '$label … $percent'" >&2; e2e_dump >&2; failed=1; }
    done <<< "$expected"
    echo "    all three show: $(tr '\n' ',' <<< "$expected")"
    rm -rf "$state"
    return $failed
}
