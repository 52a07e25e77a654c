#!/bin/bash
# Fuzzes TIFF and PDF reading with libFuzzer for a bounded time (default 120 s, split between the two
# formats), seeded from samples/ and the hostile corpus. Builds its own target in .build-fuzz (plain
# `swift build` never sees it). Any crash, sanitizer report or timeout is copied into
# Tests/Fixtures/hostile/fuzz/ as a regression file, which HostileCorpusTests then reads on every run.
#   scripts/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-120}"
half=$(( seconds / 2 > 0 ? seconds / 2 : 1 ))
export FILEROOM_FUZZ=1 OMP_THREAD_LIMIT=1
swift build --scratch-path .build-fuzz --product fuzz-pages \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library 2>&1 | grep -v "Cannot export local symbol" || true
[ -x .build-fuzz/debug/fuzz-pages ] || { echo "fuzz.sh: the fuzz target did not build" >&2; exit 2; }
binary=.build-fuzz/debug/fuzz-pages
work=$(mktemp -d /tmp/fileroom-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
found=Tests/Fixtures/hostile/fuzz
mkdir -p "$found"
status=0
for format in tif pdf; do
    mkdir -p "$work/$format/corpus" "$work/$format/artifacts"
    for seed in samples/*."$format" Tests/Fixtures/hostile/*."$format" "$found"/*."$format"; do
        # Seeds over 1 MB are over the fuzzer's file limit anyway.
        [ -f "$seed" ] && [ "$(stat -c %s "$seed")" -le 1048576 ] && cp "$seed" "$work/$format/corpus/"
    done
    echo "fuzzing $format for ${half}s"
    if ! "$binary" "$work/$format/corpus" -max_total_time="$half" -timeout=20 -rss_limit_mb=2048 \
        -max_len=262144 -artifact_prefix="$work/$format/artifacts/" -print_final_stats=1 \
        2> "$work/$format/log"; then
        status=1
    fi
    grep -E "^stat::(number_of_executed_units|peak_rss_mb)|^#[0-9]+.*DONE" "$work/$format/log" || true
    for artifact in "$work/$format/artifacts"/*; do
        [ -f "$artifact" ] || continue
        name="$found/$(basename "$artifact").$format"
        cp "$artifact" "$name"
        echo "finding kept as $name"
        grep -E "ERROR: |SUMMARY: |deadly signal" "$work/$format/log" | head -3
    done
done
exit $status
