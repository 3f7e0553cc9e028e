#!/usr/bin/env bash
# The assessment benchmark of docs/performance.md: a whole first agreement year (2026-03-01 to 2027-06-30) of the
# 50,000-institution province assessed on SQLite and PostgreSQL, wall time and peak memory, three runs each (a run
# replaces the last). Run scripts/bench-award.sh first (same POSTGRES_URL): it leaves the published award in
# bench-data/award.sqlite and in the PostgreSQL database. The year's purchases (about 9 million lines) are generated
# once into bench-data/purchases-2027-06.csv and imported untimed. The run takes 2027-07-02 as today
# (`jicai bench-assess`: the year ends in the future). Usage:
#   [BIN=path/to/jicai] scripts/bench-assess.sh [POSTGRES_URL]
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${1:-${JICAI_BENCH_POSTGRES_URL:-}}
OUT=bench-data
if [ -z "${BIN:-}" ]; then
  swift build -c release --scratch-path .build-release >/dev/null
  BIN=.build-release/release/jicai
fi
export JICAI_DEMO=0 LOG_LEVEL=warning
FILE=$OUT/purchases-2027-06.csv
measure() { # label, command… — prints wall seconds and peak RSS (MB)
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >"$OUT/last.log" 2>&1 || { cat "$OUT/last.log"; exit 1; }
  read -r secs kb <"$OUT/time.txt"
  printf '%-44s %8.2f s %8.0f MB   %s\n' "$label" "$secs" "$((kb / 1024))" "$(tail -n 1 "$OUT/last.log")"
}
export JICAI_SQLITE_PATH="$OUT/assess.sqlite"
cp "$OUT/award.sqlite" "$OUT/assess.sqlite"
rm -f "$OUT/assess.sqlite-wal" "$OUT/assess.sqlite-shm"
"$BIN" migrate --yes >/dev/null
[ -f "$FILE" ] || "$BIN" monitor demo-purchases --batch B --file "$FILE" --through 2027-06
echo "purchase lines of the year: $(($(wc -l <"$FILE") - 1))"
"$BIN" monitor import --batch B --file "$FILE" --no-recompute >/dev/null
for run in 1 2 3; do
  measure "assessment run (SQLite) #$run" "$BIN" bench-assess --batch B --year 2026-03-01 --today 2027-07-02
done
unset JICAI_SQLITE_PATH
if [ -n "$PG" ]; then
  export DATABASE_URL="$PG"
  "$BIN" migrate --yes >/dev/null
  psql -q "$PG" -c "TRUNCATE purchases, purchase_imports, monitor_unit_months, monitor_region_months, monitor_positions, monitor_alerts, monitor_state;"
  "$BIN" monitor import --batch B --file "$FILE" --no-recompute >/dev/null
  for run in 1 2 3; do
    measure "assessment run (PostgreSQL) #$run" "$BIN" bench-assess --batch B --year 2026-03-01 --today 2027-07-02
  done
fi
