#!/usr/bin/env python3
"""Duplicate traceability codes at province scale (docs/performance.md).

Writes N settled codes (default 100,000,000; 100,000 of them a second settlement of an earlier code) into the
platform's own table `supply_trace_codes` of a migrated SQLite file, then times, each in a process of its own with its
peak memory (GNU time):

  engine    the engine alone: SELECT code FROM supply_trace_codes NOT INDEXED WHERE stage = 'settlement'
            GROUP BY code HAVING COUNT(*) > 1 (a sort of every code)
  index     building the platform's index (code, stage), once
  platform  the same query over that index (what the platform keeps as codes arrive: no sort, one pass in code order)
  capture   the platform's check at capture: 1,000,000 new codes looked up 500 at a time against the N (`settledBefore`)
  duckdb    DuckDB (memory limit 1 GB) over the same file with its sqlite extension when it can load it, else over a
            CSV export of the codes (the export timed apart)

On PostgreSQL (--postgres URL, an empty database the script migrates) the same steps run through psql, each query
under EXPLAIN (ANALYZE, BUFFERS) so that its memory (work_mem, what spilled to disk) is read from the plan; the server's
own memory is its shared_buffers plus work_mem per worker, not a process that GNU time can measure.

Usage: python3 scripts/bench-trace-codes.py [N] [path/to/jicai] [--postgres postgres://…]
"""
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ARGS = sys.argv[1:]
POSTGRES = None
if "--postgres" in ARGS:
    at = ARGS.index("--postgres")
    POSTGRES = ARGS[at + 1]
    del ARGS[at : at + 2]
N = int(ARGS[0]) if len(ARGS) > 0 else 100_000_000
JICAI = ARGS[1] if len(ARGS) > 1 else os.path.join(ROOT, ".build", "release", "jicai")
DUPLICATES = 100_000

# One code per n: '8', a product part of six digits, a serial of 13 digits permuted by a multiplier coprime with 10^13
# (so every n below 10^13 gives another code); the last DUPLICATES rows repeat the codes of rows half the table back.
CODE = "printf('8%06d%013d', {n} % 300, ({n} * 2654435761) % 10000000000000)"


def timed(label, args, env=None, stdout_to=None):
    started = time.time()
    if stdout_to:
        with open(stdout_to, "w") as sink:
            out = subprocess.run(["/usr/bin/time", "-f", "%M", *args], stdout=sink, stderr=subprocess.PIPE, text=True, env=env)
        out.stdout = ""
    else:
        out = subprocess.run(["/usr/bin/time", "-f", "%M", *args], capture_output=True, text=True, env=env)
    seconds = time.time() - started
    if out.returncode != 0:
        raise SystemExit(f"{label} failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}")
    peak_kb = int(out.stderr.strip().splitlines()[-1])
    print(f"{label:10s} {seconds:8.1f} s  peak {peak_kb / 1024:8.0f} MB  {out.stdout.strip()[:120]}", flush=True)
    return seconds, peak_kb, out.stdout


def main():
    work = tempfile.mkdtemp(prefix="jicai-codes-", dir=os.environ.get("JICAI_BENCH_DIR"))
    if POSTGRES:
        postgres(work)
        shutil.rmtree(work)
        return
    path = os.path.join(work, "codes.sqlite")
    env = dict(os.environ, JICAI_SQLITE_PATH=path, JICAI_DEMO="0", LOG_LEVEL="warning")
    subprocess.run([JICAI, "migrate", "--yes"], env=env, check=True, capture_output=True)
    db = sqlite3.connect(path)
    db.execute("DROP INDEX supply_trace_codes_code")
    db.execute("PRAGMA journal_mode = OFF")
    db.execute("PRAGMA synchronous = OFF")
    started = time.time()
    unique = N - DUPLICATES
    db.execute(f"""
        WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < {N})
        INSERT INTO supply_trace_codes (code, stage, batch_id, institution_id, product_code, seen_date)
        SELECT CASE WHEN n > {unique} THEN {CODE.format(n=f"(n - {unique // 2})")} ELSE {CODE.format(n="n")} END,
               'settlement', 1, n % 50000, 'P' || (n % 300), 20260101 + (n % 28)
        FROM c""")
    db.commit()
    db.close()
    size = os.path.getsize(path) / 1e9
    print(f"wrote {N:,} codes ({DUPLICATES:,} settled twice) in {time.time() - started:.1f} s; file {size:.1f} GB", flush=True)

    query = "SELECT COUNT(*) FROM (SELECT code FROM supply_trace_codes {hint} WHERE stage = 'settlement' GROUP BY code HAVING COUNT(*) > 1);"
    timed("engine", ["sqlite3", path, "PRAGMA temp_store = FILE;", query.format(hint="NOT INDEXED")])
    timed("index", ["sqlite3", path, "CREATE INDEX supply_trace_codes_code ON supply_trace_codes (code, stage);"])
    timed("platform", ["sqlite3", path, query.format(hint="INDEXED BY supply_trace_codes_code")])
    capture = os.path.join(work, "capture.py")
    with open(capture, "w") as f:
        f.write(f"""import sqlite3
db = sqlite3.connect({path!r})
found = 0
codes = ['9%019d' % i for i in range(1000000)] + ['8%06d%013d' % (n % 300, (n * 2654435761) % 10000000000000) for n in range(1, 1001)]
for start in range(0, len(codes), 500):
    part = codes[start:start + 500]
    q = "SELECT code FROM supply_trace_codes WHERE stage = 'settlement' AND code IN (" + ",".join("?" * len(part)) + ")"
    found += len(db.execute(q, part).fetchall())
print(found, "of", len(codes), "seen before")
""")
    timed("capture", [sys.executable, capture])
    duckdb_on(work, export=["sqlite3", path, "-csv", "SELECT code, stage FROM supply_trace_codes;"], sqlite_path=path)
    shutil.rmtree(work)


def duckdb_on(work, export, sqlite_path=None):
    """DuckDB (memory limit 1 GB) over the SQLite file when its sqlite extension loads, else over a CSV export."""
    path = sqlite_path or ""
    duck = os.path.join(work, "duck.py")
    with open(duck, "w") as f:
        f.write(f"""import duckdb
con = duckdb.connect()
con.execute("SET memory_limit = '1GB'")
con.execute("SET temp_directory = '{work}/duck-spill'")
con.execute("SET preserve_insertion_order = false")
import sys
if sys.argv[1] == "sqlite":
    con.execute("INSTALL sqlite; LOAD sqlite;")
    source = "sqlite_scan({path!r}, 'supply_trace_codes')"
else:
    source = "read_csv(" + repr(sys.argv[1]) + ", header = false, columns = {{'code': 'VARCHAR', 'stage': 'VARCHAR'}})"
print(con.execute("SELECT COUNT(*) FROM (SELECT code FROM " + source + " WHERE stage = 'settlement' GROUP BY code HAVING COUNT(*) > 1)").fetchone()[0], "duplicates")
""")
    try:
        if not sqlite_path:
            raise SystemExit("no SQLite file")
        timed("duckdb", [sys.executable, duck, "sqlite"])
    except SystemExit:
        # No network for DuckDB's sqlite extension here: the codes exported to CSV by the engine, then read by DuckDB.
        print("duckdb: over a CSV export of the codes", flush=True)
        csv = os.path.join(work, "codes.csv")
        timed("export", export, stdout_to=csv)
        try:
            timed("duckdb", [sys.executable, duck, csv])
        except SystemExit as failed:
            print("duckdb:", str(failed)[-300:])


def postgres(work):
    """The same steps on PostgreSQL, through psql."""
    env = dict(os.environ, DATABASE_URL=POSTGRES, JICAI_DEMO="0", LOG_LEVEL="warning")
    subprocess.run([JICAI, "migrate", "--yes"], env=env, check=True, capture_output=True)

    def psql(*sql, quiet=False):
        out = subprocess.run(["psql", POSTGRES, "-X", "-v", "ON_ERROR_STOP=1", "-At", *sum((["-c", q] for q in sql), [])],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(out.stderr[-2000:])
        return out.stdout

    def explained(label, settings, query):
        started = time.time()
        plan = psql(*settings, "EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) " + query)
        seconds = time.time() - started
        notes = [line.strip() for line in plan.splitlines()
                 if any(w in line for w in ("Memory", "Disk", "temp", "Workers Launched", "Execution Time", "Scan", "Aggregate"))]
        print(f"{label:10s} {seconds:8.1f} s  " + " | ".join(notes)[:900], flush=True)

    psql("DROP INDEX supply_trace_codes_code")
    started = time.time()
    unique = N - DUPLICATES
    code = "'8' || lpad((({n}) % 300)::text, 6, '0') || lpad(((({n}) * 2654435761) % 10000000000000)::text, 13, '0')"
    psql(f"""INSERT INTO supply_trace_codes (code, stage, batch_id, institution_id, product_code, seen_date)
        SELECT CASE WHEN n > {unique} THEN {code.format(n=f"n - {unique // 2}")} ELSE {code.format(n="n")} END,
               'settlement', 1, n % 50000, 'P' || (n % 300), 20260101 + (n % 28)
        FROM generate_series(1, {N}) AS n""")
    psql("VACUUM ANALYZE supply_trace_codes")
    size = psql("SELECT pg_total_relation_size('supply_trace_codes')").strip()
    print(f"wrote {N:,} codes ({DUPLICATES:,} settled twice) in {time.time() - started:.1f} s; table {int(size) / 1e9:.1f} GB", flush=True)
    print("settings:", psql("SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ') FROM pg_settings "
                            "WHERE name IN ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather')").strip(), flush=True)
    query = "SELECT COUNT(*) FROM (SELECT code FROM supply_trace_codes WHERE stage = 'settlement' GROUP BY code HAVING COUNT(*) > 1) AS d"
    explained("engine", ["SET enable_indexscan = off", "SET enable_indexonlyscan = off", "SET enable_bitmapscan = off"], query)
    started = time.time()
    psql("CREATE INDEX supply_trace_codes_code ON supply_trace_codes (code, stage)", "VACUUM ANALYZE supply_trace_codes")
    print(f"{'index':10s} {time.time() - started:8.1f} s  (with the VACUUM that lets the scan read the index only)", flush=True)
    explained("platform", ["SET enable_seqscan = off", "SET enable_sort = off"], query)
    capture = os.path.join(work, "capture.sql")
    codes = ['9%019d' % i for i in range(1000000)] + ['8%06d%013d' % (n % 300, (n * 2654435761) % 10000000000000) for n in range(1, 1001)]
    with open(capture, "w") as f:
        f.write("\\set ON_ERROR_STOP 1\n")
        for start in range(0, len(codes), 500):
            part = codes[start:start + 500]
            f.write("SELECT count(*) FROM supply_trace_codes WHERE stage = 'settlement' AND code IN (" + ",".join(f"'{c}'" for c in part) + ");\n")
    timed("capture", ["psql", POSTGRES, "-X", "-q", "-At", "-o", "/dev/null", "-f", capture])
    duckdb_on(work, export=["psql", POSTGRES, "-X", "-At", "-c", "COPY (SELECT code, stage FROM supply_trace_codes) TO STDOUT WITH (FORMAT csv)"])


if __name__ == "__main__":
    main()
