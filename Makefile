# Dramatis: `make run` sets everything up and opens the TUI; `make test` sets up and runs every test.
SHELL := /bin/bash
export LANG := C.UTF-8
export LC_ALL := C.UTF-8

SWIFT ?= swift
# Tests never record snapshots in CI; a missing or different snapshot fails.
export SNAPSHOT_TESTING_RECORD ?= never

.PHONY: all setup trainer-venv build release run test bench fuzz clean help

all: build

help:
	@echo "make run    set up (apt packages, local engine and model), build, open the TUI"
	@echo "make test   the same set-up, then every test"
	@echo "make bench  release build and every benchmark, ratios measured side by side"
	@echo "make fuzz   libFuzzer + ASan build, then each fuzz target for FUZZ_SECONDS (default 60)"

setup:
	@bash scripts/setup.sh

build: setup
	@echo "[build] swift build (first build compiles dependencies: a few minutes on 2 cores)"
	@$(SWIFT) build

release: setup
	@$(SWIFT) build -c release

run: build
	@.build/debug/dramatis chat --persona default

# Run after the rest, on their own (scripts/test.sh): the fault tests time connection closes and 2 s idle
# timeouts, which the real model's CPU load on 2 cores can stretch; the tmux paste test spends ~30 s of CPU
# in a debug build. (Process-waiting tests no longer block the cooperative pool: see Tests/…/OnThread.swift.)
# EffectRunnerTests waits up to 30 s for events that the runner's tasks post: in the parallel round, on 2 cores shared
# with builds, the cooperative pool was busy that long and two of them saw no event.
TIMING_SUITES := TUIRobustnessTests|OpenAICompatibleBackendFaultTests|ChatFaultRecoveryTests|EffectRunnerTests
# Real training (dramatis train on the embedded model): last, in a round of its own. A trainer spinning on both
# cores made a real-model TUI test that passes in 4 s time out after 120 s.
TRAINING_SUITES := DramatisTrainingTests
# Suites that spawn the binary, tmux or the real model: one test at a time, in a round of their own. Run in
# parallel with the rest, on 2 cores, their child processes starved each other past their waits (tmux commands
# that did not return within 60 s, a chat start-up past 30 s).
PROCESS_SUITES := DramatisEndToEndTests\.|AskAndDoctorCommandTests|AskStreamShapeTests|LocalModelStreamingTests

# The trainer's private Python venv (pinned torch/transformers/peft, several GB the first time; idempotent).
# `dramatis train` creates it on first use too; the tests train, so make test creates it up front.
trainer-venv:
	@echo "[setup] trainer venv (Trainer/setup-venv.sh)"
	@bash Trainer/setup-venv.sh >/dev/null

test: setup trainer-venv
	@echo "[test] building the package and its tests"
	@$(SWIFT) build --build-tests
	@SWIFT='$(SWIFT)' TIMING_SUITES='$(TIMING_SUITES)' TRAINING_SUITES='$(TRAINING_SUITES)' PROCESS_SUITES='$(PROCESS_SUITES)' bash scripts/test.sh

bench: release
	@bash bench/run.sh

# Seconds each fuzz target runs; FUZZ_TARGETS="sse persona" picks targets (see scripts/fuzz.sh).
FUZZ_SECONDS ?= 60
fuzz: setup
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh

clean:
	rm -rf .build .build-fuzz

# `make install [PREFIX=~/.local]`: the release binary to $(PREFIX)/bin, and the training worker (Trainer/, when this
# checkout has it) to $(PREFIX)/share/dramatis/trainer. Needs only Swift (no engine set-up).
PREFIX ?= $(HOME)/.local
.PHONY: install
install:
	@$(SWIFT) build -c release --product dramatis
	@install -d "$(DESTDIR)$(PREFIX)/bin"
	@install -m 0755 "$$($(SWIFT) build -c release --show-bin-path)/dramatis" "$(DESTDIR)$(PREFIX)/bin/dramatis"
	@if [ -d Trainer ]; then \
		install -d "$(DESTDIR)$(PREFIX)/share/dramatis/trainer" && \
		cp -R Trainer/. "$(DESTDIR)$(PREFIX)/share/dramatis/trainer/"; \
	fi
	@echo "installed $(DESTDIR)$(PREFIX)/bin/dramatis"
