#!/usr/bin/env bash
# The award stage's benchmark of docs/performance.md: agreed-volume computation and agreement generation for a
# whole demo province, on SQLite and PostgreSQL, with wall time and peak memory. Usage:
#   [BIN=path/to/jicai] [SKIP_SQLITE=1] scripts/bench-award.sh [INSTITUTIONS] [POSTGRES_URL]
# Builds in release (.build-release) unless BIN is given; writes (or reuses) the demo files in ./bench-data. The
# history and demand are imported (untimed history: the demand's exclusions are checked against it); each city, then
# the province, approves the reports through `jicai review approve-all` (the province's run is timed) and the batch is
# locked with `jicai batch lock`; then the results and distributors are imported and `jicai award compute` and
# `jicai award publish` are timed, each in its own process.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-50000}
PG=${2:-${JICAI_BENCH_POSTGRES_URL:-}}
OUT=bench-data
if [ -z "${BIN:-}" ]; then
  swift build -c release --scratch-path .build-release >/dev/null
  BIN=.build-release/release/jicai
fi
mkdir -p "$OUT"
export JICAI_DEMO=0 LOG_LEVEL=warning

measure() { # label, command… — prints wall seconds and peak RSS (MB)
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time.txt" "$@" >"$OUT/last.log" 2>&1 || { cat "$OUT/last.log"; exit 1; }
  read -r secs kb <"$OUT/time.txt"
  printf '%-44s %8.2f s %8.0f MB   %s\n' "$label" "$secs" "$((kb / 1024))" "$(tail -n 1 "$OUT/last.log")"
}

if [ ! -f "$OUT/results.csv" ] || [ "$(cat "$OUT/n" 2>/dev/null)" != "$N" ]; then
  measure "demo files ($N institutions)" "$BIN" demo --institutions "$N" --out "$OUT"
  echo "$N" >"$OUT/n"
fi
echo "demand rows: $(($(wc -l <"$OUT/demand.csv") - 1)), results rows: $(($(wc -l <"$OUT/results.csv") - 1))"

run() { # engine label, SQL runner…
  local engine=$1; shift
  "$BIN" import regions "$OUT/regions.csv" >/dev/null
  "$BIN" import institutions "$OUT/institutions.csv" >/dev/null
  "$BIN" import catalogue "$OUT/catalogue.csv" --batch B >/dev/null
  "$BIN" import products "$OUT/products.csv" --batch B >/dev/null
  "$BIN" import history "$OUT/history.csv" --batch B >/dev/null  # the demand's exclusions are checked against it
  measure "jicai import demand ($engine)" "$BIN" import demand "$OUT/demand.csv" --batch B
  # Review and lock through the same doors as the pages: each city, then the province, approves what has no
  # blocking finding (the notice's review period has passed, so the province reopens it around now first).
  "$BIN" create-user bench-province --role provinceAdmin --region 140000 >/dev/null
  "$BIN" review window --batch B --as bench-province --test-until "$(date -u -d '-3 days' '+%Y-%m-%d %H:%M')" \
    --opens "$(date -u -d '-2 days' '+%Y-%m-%d %H:%M')" --closes "$(date -u -d '-1 day' '+%Y-%m-%d %H:%M')" \
    --review-deadline "$(date -u -d '+2 days' '+%Y-%m-%d %H:%M')" >/dev/null
  for city in $("$@" "SELECT DISTINCT substr(o.region_code, 1, 4) FROM demand_reports r JOIN organisations o ON o.id = r.institution_id;" | grep -E '^[0-9]{4}$'); do
    "$BIN" create-user "bench-city-$city" --role cityReviewer --region "${city}00" >/dev/null
    "$BIN" review approve-all --batch B --as "bench-city-$city" >/dev/null
  done
  measure "jicai review approve-all ($engine)" "$BIN" review approve-all --batch B --as bench-province
  "$BIN" batch lock --batch B --as bench-province >/dev/null
  measure "jicai award results ($engine)" "$BIN" award results --batch B --file "$OUT/results.csv"
  measure "jicai award distributors ($engine)" "$BIN" award distributors --batch B --file "$OUT/distributors.csv"
  measure "jicai award compute ($engine)" env LOG_LEVEL=notice "$BIN" award compute --batch B
  grep -o "award compute B: .*" "$OUT/last.log" | sed 's/^/  /' || true
  measure "jicai award publish ($engine)" env LOG_LEVEL=notice "$BIN" award publish --batch B --start 2026-03-01 --end 2027-12-31
  grep -o "award publish B: .*" "$OUT/last.log" | sed 's/^/  /' || true
  echo "  agreements: $("$@" "SELECT COUNT(*) FROM agreements;" | tail -n 1), volumes: $("$@" "SELECT COUNT(*) FROM agreed_volumes;" | tail -n 1)"
  measure "jicai award ocds ($engine)" "$BIN" award ocds --batch B --out "$OUT/ocds.json"
  echo "  OCDS package: $(du -h "$OUT/ocds.json" | cut -f1)"
}

if [ -z "${SKIP_SQLITE:-}" ]; then  # SKIP_SQLITE=1: PostgreSQL only (keeps bench-data/award.sqlite)
  rm -f "$OUT/award.sqlite"*
  export JICAI_SQLITE_PATH="$OUT/award.sqlite"
  "$BIN" migrate --yes >/dev/null
  sqlite_sql() { sqlite3 "$JICAI_SQLITE_PATH" "$1"; }
  run SQLite sqlite_sql
  unset JICAI_SQLITE_PATH
fi

if [ -n "$PG" ]; then
  psql -q "$PG" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" 2>/dev/null
  export DATABASE_URL="$PG"
  "$BIN" migrate --yes >/dev/null
  pg_sql() { psql -q -t -A "$PG" -c "$1"; }
  run PostgreSQL pg_sql
fi
