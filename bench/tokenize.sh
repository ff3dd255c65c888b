#!/usr/bin/env bash
# Benchmark (#8): token-counting throughput of Dramatis' o200k_base BPE against tiktoken (pinned,
# bench/.venv) on the same generated mixed corpus (English, code, CJK, emoji, numbers, whitespace
# runs). Both sides run on one thread, count every line-separated document of the corpus, and time
# only the counting (vocabulary loading excluded), in the same run, interleaved, RUNS times; the
# medians give tokens/s, MB/s and the ratio. Fails when the token totals differ.
# Dramatis is measured twice: `encode` (token ids, every piece merged, like tiktoken's
# encode_ordinary) and `count` (TokenCounter with its cache of merged pieces, what validate uses).
# Environment: RUNS (default 5), TOKENIZE_BENCH_MB (default 4). Writes bench/results/tokenize.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
source bench/tiktoken-env.sh

runs=${RUNS:-5}
size_mb=${TOKENIZE_BENCH_MB:-4}
corpus=$data_dir/tokenize-${size_mb}mb.txt
if [ ! -f "$corpus" ]; then
    echo "[bench/tokenize] generating $corpus"
    "$venv/bin/python" bench/tokenize_generate.py "$corpus" --megabytes "$size_mb"
fi
raw=$(mktemp)
trap 'rm -f "$raw"' EXIT
for run in $(seq 1 "$runs"); do
    echo "[bench/tokenize] run $run/$runs"
    printf 'tiktoken %s\n' "$("$venv/bin/python" bench/tokenize_reference.py "$corpus" o200k_base)" >>"$raw"
    printf 'encode %s\n' "$("$binary" debug count-tokens --mode encode "$corpus")" >>"$raw"
    printf 'count %s\n' "$("$binary" debug count-tokens --mode count "$corpus")" >>"$raw"
done

"$venv/bin/python" - "$raw" "$results/tokenize.json" "$("$venv/bin/python" -c 'import tiktoken; print(tiktoken.__version__)')" <<'PY'
import json, statistics, sys
raw, out, version = sys.argv[1], sys.argv[2], sys.argv[3]
runs = {}
for line in open(raw):
    label, payload = line.split(" ", 1)
    runs.setdefault(label, []).append(json.loads(payload))
labels = {"tiktoken": f"tiktoken {version} (Python, 1 thread)",
          "encode": "dramatis encode (ids, 1 thread)",
          "count": "dramatis count (cached, 1 thread)"}
summary = {}
for label, results in runs.items():
    seconds = statistics.median(r["seconds"] for r in results)
    summary[label] = {"tokens": results[0]["tokens"], "bytes": results[0]["bytes"], "documents": results[0]["documents"],
                      "median_seconds": round(seconds, 4), "runs": len(results),
                      "tokens_per_second": round(results[0]["tokens"] / seconds), "mb_per_second": round(results[0]["bytes"] / 1e6 / seconds, 2)}
totals = {label: {r["tokens"] for r in results} for label, results in runs.items()}
same = len(set().union(*totals.values())) == 1
print(f"corpus: {summary['tiktoken']['bytes'] / 1e6:.1f} MB, {summary['tiktoken']['documents']} documents; median of {summary['tiktoken']['runs']} interleaved runs")
print(f"{'':36}{'tokens':>11}{'seconds':>9}{'Mtok/s':>8}{'MB/s':>8}{'ratio':>7}")
base = summary["tiktoken"]["median_seconds"]
for label in ("tiktoken", "encode", "count"):
    s = summary[label]
    print(f"{labels[label]:36}{s['tokens']:>11}{s['median_seconds']:>9.3f}{s['tokens_per_second'] / 1e6:>8.2f}{s['mb_per_second']:>8.1f}{base / s['median_seconds']:>6.1f}x")
print("token totals agree" if same else f"TOKEN TOTALS DIFFER: {totals}")
result = {"encoding": "o200k_base", "threads_each": 1, "tiktoken_version": version, "token_totals_agree": same,
          "ratio_encode_vs_tiktoken": round(base / summary["encode"]["median_seconds"], 2),
          "ratio_count_vs_tiktoken": round(base / summary["count"]["median_seconds"], 2),
          "sides": summary}
with open(out, "w") as f:
    json.dump(result, f, indent=2, sort_keys=True)
sys.exit(0 if same else 1)
PY
