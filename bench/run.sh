#!/usr/bin/env bash
# `make bench`: runs every benchmark script in bench/ (bench/*.bench.sh), each of which
# measures Dramatis side by side with a peer in the same run and prints the ratio.
# Results are collected into bench/results/latest.json.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
results=()
status=0
for script in bench/*.bench.sh; do
  [ -e "$script" ] || continue
  name=$(basename "$script" .bench.sh)
  echo "== $name"
  out="bench/results/$name.json"
  if bash "$script" "$out"; then
    [ -s "$out" ] && results+=("$out")
  else
    echo "benchmark $name failed" >&2
    status=1
  fi
done
python3 - "${results[@]}" >bench/results/latest.json <<'PY'
import json, sys, time
merged = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "benchmarks": {}}
for path in sys.argv[1:]:
    name = path.rsplit("/", 1)[-1].removesuffix(".json")
    with open(path) as f:
        merged["benchmarks"][name] = json.load(f)
print(json.dumps(merged, indent=2, sort_keys=True))
PY
echo "results: bench/results/latest.json"
exit $status
