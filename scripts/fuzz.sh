#!/usr/bin/env bash
# Fuzzes the platform's input parsers with libFuzzer (the Swift toolchain's own, with AddressSanitizer).
#   bash scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET …]     targets: csv xlsx sheet tables report award purchases (default: all)
# Each target starts from its seed corpus in Tests/JicaiInterchangeTests/Corpus/<target>/ (read only) and keeps what
# it learns in .build-fuzz/corpus/<target>/. A crash stops the run with the input saved under .build-fuzz/crashes/;
# copy it into the seed corpus: the test suite replays every seed, so it stays a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=(csv xlsx sheet tables report award purchases)

echo "== building jicai-fuzz with -sanitize=fuzzer,address (.build-fuzz)"
swift build --scratch-path .build-fuzz --product jicai-fuzz -c release \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING -Xswiftc -use-ld=lld >/tmp/jicai-fuzz-build.log 2>&1 \
  || { tail -n 40 /tmp/jicai-fuzz-build.log; exit 1; }
BIN="$(swift build --scratch-path .build-fuzz -c release --show-bin-path)/jicai-fuzz"
mkdir -p .build-fuzz/crashes

for t in "${TARGETS[@]}"; do
  seeds="Tests/JicaiInterchangeTests/Corpus/$t"
  work=".build-fuzz/corpus/$t"
  mkdir -p "$work"
  echo "== fuzzing $t for ${SECONDS_EACH}s (seeds: $(ls "$seeds" | wc -l))"
  # rss_limit_mb: a parse that needs more than 2 GB is a finding too; timeout: one input may take at most 20 s.
  if ! JICAI_FUZZ_TARGET="$t" ASAN_OPTIONS=detect_leaks=0 "$BIN" "$work" "$seeds" \
        -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=20 -max_len=65536 \
        -artifact_prefix=".build-fuzz/crashes/$t-" -print_final_stats=1 >".build-fuzz/$t.log" 2>&1; then
    tail -n 60 ".build-fuzz/$t.log"
    echo "fuzz target $t FAILED: see .build-fuzz/crashes/"
    exit 1
  fi
  grep -E "stat::number_of_executed_runs|stat::peak_rss_mb|cov:" ".build-fuzz/$t.log" | tail -n 3 | sed "s/^/  $t: /"
done
echo "fuzzing: ${#TARGETS[@]} targets, ${SECONDS_EACH}s each, no crash"
