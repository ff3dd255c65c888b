#!/usr/bin/env bash
# TUI benchmarks (frame cost at 10 vs 10,000 messages, first painted screen vs `llm chat`, peak RSS with a
# 10,000-message transcript, input-to-frame latency while marks are recorded), driven in tmux by bench/tui_bench.py. The peer `llm` is installed into a private
# venv (bench/.venv-llm) from the pinned bench/tui-requirements.txt.
# Usage: bench/tui.sh [OUT.json]   env: DRAMATIS=.build/release/dramatis ROUNDS=5 FRAMES=300
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
OUT=${1:-bench/results/tui.json}
DRAMATIS=${DRAMATIS:-.build/release/dramatis}
venv=bench/.venv-llm
[ -x "$DRAMATIS" ] || { echo "missing $DRAMATIS (swift build -c release)" >&2; exit 1; }
command -v tmux >/dev/null || { echo "tmux is missing (scripts/setup.sh installs it)" >&2; exit 1; }
if [ ! -x "$venv/bin/llm" ] || ! cmp -s bench/tui-requirements.txt "$venv/requirements.txt"; then
    echo "[bench/tui] installing the peer (llm 0.36, pinned) into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet -r bench/tui-requirements.txt
    cp bench/tui-requirements.txt "$venv/requirements.txt"
fi
mkdir -p "$(dirname "$OUT")"
python3 bench/tui_bench.py "$(realpath "$DRAMATIS")" "$(realpath "$venv/bin/llm")" "$OUT"
