#!/usr/bin/env bash
# Runs the built test suite in four rounds (see PROCESS_SUITES, TIMING_SUITES and TRAINING_SUITES in the Makefile)
# and, when a round fails,
# repeats every failure line at the end: swift-testing prints a failure where it happens, which can be
# thousands of lines above the summary a CI log's tail shows.
set -uo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
TIMING_SUITES=${TIMING_SUITES:?set by the Makefile}
TRAINING_SUITES=${TRAINING_SUITES:?set by the Makefile}
PROCESS_SUITES=${PROCESS_SUITES:?set by the Makefile}
logs=.build/test-logs
mkdir -p "$logs"

round() {
    local name=$1; shift
    local log="$logs/$name.log"
    "$SWIFT" test --skip-build "$@" 2>&1 | tee "$log"
    local status=${PIPESTATUS[0]}
    if [ "$status" -ne 0 ]; then
        echo
        echo "[test] round '$name' failed (exit $status); its failures, from $log:"
        grep -E '^✘|^error:|[Ff]atal error|unexpected signal' "$log" | cut -c1-400 | head -60
    fi
    return "$status"
}

echo "[test] running the test suite (in parallel)"
round main --skip "$TIMING_SUITES" --skip "$TRAINING_SUITES" --skip "$PROCESS_SUITES"; main=$?
echo "[test] suites that spawn the binary, tmux or the real model, one test at a time"
round processes --filter "$PROCESS_SUITES" --skip "$TIMING_SUITES" --skip "$TRAINING_SUITES" --no-parallel; processes=$?
echo "[test] timing-sensitive suites on their own (fault timeouts and closes, the 10 MB paste)"
# One at a time too: in parallel, the paste test's CPU delayed a scripted close past a 5 s idle timeout
# (disconnectMidStreamKeepsPartialText saw a stall instead of the disconnect).
round timing --filter "$TIMING_SUITES" --no-parallel; timing=$?
echo "[test] training suites on their own (real LoRA training on the embedded model)"
# The real-training suites are serialized among themselves (RealTraining in Tests/DramatisTrainingTests).
round training --filter "$TRAINING_SUITES"; training=$?
if [ "$main" -ne 0 ] || [ "$processes" -ne 0 ] || [ "$timing" -ne 0 ] || [ "$training" -ne 0 ]; then
    echo "[test] FAILED: main round exit $main, process round exit $processes, timing round exit $timing, training round exit $training (logs in $logs/)"
    exit 1
fi
echo "[test] all tests passed"
