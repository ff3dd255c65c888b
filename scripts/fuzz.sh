#!/usr/bin/env bash
# Builds the libFuzzer executables (fuzz-core, fuzz-sse) and runs each fuzz target for a bounded time (`make fuzz`).
#
#   FUZZ_SECONDS=60        seconds per target (libFuzzer -max_total_time)
#   FUZZ_TARGETS="sse ..." which targets (default: all seven)
#   FUZZ_ARGS="..."        extra libFuzzer flags, e.g. "-seed=1 -only_ascii=1"
#   FUZZ_BUILD_ONLY=1      build the fuzzers and stop
#   FUZZ_SKIP_BUILD=1      run the fuzzers already in .build-fuzz without rebuilding
#
# The fuzzers live in their own build folder (.build-fuzz) so the sanitized objects never mix with .build.
# Each target's working corpus is .build-fuzz/corpus/<target> (git-ignored, kept between runs and seeded
# from Fuzz/Corpus/<target>); crashes, timeouts and OOM inputs go to fuzz-artifacts/<target>/ (git-ignored).
# A crash input worth keeping is minimized and committed under
# Tests/DramatisFuzzRegressionTests/FuzzRegressions/<target>/ so `make test` replays it (see docs in the notes).
# Exit status: 0 when no target crashed, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

SWIFT=${SWIFT:-swift}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
ALL_TARGETS="persona character-card transcript jsonl-validator terminal-sanitizer bpe-tokenizer sse"
FUZZ_TARGETS=${FUZZ_TARGETS:-$ALL_TARGETS}
BUILD_PATH=.build-fuzz
LOG_DIR=$BUILD_PATH/logs

# SwiftPM's own --sanitize=fuzzer makes it compile executables with -parse-as-library and link them without
# its `--defsym main=<module>_main`, so libFuzzer's `main` (linked whole-archive by the driver) is the entry
# point and calls our @_cdecl("LLVMFuzzerTestOneInput"). SwiftPM 6.3 does not pass `fuzzer` on to the
# compile jobs, though, so the code would have no coverage instrumentation ("no interesting inputs were
# found"); -Xswiftc -sanitize=fuzzer,address adds it. -DDRAMATIS_FUZZING selects the libFuzzer entry
# points instead of the replay `@main` that the ordinary build uses.
BUILD_FLAGS=(-c debug --build-path "$BUILD_PATH" --sanitize=fuzzer --sanitize=address
             -Xswiftc -sanitize=fuzzer,address -Xswiftc -DDRAMATIS_FUZZING)

dictionary_for() {
    case "$1" in
        sse) echo Fuzz/Dictionaries/sse.dict ;;
        persona) echo Fuzz/Dictionaries/persona.dict ;;
        character-card|transcript|jsonl-validator) echo Fuzz/Dictionaries/json.dict ;;
        terminal-sanitizer) echo Fuzz/Dictionaries/terminal.dict ;;
        *) echo "" ;;
    esac
}

# The six DramatisCore targets share one executable (fuzz-core, target named by DRAMATIS_FUZZ_TARGET);
# the SSE target has its own (fuzz-sse), so only it builds SwiftNIO and BoringSSL with sanitizers.
executable_for() {
    if [[ $1 == sse ]]; then echo fuzz-sse; else echo fuzz-core; fi
}

mkdir -p "$LOG_DIR"
products=$(for target in $FUZZ_TARGETS; do executable_for "$target"; done | sort -u)
for product in $products; do
    [[ ${FUZZ_SKIP_BUILD:-0} == 1 ]] && break
    echo "[fuzz] building $product (ASan + libFuzzer, $BUILD_PATH)"
    "$SWIFT" build "${BUILD_FLAGS[@]}" --product "$product" 2>&1 \
        | grep -v "Cannot export local symbol" | tail -n 3
    [[ -x $BUILD_PATH/debug/$product ]] || { echo "[fuzz] build of $product failed" >&2; exit 1; }
done
[[ ${FUZZ_BUILD_ONLY:-0} == 1 ]] && exit 0

# The Swift runtime's crash backtracer runs a helper thread that reads the crashed thread's stack, which
# AddressSanitizer reports as a stack-buffer-underflow, hiding the real failure; libFuzzer and ASan print
# their own stack traces, so it is turned off.
export SWIFT_BACKTRACE=enable=no
# Leak checking stays on (libFuzzer's -detect_leaks=1 default); symbolize with the toolchain's llvm-symbolizer.
export ASAN_OPTIONS=${ASAN_OPTIONS:-"symbolize=1:external_symbolizer_path=$(dirname "$(command -v "$SWIFT")")/llvm-symbolizer"}

summary=()
crashed=0
for target in $FUZZ_TARGETS; do
    corpus=$BUILD_PATH/corpus/$target
    artifacts=fuzz-artifacts/$target
    log=$LOG_DIR/$target.log
    mkdir -p "$corpus" "$artifacts"
    flags=(-max_total_time="$FUZZ_SECONDS" -timeout=20 -rss_limit_mb=3072 -print_final_stats=1
           -artifact_prefix="$artifacts/")
    dict=$(dictionary_for "$target")
    [[ -n $dict ]] && flags+=(-dict="$dict")
    echo "[fuzz] $target: ${FUZZ_SECONDS}s, corpus $corpus + Fuzz/Corpus/$target, log $log"
    started=$(date +%s)
    set +e
    # shellcheck disable=SC2086  # FUZZ_ARGS is a list of flags
    # New inputs go to the first folder; the seeds and past crash inputs are read only.
    seeds=("Fuzz/Corpus/$target")
    regressions=Tests/DramatisFuzzRegressionTests/FuzzRegressions/$target
    [[ -d $regressions ]] && seeds+=("$regressions")
    DRAMATIS_FUZZ_TARGET=$target "$BUILD_PATH/debug/$(executable_for "$target")" "${flags[@]}" ${FUZZ_ARGS:-} \
        "$corpus" "${seeds[@]}" >"$log" 2>&1
    status=$?
    set -e
    elapsed=$(( $(date +%s) - started ))
    runs=$(awk '/^stat::number_of_executed_units:/ {print $2}' "$log" | tail -n 1)
    speed=$(awk '/^stat::average_exec_per_sec:/ {print $2}' "$log" | tail -n 1)
    coverage=$(grep -E '^#[0-9]+' "$log" | grep -o 'cov: [0-9]* ft: [0-9]*' | tail -n 1)
    units=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' "$log" | tail -n 1)
    if [[ $status -eq 0 ]]; then
        result="ok"
    else
        crashed=1
        artifact=$(grep -o "Test unit written to [^ ]*" "$log" | tail -n 1 | sed 's/Test unit written to //')
        reason=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer): [a-zA-Z -]+|Fatal error: .{0,100}' "$log" || true)
        result="CRASHED (exit $status) ${reason:-see log} -> ${artifact:-no artifact}"
    fi
    line=$(printf '%-19s %5ss  runs %-10s exec/s %-7s %-20s %-14s %s' "$target" "$elapsed" "${runs:-?}" "${speed:-?}" \
        "${coverage:-cov ?}" "${units:-corp ?}" "$result")
    echo "[fuzz] $line"
    summary+=("$line")
done

echo
echo "[fuzz] summary (${FUZZ_SECONDS}s per target; logs in $LOG_DIR)"
printf '  %s\n' "${summary[@]}"
if [[ $crashed -ne 0 ]]; then
    echo "[fuzz] at least one target crashed: reproduce with DRAMATIS_FUZZ_TARGET=<target> $BUILD_PATH/debug/fuzz-core <artifact>"
    echo "       (fuzz-sse for the sse target),"
    echo "       shrink with -minimize_crash=1 -runs=10000, fix, and commit the input under"
    echo "       Tests/DramatisFuzzRegressionTests/FuzzRegressions/<target>/ (not named crash-*, which git ignores)."
    exit 1
fi
