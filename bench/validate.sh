#!/usr/bin/env bash
# Benchmark: `dramatis validate` against a Python reference validator (the OpenAI data-prep
# notebook's checks, counting with tiktoken 0.14.0) on the same generated dataset, in the same run.
# Prints throughput (MB/s), CPU time and peak memory of each side (median of RUNS interleaved runs),
# the ratios, and checks that all sides count the same tokens.
# Dramatis runs twice: on 1 thread (--threads 1) and on every core (its default); the Python
# reference is single-threaded, so the 1-thread ratio is the like-for-like one.
# Environment: VALIDATE_BENCH_MB (default 100), RUNS (default 3). Writes bench/results/validate.json.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8
source bench/tiktoken-env.sh

size_mb=${VALIDATE_BENCH_MB:-100}
runs=${RUNS:-3}
cores=$(nproc)
dataset=$data_dir/validate-${size_mb}mb.jsonl
if [ ! -f "$dataset" ]; then
    echo "[bench/validate] generating $dataset"
    "$venv/bin/python" bench/validate_generate.py "$dataset" --megabytes "$size_mb"
fi
bytes=$(stat -c %s "$dataset")
raw=$results/raw   # per-run outputs (bench/run.sh merges only the top-level JSON files)
mkdir -p "$raw"

measure() { # label run command...
    local label=$1 run=$2; shift 2
    /usr/bin/time -f "%e %U %S %M" -o "$raw/validate-$label-$run.time" "$@" > "$raw/validate-$label-$run.json" || true
}

for run in $(seq 1 "$runs"); do
    echo "[bench/validate] run $run/$runs: dramatis validate --json --threads 1, --threads $cores; python reference ($((bytes / 1000000)) MB)"
    measure dramatis-1 "$run" "$binary" validate --json --threads 1 --model gpt-4o-mini "$dataset"
    measure dramatis-all "$run" "$binary" validate --json --threads "$cores" --model gpt-4o-mini "$dataset"
    measure python "$run" "$venv/bin/python" bench/validate_reference.py "$dataset" o200k_base 65536
done

"$venv/bin/python" - "$bytes" "$results" "$runs" "$cores" <<'PY'
import json, statistics, sys
size, results, runs, cores = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
raw = f"{results}/raw"
def timing(label, run):
    wall, user, system, rss = open(f"{raw}/validate-{label}-{run}.time").read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss) / 1024
def stats(label, run):
    data = json.load(open(f"{raw}/validate-{label}-{run}.json"))
    return data["stats"] if "stats" in data else data
sides = [("dramatis-1", "dramatis validate, 1 thread", 1), ("dramatis-all", f"dramatis validate, {cores} threads", cores),
         ("python", "python+tiktoken, 1 thread", 1)]
summary = {}
for label, name, threads in sides:
    times = [timing(label, run) for run in range(1, runs + 1)]
    wall = statistics.median(t[0] for t in times)
    cpu = statistics.median(t[1] for t in times)
    rss = max(t[2] for t in times)
    summary[label] = {"name": name, "threads": threads, "wall_seconds": wall, "cpu_seconds": cpu, "peak_rss_mb": round(rss, 1),
                      "mb_per_second": round(size / 1e6 / wall, 1), "runs": runs}
print(f"dataset: {size / 1e6:.0f} MB; median of {runs} interleaved runs; machine: {cores} cores")
print(f"{'':32}{'wall s':>9}{'MB/s':>9}{'cpu s':>9}{'peak MB':>9}{'wall ratio':>12}{'cpu ratio':>11}")
py = summary["python"]
for label, name, _ in sides:
    s = summary[label]
    print(f"{name:32}{s['wall_seconds']:9.2f}{s['mb_per_second']:9.1f}{s['cpu_seconds']:9.2f}{s['peak_rss_mb']:9.1f}"
          f"{py['wall_seconds'] / s['wall_seconds']:11.1f}x{py['cpu_seconds'] / s['cpu_seconds']:10.1f}x")
keys = ("examples", "total_tokens", "assistant_tokens", "billed_tokens", "epochs")
counts = {label: [stats(label, run) for run in range(1, runs + 1)] for label, _, _ in sides}
same = all(c[k] == counts["python"][0][k] for runs_ in counts.values() for c in runs_ for k in keys)
for k in keys:
    print(f"  {k:18} " + "  ".join(f"{label} {counts[label][0][k]:>12}" for label, _, _ in sides))
print("token counts agree" if same else "TOKEN COUNTS DIFFER")
result = {"bytes": size, "cores": cores, "token_counts_agree": same,
          "ratio_1_thread_wall": round(py["wall_seconds"] / summary["dramatis-1"]["wall_seconds"], 2),
          "ratio_all_threads_wall": round(py["wall_seconds"] / summary["dramatis-all"]["wall_seconds"], 2),
          "ratio_1_thread_cpu": round(py["cpu_seconds"] / summary["dramatis-1"]["cpu_seconds"], 2),
          "sides": summary, "counts": {k: counts["python"][0][k] for k in keys}}
with open(f"{results}/validate.json", "w") as f:
    json.dump(result, f, indent=2, sort_keys=True)
sys.exit(0 if same else 1)
PY
