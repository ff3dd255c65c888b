#!/usr/bin/env bash
# Idempotent set-up of the trainer's private Python environment (see PROTOCOL.md):
#   ${XDG_CACHE_HOME:-~/.cache}/dramatis/trainer/venv-<requirements hash>/   the venv (pinned packages)
#   ${XDG_CACHE_HOME:-~/.cache}/dramatis/trainer/converter-llama-cpp-python-<version>/
#       convert_lora_to_gguf.py, convert_hf_to_gguf.py, conversion/, gguf-py/ from the engine's source archive
# Never touches the system Python: packages go into the venv only. Progress goes to stderr; on success the
# last stdout line is {"python": …, "converter_dir": …}. The venv counts as installed only when its
# completion marker (written last, holding the requirements' hash) matches; anything else is rebuilt.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REQUIREMENTS="$HERE/requirements.txt"
TRAINER_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/dramatis/trainer"
LOG_DIR="$TRAINER_ROOT/logs"

ENGINE_VERSION="0.3.36"
ENGINE_SHA256="832db0699007f1be95a7e41ef12e88926b02ba836461e36a36372db2760c1a2e"
CONVERTER_DIR="$TRAINER_ROOT/converter-llama-cpp-python-$ENGINE_VERSION"
ARCHIVE_NAME="llama_cpp_python-$ENGINE_VERSION.tar.gz"

START=$(date +%s)
say() { printf '[trainer setup %ss] %s\n' "$(( $(date +%s) - START ))" "$*" >&2; }
fail() { printf 'trainer setup failed: %s\n' "$1" >&2; [ -n "${2:-}" ] && printf '  log: %s\n' "$2" >&2; exit 1; }

[ -f "$REQUIREMENTS" ] || fail "missing $REQUIREMENTS"
mkdir -p "$LOG_DIR"

# One set-up at a time (make test and a user's first `dramatis train` may start together).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$TRAINER_ROOT/.setup.lock"
  flock 9
fi

sha256_of() { if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi; }

# --- Python interpreter (the venv's base; nothing is installed into it) -------
pick_python() {
  local candidate
  for candidate in "${DRAMATIS_PYTHON:-}" python3.11 python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(0 if (3, 10) <= sys.version_info[:2] <= (3, 13) else 1)' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}
# The venv's name holds the hash of the requirements and the Python version: changing either builds a new one.
REQ_HASH=$(sha256_of "$REQUIREMENTS")
choose_venv() {
  BASE_PYTHON=$(pick_python) || fail "no Python 3.10-3.13 found (set DRAMATIS_PYTHON to one)"
  PY_TAG=$("$BASE_PYTHON" -c 'import sys; print("py%d%d" % sys.version_info[:2])')
  VENV="$TRAINER_ROOT/venv-$PY_TAG-${REQ_HASH:0:16}"
}
# Fast path for every run after the first (dramatis train calls this script each time): a complete venv of these
# requirements is used without asking the base Python its version, because a pyenv shim takes ~0.5 s a call.
VENV=""
BASE_PYTHON=""
if [ -z "${DRAMATIS_PYTHON:-}" ]; then
  for candidate in "$TRAINER_ROOT"/venv-py3*-"${REQ_HASH:0:16}"; do
    if [ "$(cat "$candidate/.dramatis-complete" 2>/dev/null)" = "$REQ_HASH" ]; then VENV=$candidate; break; fi
  done
fi
[ -n "$VENV" ] || choose_venv
MARKER="$VENV/.dramatis-complete"

if [ "$(cat "$MARKER" 2>/dev/null)" != "$REQ_HASH" ] || ! "$VENV/bin/python" -c '' 2>/dev/null; then
  if [ -z "$BASE_PYTHON" ]; then
    choose_venv
    MARKER="$VENV/.dramatis-complete"
  fi
  log="$LOG_DIR/pip-install.log"; : >"$log"
  # No marker: a previous attempt failed or was interrupted. Start from nothing.
  rm -rf "$VENV"
  say "creating the trainer's Python environment in $VENV ($("$BASE_PYTHON" --version 2>&1))"
  "$BASE_PYTHON" -m venv "$VENV" >>"$log" 2>&1 \
    || fail "python -m venv failed (on Debian/Ubuntu: apt-get install python3-venv)" "$log"
  say "installing PyTorch, transformers, PEFT and gguf (pinned in Trainer/requirements.txt; several GB from PyPI on a first install, minutes)"
  # pip's own progress lines go to stderr (and the log); stdout stays for the final JSON line.
  "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input --progress-bar off -r "$REQUIREMENTS" 2>&1 \
    | tee -a "$log" | { grep --line-buffered -E '^ *(Collecting|Downloading|Installing|Successfully|ERROR)' >&2 || true; } \
    || fail "pip install -r Trainer/requirements.txt failed" "$log"
  "$VENV/bin/python" -m pip check >>"$log" 2>&1 || fail "installed packages are inconsistent (pip check)" "$log"
  "$VENV/bin/python" -c 'import torch, transformers, peft, gguf, safetensors, sentencepiece' >>"$log" 2>&1 \
    || fail "the trainer's packages do not import" "$log"
  # Written last: only a complete, importable install is ever taken for finished.
  printf '%s' "$REQ_HASH" >"$MARKER.tmp" && mv "$MARKER.tmp" "$MARKER"
  say "Python environment ready"
  # Venvs of older requirements are no longer used.
  for old in "$TRAINER_ROOT"/venv-*; do
    [ "$old" = "$VENV" ] || [ ! -d "$old" ] || rm -rf "$old"
  done
fi

# --- LoRA -> GGUF converter from the engine's source archive ------------------
if [ ! -f "$CONVERTER_DIR/convert_lora_to_gguf.py" ]; then
  log="$LOG_DIR/converter.log"; : >"$log"
  work=$(mktemp -d "$TRAINER_ROOT/.converter.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  # The engine's set-up may have left the archive in its work folder; any copy is checked by its hash.
  archive=""
  for candidate in "$TRAINER_ROOT/$ARCHIVE_NAME" "${XDG_CACHE_HOME:-$HOME/.cache}"/dramatis/.engine.*/dl/"$ARCHIVE_NAME"; do
    if [ -f "$candidate" ] && [ "$(sha256_of "$candidate")" = "$ENGINE_SHA256" ]; then archive=$candidate; break; fi
  done
  if [ -z "$archive" ]; then
    say "downloading llama-cpp-python==$ENGINE_VERSION source archive (for convert_lora_to_gguf.py)"
    "$VENV/bin/python" -m pip download --disable-pip-version-check --no-input --no-deps --no-binary=:all: \
        -d "$work/dl" "llama-cpp-python==$ENGINE_VERSION" >>"$log" 2>&1 || fail "download of llama-cpp-python==$ENGINE_VERSION failed" "$log"
    archive="$work/dl/$ARCHIVE_NAME"
    [ -f "$archive" ] || fail "the download produced no $ARCHIVE_NAME" "$log"
    got=$(sha256_of "$archive")
    [ "$got" = "$ENGINE_SHA256" ] || fail "checksum mismatch for $ARCHIVE_NAME: expected $ENGINE_SHA256, got $got" "$log"
  fi
  say "unpacking the LoRA converter"
  prefix="llama_cpp_python-$ENGINE_VERSION/vendor/llama.cpp"
  tar -xzf "$archive" -C "$work" "$prefix/convert_lora_to_gguf.py" "$prefix/convert_hf_to_gguf.py" \
      "$prefix/conversion" "$prefix/gguf-py" "$prefix/LICENSE" >>"$log" 2>&1 || fail "could not unpack the converter from $ARCHIVE_NAME" "$log"
  rm -rf "$CONVERTER_DIR"
  mv "$work/$prefix" "$CONVERTER_DIR"
  say "converter ready: $CONVERTER_DIR"
fi

# The last stdout line, read by dramatis (TrainerEnvironment). Printed by bash, not by another Python start-up.
json_string() { local text=${1//\\/\\\\}; printf '"%s"' "${text//\"/\\\"}"; }
printf '{"python": %s, "converter_dir": %s}\n' "$(json_string "$VENV/bin/python")" "$(json_string "$CONVERTER_DIR")"
