#!/usr/bin/env bash
# The monitoring benchmark of docs/performance.md: the purchases import and the full recompute on SQLite and
# PostgreSQL, next to the engines' own loaders and to DuckDB and pandas running the recompute's aggregation on the
# same file, with wall time and peak memory. Run scripts/bench-award.sh first (same INSTITUTIONS and POSTGRES_URL):
# it leaves a published award in bench-data/award.sqlite and in the PostgreSQL database. Usage:
#   [BIN=path/to/jicai] [THROUGH=2027-02] scripts/bench-monitor.sh [POSTGRES_URL]
# THROUGH is the last month of purchases, measured as of its last day: by default the whole first agreement year
# (2026-03 to 2027-02, 12 months); THROUGH=2026-11 gives the demo's nine months.
# DuckDB and pandas come from PyPI into .build-bench (test tooling only; the product does not use them).
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${1:-${JICAI_BENCH_POSTGRES_URL:-}}
OUT=bench-data
if [ -z "${BIN:-}" ]; then
  swift build -c release --scratch-path .build-release >/dev/null
  BIN=.build-release/release/jicai
fi
export JICAI_DEMO=0 LOG_LEVEL=warning
THROUGH=${THROUGH:-2027-02}
ASOF=$(date -d "$THROUGH-01 +1 month -1 day" +%F)
OVERDUE=$(date -d "$ASOF -3 days" +%Y%m%d)  # BatchPolicy.monitor: orders undelivered for 3 days are overdue
FILE=$OUT/purchases-$THROUGH.csv
measure() { # label, command… — prints wall seconds and peak RSS (MB)
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >"$OUT/last.log" 2>&1 || { cat "$OUT/last.log"; exit 1; }
  read -r secs kb <"$OUT/time.txt"
  printf '%-44s %8.2f s %8.0f MB   %s\n' "$label" "$secs" "$((kb / 1024))" "$(tail -n 1 "$OUT/last.log")"
}

[ -f "$FILE" ] || {
  cp "$OUT/award.sqlite" "$OUT/monitor.sqlite"
  JICAI_SQLITE_PATH="$OUT/monitor.sqlite" "$BIN" migrate --yes >/dev/null
  JICAI_SQLITE_PATH="$OUT/monitor.sqlite" "$BIN" monitor demo-purchases --batch B --file "$FILE" --through "$THROUGH"
}
echo "purchase lines through $THROUGH (as of $ASOF): $(($(wc -l <"$FILE") - 1)), $(du -h "$FILE" | cut -f1)"
# Three imports into the published award (a fresh copy each, untimed), alternating with the engine's loader.
export JICAI_SQLITE_PATH="$OUT/monitor.sqlite"
for run in 1 2 3; do
  cp "$OUT/award.sqlite" "$OUT/monitor.sqlite"
  rm -f "$OUT/monitor.sqlite-wal" "$OUT/monitor.sqlite-shm"
  "$BIN" migrate --yes >/dev/null
  measure "jicai monitor import (SQLite) #$run" "$BIN" monitor import --batch B --file "$FILE" --no-recompute
  rm -f "$OUT/loader.sqlite"
  sqlite3 "$OUT/loader.sqlite" "CREATE TABLE p (institution TEXT, product TEXT, order_date TEXT, delivery_date TEXT, acceptance_date TEXT, quantity INTEGER, amount TEXT, order_number TEXT);"
  measure "sqlite3 .import (the engine's loader) #$run" sqlite3 "$OUT/loader.sqlite" ".import --csv --skip 1 $FILE p"
done
for run in first again third; do
  measure "jicai monitor recompute (SQLite), $run" "$BIN" monitor recompute --batch B --as-of "$ASOF"
done
unset JICAI_SQLITE_PATH

if [ -n "$PG" ]; then
  export DATABASE_URL="$PG"
  "$BIN" migrate --yes >/dev/null
  for run in 1 2 3; do
    psql -q "$PG" -c "TRUNCATE purchases, purchase_imports, monitor_unit_months, monitor_region_months, monitor_positions, monitor_alerts, monitor_state;"
    measure "jicai monitor import (PostgreSQL) #$run" "$BIN" monitor import --batch B --file "$FILE" --no-recompute
    psql -q "$PG" -c "DROP TABLE IF EXISTS loader_p; CREATE TABLE loader_p (institution TEXT, product TEXT, order_date TEXT, delivery_date TEXT, acceptance_date TEXT, quantity BIGINT, amount TEXT, order_number TEXT);"
    measure "psql \\copy (the engine's loader) #$run" psql -q "$PG" -c "\\copy loader_p FROM '$FILE' WITH (FORMAT csv, HEADER true)"
    psql -q "$PG" -c "DROP TABLE loader_p;"
  done
  # A settled database, as a deployment's would be between imports: without this, autovacuum analyses the 6.8 M
  # fresh lines' partitions during the first recompute (untimed).
  psql -q "$PG" -c "VACUUM ANALYZE purchases;"
  for run in first again third; do
    measure "jicai monitor recompute (PostgreSQL), $run" "$BIN" monitor recompute --batch B --as-of "$ASOF"
  done
  unset DATABASE_URL
fi

PY=.build-bench/venv/bin/python
if [ ! -x "$PY" ]; then
  python3 -m venv .build-bench/venv
  "$PY" -m pip install -q duckdb pandas
fi
# The agreement year started 2026-03-01; orders made before OVERDUE and not delivered are overdue.
for run in 1 2; do
  for engine in duckdb pandas; do
    measure "$engine, same aggregation #$run" "$PY" scripts/bench-monitor.py "$engine" "$FILE" "${ASOF//-/}" 20260301 "$OVERDUE"
  done
done
