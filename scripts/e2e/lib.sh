# Helpers for driving allspark in tmux. Sourced by scripts/e2e.sh.
#
# Each test gets a fresh tmux server on its own socket in its own temporary folder, a pane of a
# given size with LANG=C.UTF-8 and TERM=tmux-256color, and a wrapper that records the program's
# exit status in $E2E_DIR/rc and the terminal's modes after exit (stty -a) in $E2E_DIR/stty.
# Waiting is always polling for an expected state with a deadline, never a fixed sleep.

E2E_TIMEOUT=${E2E_TIMEOUT:-15}   # seconds to wait for any one expected state
E2E_RUN_TIMEOUT=${E2E_RUN_TIMEOUT:-120}   # seconds for a model load or a whole run (slow shared machines)
E2E_DIR=""

_tmux() { tmux -S "$E2E_DIR/sock" -f /dev/null "$@"; }

# e2e_start WIDTH HEIGHT [ENV=VALUE ...] -- ARGS...: starts "$E2E_BIN ARGS..." in a new pane,
# with the environment variables given (NO_COLOR is unset unless given).
e2e_start() {
    local width=$1 height=$2; shift 2
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
    [ "${1:-}" = "--" ] && shift
    E2E_DIR=$(mktemp -d "${TMPDIR:-/tmp}/allspark-e2e.XXXXXX")
    {
        echo '#!/usr/bin/env bash'
        printf 'cd %q\n' "$PWD"
        printf '%q' "$E2E_BIN"; [ $# -gt 0 ] && printf ' %q' "$@"; echo
        printf 'echo $? > %q\n' "$E2E_DIR/rc"
        printf 'stty -a > %q 2>&1\n' "$E2E_DIR/stty"
        echo 'echo "[program ended]"'
        echo 'exec sleep 600'
    } > "$E2E_DIR/run.sh"
    chmod +x "$E2E_DIR/run.sh"
    # env -u: the tests decide about NO_COLOR, not the environment they run in.
    _tmux new-session -d -s e2e -x "$width" -y "$height" -e LANG=C.UTF-8 -e TERM=tmux-256color \
        "env -u NO_COLOR ${envs[*]+$(printf '%q ' "${envs[@]}")} $E2E_DIR/run.sh"
}

e2e_screen() { _tmux capture-pane -p -t e2e 2>/dev/null; }
e2e_screen_with_escapes() { _tmux capture-pane -p -e -t e2e 2>/dev/null; }

# e2e_wait_for TEXT: until the screen shows TEXT (fixed string).
e2e_wait_for() {
    local deadline=$((SECONDS + E2E_TIMEOUT))
    while [ $SECONDS -le $deadline ]; do
        e2e_screen | grep -qF -- "$1" && return 0
        sleep 0.05
    done
    echo "    timed out waiting for: $1" >&2
    e2e_dump >&2
    return 1
}

# e2e_wait_long TEXT: e2e_wait_for with the longer deadline of model work.
e2e_wait_long() { E2E_TIMEOUT=$E2E_RUN_TIMEOUT e2e_wait_for "$1"; }

# e2e_wait_gone TEXT: until the screen no longer shows TEXT.
e2e_wait_gone() {
    local deadline=$((SECONDS + E2E_TIMEOUT))
    while [ $SECONDS -le $deadline ]; do
        e2e_screen | grep -qF -- "$1" || return 0
        sleep 0.05
    done
    echo "    timed out waiting for this to go: $1" >&2
    e2e_dump >&2
    return 1
}

# e2e_wait_exit: until the program has exited; prints its status.
e2e_wait_exit() {
    local deadline=$((SECONDS + E2E_TIMEOUT))
    while [ $SECONDS -le $deadline ]; do
        if [ -s "$E2E_DIR/rc" ] && [ -s "$E2E_DIR/stty" ]; then cat "$E2E_DIR/rc"; return 0; fi
        sleep 0.05
    done
    echo "    timed out waiting for the program to exit" >&2
    e2e_dump >&2
    return 1
}

# The process id of the program (the pane's shell runs it as its only child).
e2e_program_pid() { pgrep -P "$(_tmux display -p -t e2e '#{pane_pid}')"; }

e2e_keys() { _tmux send-keys -t e2e "$@"; }
e2e_type() { _tmux send-keys -t e2e -l -- "$1"; }
e2e_resize() { _tmux resize-window -t e2e -x "$1" -y "$2"; }

e2e_dump() {
    echo "    ---- screen ----"
    e2e_screen | sed 's/^/    |/'
    echo "    ----------------"
}

e2e_stop() {
    [ -n "$E2E_DIR" ] || return 0
    _tmux kill-server 2>/dev/null || true
    rm -rf "$E2E_DIR"
    E2E_DIR=""
}
