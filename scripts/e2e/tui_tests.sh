# End-to-end tests of the full-screen interface. Each function is one test: it returns non-zero
# (or fails an expectation) on failure. Sourced by scripts/e2e.sh, which runs every test_* function.

VERSION_TEXT=""  # "allspark 0.1.0", read from --version by e2e.sh

test_opens_with_name_version_and_modalities() {
    e2e_start 100 30 -- || return 1
    e2e_wait_for "$VERSION_TEXT" || return 1
    for name in Modalities 1D Text Code 2D RGB "Multispectral (MSI)" "Hyperspectral (HSI)" Table Trajectory \
                SAR Infrared Graph "Oblique photography" 3D Video "Point cloud" Pipeline Prompt; do
        e2e_screen | grep -qF -- "$name" || { echo "    missing: $name" >&2; e2e_dump >&2; return 1; }
    done
}

test_help_opens_with_question_mark_and_closes_with_esc() {
    e2e_start 100 30 -- || return 1
    e2e_wait_for "Modalities" || return 1
    e2e_keys '?'
    e2e_wait_for "focus the next pane" || return 1
    e2e_wait_for "Esc or ? closes" || return 1
    e2e_keys Escape
    e2e_wait_gone "focus the next pane" || return 1
    e2e_wait_for "Modalities"
}

test_too_small_message_and_back() {
    e2e_start 100 30 -- || return 1
    e2e_wait_for "Modalities" || return 1
    e2e_resize 60 20
    e2e_wait_for "too small: 60 × 20" || return 1
    e2e_wait_for "at least 80 × 24" || return 1
    e2e_screen | grep -qF "Modalities" && { echo "    layout still drawn when too small" >&2; return 1; }
    e2e_resize 100 30
    e2e_wait_for "Modalities" || return 1
    e2e_wait_gone "too small"
}

test_q_quits_with_status_0_and_restores_the_terminal() {
    e2e_start 100 30 -- || return 1
    e2e_wait_for "Modalities" || return 1
    e2e_keys q
    local status; status=$(e2e_wait_exit) || return 1
    [ "$status" = 0 ] || { echo "    exit status $status, expected 0" >&2; return 1; }
    grep -qE '(^|[^-])\<echo\>' "$E2E_DIR/stty" || { echo "    echo is off after exit:" >&2; cat "$E2E_DIR/stty" >&2; return 1; }
    grep -qE '(^|[^-])\<icanon\>' "$E2E_DIR/stty" || { echo "    icanon is off after exit:" >&2; cat "$E2E_DIR/stty" >&2; return 1; }
    e2e_wait_for "[program ended]"
}

test_ctrl_c_cancels_a_job_then_quits() {
    e2e_start 100 30 -- || return 1
    e2e_wait_for "Modalities" || return 1
    # Ctrl-c during the model load stops the load job; these tests start once it is done.
    e2e_wait_long "Model loaded" || return 1
    e2e_keys ':'
    e2e_type 'demo-job 60'
    e2e_keys Enter
    e2e_wait_for "demo job" || return 1
    e2e_keys C-c
    e2e_wait_for "Demo job cancelled." || return 1
    [ -s "$E2E_DIR/rc" ] && { echo "    the first Ctrl-c quit" >&2; return 1; }
    e2e_keys C-c
    local status; status=$(e2e_wait_exit) || return 1
    [ "$status" = 130 ] || { echo "    exit status $status, expected 130 (SIGINT)" >&2; return 1; }
    grep -qE '(^|[^-])\<icanon\>' "$E2E_DIR/stty" || { echo "    icanon is off after exit" >&2; return 1; }
}

test_ctrl_c_twice_during_a_job_quits() {
    e2e_start 100 30 -- || return 1
    e2e_wait_for "Modalities" || return 1
    # Ctrl-c during the model load stops the load job; these tests start once it is done.
    e2e_wait_long "Model loaded" || return 1
    e2e_keys ':'
    e2e_type 'demo-job 60'
    e2e_keys Enter
    e2e_wait_for "demo job" || return 1
    e2e_keys C-c C-c
    local status; status=$(e2e_wait_exit) || return 1
    [ "$status" = 130 ] || { echo "    exit status $status, expected 130" >&2; return 1; }
}

test_sigterm_restores_the_terminal() {
    e2e_start 100 30 -- || return 1
    e2e_wait_for "Modalities" || return 1
    local pid; pid=$(e2e_program_pid) || { echo "    cannot find the program's process" >&2; return 1; }
    kill -TERM "$pid"
    local status; status=$(e2e_wait_exit) || return 1
    [ "$status" = 143 ] || { echo "    exit status $status, expected 143 (SIGTERM)" >&2; return 1; }
    grep -qE '(^|[^-])\<echo\>' "$E2E_DIR/stty" || { echo "    echo is off after SIGTERM" >&2; return 1; }
}

test_prompt_editing_with_readline_keys() {
    e2e_start 100 30 -- || return 1
    e2e_wait_for "Modalities" || return 1
    # The line starts with the modality's default prompt: C-u clears it.
    e2e_keys e C-u
    e2e_type 'describe world'
    e2e_keys M-b C-k
    e2e_type 'the image'
    e2e_keys Enter
    e2e_wait_for "Prompt → describe the image" || return 1
    e2e_keys e C-a
    e2e_type 'never '
    # Wait for the edit to show before Esc, or the check below could see the line before the edit.
    e2e_wait_for "never describe the image" || return 1
    e2e_keys Escape
    e2e_wait_gone "never" || { echo "    Esc did not put the prompt back" >&2; return 1; }
    e2e_wait_for "Prompt → describe the image"
}

test_command_line_chooses_a_modality() {
    e2e_start 100 30 -- || return 1
    e2e_wait_for "Modalities" || return 1
    e2e_keys ':'
    e2e_type 'modality pointcloud'
    e2e_keys Enter
    e2e_wait_for "Samples │ pointcloud" || return 1
    e2e_keys ':'
    e2e_type 'nonsense'
    e2e_keys Enter
    e2e_wait_for "unknown command 'nonsense'"
}

test_no_color_starts_without_colours() {
    e2e_start 100 30 NO_COLOR=1 -- || return 1
    e2e_wait_for "$VERSION_TEXT" || return 1
    # Attributes (reverse, bold) are allowed; colour selections (SGR 30-49, 90-107, 38;5, 48;5) are not.
    if e2e_screen_with_escapes | grep -qE $'\e\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m'; then
        echo "    colour escape sequences on screen with NO_COLOR=1" >&2; return 1
    fi
}

test_no_color_flag_starts_without_colours() {
    e2e_start 100 30 -- --no-color || return 1
    e2e_wait_for "$VERSION_TEXT" || return 1
    if e2e_screen_with_escapes | grep -qE $'\e\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m'; then
        echo "    colour escape sequences on screen with --no-color" >&2; return 1
    fi
}

test_colours_are_used_by_default() {
    e2e_start 100 30 -- || return 1
    e2e_wait_for "$VERSION_TEXT" || return 1
    e2e_screen_with_escapes | grep -qE $'\e\\[([0-9;]*;)?(3[0-8]|4[0-8])(;[0-9;]*)?m' || {
        echo "    no colour on screen by default" >&2; return 1; }
}

test_ascii_starts_without_box_drawing() {
    e2e_start 100 30 -- --ascii || return 1
    e2e_wait_for "$VERSION_TEXT" || return 1
    e2e_wait_for "Modalities" || return 1
    if e2e_screen | LC_ALL=C grep -q $'[\x80-\xff]'; then
        echo "    non-ASCII characters on screen with --ascii:" >&2; e2e_dump >&2; return 1
    fi
    e2e_screen | grep -qE -- '-\+' || { echo "    no ASCII frames" >&2; return 1; }
}

test_unknown_terminal_type_is_explained() {
    e2e_start 100 30 TERM=no-such-terminal -- || return 1
    local status; status=$(e2e_wait_exit) || return 1
    [ "$status" != 0 ] || { echo "    exit status 0 with an unknown TERM" >&2; return 1; }
    e2e_wait_for "TERM=no-such-terminal" || return 1
    e2e_wait_for "allspark run --help"
}

# Not in tmux: with no terminal, a message and a non-zero status, and nothing drawn.
test_no_terminal_prints_a_message() {
    local out status
    out=$("$E2E_BIN" < /dev/null 2>&1 | cat; exit "${PIPESTATUS[0]}"); status=$?
    [ "$status" != 0 ] || { echo "    exit status 0 without a terminal" >&2; return 1; }
    for text in "needs a terminal" "allspark run --help" "allspark repl"; do
        grep -qF -- "$text" <<< "$out" || { echo "    message lacks '$text': $out" >&2; return 1; }
    done
    if LC_ALL=C grep -q $'\e' <<< "$out"; then echo "    escape sequences written without a terminal" >&2; return 1; fi
}

test_ctrl_c_quits_when_nothing_runs() {
    e2e_start 100 30 -- || return 1
    e2e_wait_for "Modalities" || return 1
    # Ctrl-c during the model load stops the load job; these tests start once it is done.
    e2e_wait_long "Model loaded" || return 1
    e2e_keys C-c
    local status; status=$(e2e_wait_exit) || return 1
    [ "$status" = 130 ] || { echo "    exit status $status, expected 130" >&2; return 1; }
    grep -qE '(^|[^-])\<icanon\>' "$E2E_DIR/stty" || { echo "    icanon is off after exit" >&2; return 1; }
}

test_sigint_from_outside_quits() {
    e2e_start 100 30 -- || return 1
    e2e_wait_for "Modalities" || return 1
    e2e_wait_long "Model loaded" || return 1
    local pid; pid=$(e2e_program_pid) || { echo "    cannot find the program's process" >&2; return 1; }
    kill -INT "$pid"
    local status; status=$(e2e_wait_exit) || return 1
    [ "$status" = 130 ] || { echo "    exit status $status, expected 130" >&2; return 1; }
    grep -qE '(^|[^-])\<echo\>' "$E2E_DIR/stty" || { echo "    echo is off after SIGINT" >&2; return 1; }
}

test_samples_are_listed_and_filtered() {
    local samples; samples=$(mktemp -d "${TMPDIR:-/tmp}/allspark-e2e-samples.XXXXXX")
    mkdir -p "$samples/text"
    printf 'The quick brown fox.\n' > "$samples/text/fox.txt"
    printf 'Lorem ipsum.\n' > "$samples/text/lorem.txt"
    e2e_start 100 30 -- --samples "$samples"
    local ok=0
    {
        e2e_wait_for "fox.txt" && e2e_wait_for "lorem.txt" && e2e_wait_for "The quick brown fox." &&
        e2e_keys / && e2e_type lor && e2e_wait_gone "fox.txt" && e2e_wait_for "lorem.txt" &&
        e2e_keys Escape && e2e_wait_for "fox.txt"
    } || ok=1
    rm -rf "$samples"
    return $ok
}

# A crash (here a SIGSEGV sent from outside) leaves no normal exit path: the fatal-signal handler
# must put the terminal modes back before the process dies. (Swift's interactive backtracer is
# switched off so the test does not wait for it.)
test_a_crash_still_restores_the_terminal() {
    e2e_start 100 30 SWIFT_BACKTRACE=enable=no -- || return 1
    e2e_wait_for "Modalities" || return 1
    local pid; pid=$(e2e_program_pid) || { echo "    cannot find the program's process" >&2; return 1; }
    kill -SEGV "$pid"
    local status; status=$(e2e_wait_exit) || return 1
    [ "$status" = 139 ] || { echo "    exit status $status, expected 139 (SIGSEGV)" >&2; return 1; }
    grep -qE '(^|[^-])\<echo\>' "$E2E_DIR/stty" || { echo "    echo is off after a crash" >&2; cat "$E2E_DIR/stty" >&2; return 1; }
    grep -qE '(^|[^-])\<icanon\>' "$E2E_DIR/stty" || { echo "    icanon is off after a crash" >&2; return 1; }
}

test_widget_gallery_draws_in_colour_and_in_ascii() {
    e2e_start 120 50 -- || return 1
    e2e_wait_for "Modalities" || return 1
    e2e_keys ':'; e2e_type 'widgets'; e2e_keys Enter
    e2e_wait_for "widget gallery" || return 1
    e2e_wait_for "Token pieces" || return 1
    e2e_screen | grep -q '⠀' || { echo "    no braille plot" >&2; e2e_dump >&2; return 1; }
    e2e_screen_with_escapes | grep -qE $'\e\\[([0-9;]*;)?48;5;[0-9]+' || { echo "    no 256-colour backgrounds" >&2; return 1; }
    e2e_stop
    e2e_start 120 50 -- --ascii --no-color || return 1
    e2e_wait_for "Modalities" || return 1
    e2e_keys ':'; e2e_type 'widgets'; e2e_keys Enter
    e2e_wait_for "widget gallery" || return 1
    e2e_wait_for "Token pieces" || return 1
    if e2e_screen | LC_ALL=C grep -q $'[\x80-\xff]'; then
        echo "    non-ASCII characters in the ASCII gallery:" >&2; e2e_dump >&2; return 1
    fi
}
