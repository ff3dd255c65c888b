#!/usr/bin/env bash
# `make bench`: every benchmark, each measuring Dramatis side by side with a peer (or at two
# sizes) in the same run and printing the ratio; raw results land in bench/results/ and are
# merged into bench/results/latest.json (git-ignored).
set -uo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
mkdir -p bench/results
status=0
run() {  # run NAME COMMAND...
  echo; echo "== $1"
  shift
  "$@" || { echo "benchmark failed: $*" >&2; status=1; }
}
run "streaming: dramatis ask vs curl straight to llama-server (tokens/s ratio, target >= 0.97; client CPU s per 1,000 tokens)" \
  env DRAMATIS=.build/release/dramatis bash bench/streaming.bench.sh bench/results/streaming.json
run "validation: dramatis validate vs Python + tiktoken (MB/s, peak RSS)" bash bench/validate.sh
run "tokenizer: o200k_base token counting vs tiktoken (tokens/s, MB/s)" bash bench/tokenize.sh
run "recorder: mark-to-durable latency with a 10,000-example dataset" \
  bash -c 'bash bench/record-latency.sh .build/release/dramatis 200 | tee bench/results/record-latency.json'
run "TUI: frame cost at 10 vs 10,000 messages, first painted screen vs llm chat, peak RSS, input latency during marks" \
  env DRAMATIS=.build/release/dramatis bash bench/tui.sh bench/results/tui.json
run "compare candidates: 2 candidates by one request with n=2 vs two requests at once on the local engine (wall time ratio)" \
  bash bench/candidates.sh bench/results/candidates.json
run "training: 50 persona examples, LoRA 1 epoch, held-out catch-phrase rate base vs tuned" \
  bash bench/train.sh bench/results/train.json
python3 - <<'PY' >bench/results/latest.json
import glob, json, os, time
merged = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "benchmarks": {}}
for path in sorted(glob.glob("bench/results/*.json")):
    name = os.path.basename(path)[:-5]
    if name == "latest":
        continue
    with open(path) as f:
        text = f.read().strip()
    try:
        merged["benchmarks"][name] = json.loads(text)
    except ValueError:
        try:
            merged["benchmarks"][name] = json.loads(text.splitlines()[-1])
        except (ValueError, IndexError):
            pass
print(json.dumps(merged, indent=2, sort_keys=True))
PY
echo; echo "results: bench/results/latest.json"
exit $status
