#!/bin/sh
# Regenerates the example transcripts in this folder with the local model (SmolLM2-135M via llama-server),
# the shipped personas, temperature 0 and seed 42. Run from the repository root after `make setup`:
#   Transcripts/examples/make-examples.sh [path/to/dramatis]
set -eu
BIN=${1:-.build/debug/dramatis}
OUT=Transcripts/examples
SAMPLING="--backend local --temperature 0 --seed 42 --max-tokens 96"

"$BIN" debug make-example $SAMPLING --persona clippy --id 20261122-000001-clippy-example --out "$OUT" \
    --user "What is the tallest mountain on Earth?" --user "How tall is it, roughly?" \
    --marks bad,bad --edit-last "About 8,849 metres. Bring a coat, it gets chilly up there."
"$BIN" debug make-example $SAMPLING --persona pirate --id 20261122-000002-pirate-example --out "$OUT" \
    --user "Where should I bury my treasure?" --marks good
"$BIN" debug make-example $SAMPLING --persona tutor --id 20261122-000003-tutor-example --out "$OUT" \
    --max-tokens 48 --user "Why is the sky blue?" --marks good
