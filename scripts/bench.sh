#!/usr/bin/env bash
# Benchmarks of docs/performance.md: history import into SQLite and PostgreSQL next to the engines' own loaders,
# and the demand checks of a whole province. Usage:
#   [REPEAT=3] scripts/bench.sh [INSTITUTIONS] [POSTGRES_URL]
# Builds in release (.build-release), writes the demo files to ./bench-data, prints one line per measurement.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-50000}
PG=${2:-${JICAI_BENCH_POSTGRES_URL:-}}
OUT=bench-data
BIN=.build-release/release/jicai
swift build -c release --scratch-path .build-release >/dev/null
mkdir -p "$OUT"
export JICAI_DEMO=0 LOG_LEVEL=warning

measure() { # label, command… — prints wall seconds and peak RSS (MB)
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >"$OUT/last.log" 2>&1 || { cat "$OUT/last.log"; exit 1; }
  read -r secs kb <"$OUT/time.txt"  # secs stays set for the caller
  printf '%-44s %8.2f s %8.0f MB\n' "$label" "$secs" "$((kb / 1024))"
}

if [ ! -f "$OUT/history.csv" ] || [ "$(cat "$OUT/n" 2>/dev/null)" != "$N" ]; then
  measure "demo files ($N institutions)" "$BIN" demo --institutions "$N" --out "$OUT"
  echo "$N" >"$OUT/n"
fi
ROWS=$(($(wc -l <"$OUT/history.csv") - 1))
echo "history rows: $ROWS ($(du -h "$OUT/history.csv" | cut -f1))"

prepare() { # loads everything but history into the database named by the environment
  "$BIN" import regions "$OUT/regions.csv" >/dev/null
  "$BIN" import institutions "$OUT/institutions.csv" >/dev/null
  "$BIN" import catalogue "$OUT/catalogue.csv" --batch B >/dev/null
  "$BIN" import products "$OUT/products.csv" --batch B >/dev/null
}

# Each import runs REPEAT times (default 3), alternating with its engine's loader on the same file, so that both see
# the same machine; the ratio is taken of the medians. Single runs of the loaders varied by half on these machines.
REPEAT=${REPEAT:-3}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# --- SQLite ---------------------------------------------------------------------------------------------
rm -f "$OUT/jicai.sqlite" "$OUT/prepared.sqlite"
export JICAI_SQLITE_PATH="$OUT/prepared.sqlite"
prepare
export JICAI_SQLITE_PATH="$OUT/jicai.sqlite"
: >"$OUT/loader.txt"; : >"$OUT/jicai.txt"
for i in $(seq "$REPEAT"); do
  rm -f "$OUT/sqlite3.sqlite"
  sqlite3 "$OUT/sqlite3.sqlite" "CREATE TABLE history_raw (institution TEXT, spec TEXT, month TEXT, quantity INTEGER, amount TEXT);"
  measure "sqlite3 .import (run $i)" sqlite3 "$OUT/sqlite3.sqlite" ".import --csv --skip 1 $OUT/history.csv history_raw"
  echo "$secs" >>"$OUT/loader.txt"
  cp "$OUT/prepared.sqlite" "$OUT/jicai.sqlite"
  measure "jicai import history, SQLite (run $i)" "$BIN" import history "$OUT/history.csv" --batch B
  echo "$secs" >>"$OUT/jicai.txt"
done
LOADER=$(median <"$OUT/loader.txt"); JICAI=$(median <"$OUT/jicai.txt")
echo "  rows stored: $(sqlite3 "$OUT/jicai.sqlite" 'SELECT COUNT(*) FROM history')"
echo "  SQLite medians: sqlite3 .import $LOADER s, jicai $JICAI s, ratio $(ratio "$LOADER" "$JICAI")×"
"$BIN" import demand "$OUT/demand.csv" --batch B >/dev/null
measure "jicai check (SQLite)" "$BIN" check --batch B --at 2025-12-30T12:00
tail -n 1 "$OUT/last.log"
unset JICAI_SQLITE_PATH

# --- PostgreSQL -----------------------------------------------------------------------------------------
if [ -n "$PG" ]; then
  psql -q "$PG" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" 2>/dev/null
  psql -q "$PG" -c "CREATE TABLE history_raw (institution TEXT, spec TEXT, month TEXT, quantity BIGINT, amount TEXT);"
  export DATABASE_URL="$PG"
  prepare
  psql -q "$PG" -c "VACUUM ANALYZE"  # untimed: the prepared tables are not vacuumed during the first measurement
  : >"$OUT/loader.txt"; : >"$OUT/jicai.txt"
  for i in $(seq "$REPEAT"); do
    psql -q "$PG" -c "TRUNCATE history_raw" -c "CHECKPOINT"  # neither run inherits the other's dirty pages
    measure "psql \\copy (run $i)" psql -q "$PG" -c "\\copy history_raw FROM '$OUT/history.csv' WITH (FORMAT csv, HEADER true)"
    echo "$secs" >>"$OUT/loader.txt"
    # Untimed: vacuum what was just loaded, so that autovacuum does not do it during the next measurement.
    psql -q "$PG" -c "VACUUM ANALYZE history_raw"
    psql -q "$PG" -c "TRUNCATE history, history_totals" -c "CHECKPOINT"
    measure "jicai import history, PostgreSQL (run $i)" "$BIN" import history "$OUT/history.csv" --batch B
    echo "$secs" >>"$OUT/jicai.txt"
    psql -q "$PG" -c "VACUUM ANALYZE history" -c "VACUUM ANALYZE history_totals"
  done
  psql -q "$PG" -c "DROP TABLE history_raw"
  LOADER=$(median <"$OUT/loader.txt"); JICAI=$(median <"$OUT/jicai.txt")
  echo "  rows stored: $(psql -qtA "$PG" -c 'SELECT COUNT(*) FROM history')"
  echo "  PostgreSQL medians: psql \\copy $LOADER s, jicai $JICAI s, ratio $(ratio "$LOADER" "$JICAI")×"
  "$BIN" import demand "$OUT/demand.csv" --batch B >/dev/null
  measure "jicai check (PostgreSQL)" "$BIN" check --batch B --at 2025-12-30T12:00
  tail -n 1 "$OUT/last.log"
fi
