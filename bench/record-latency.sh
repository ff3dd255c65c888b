#!/bin/sh
# Mark-to-durable latency of Recorder.record with a 10,000-example dataset.
# Usage: bench/record-latency.sh [path/to/dramatis] [marks]
# Prints one JSON line: examples, sft_bytes, prepare_ms (first-touch rebuild from 1,000 transcripts),
# p50_ms / p99_ms / max_ms of record() after a mark (transcript + sft.jsonl + preference.jsonl, all fsynced).
set -eu
BIN=${1:-.build/release/dramatis}
MARKS=${2:-200}
DIR=$(mktemp -d "${TMPDIR:-/tmp}/dramatis-bench-XXXXXX")
trap 'rm -rf "$DIR"' EXIT
"$BIN" debug bench-record --directory "$DIR/run" --conversations 1000 --marks-per-conversation 10 --marks "$MARKS"
