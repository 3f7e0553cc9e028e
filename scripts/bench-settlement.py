#!/usr/bin/env python3
"""The monthly direct settlement at province scale (docs/performance.md).

Copies a published award database (the 50,000-institution demo: `bench-data/award.sqlite`, made by scripts/bench.sh),
gives every agreement holder up to four orders in October 2026 (one per agreement), — a delivery of 10 packs accepted on 15 October and invoiced in
full, its purchase line written for monitoring — with SQL, then times through the command line (the same doors as
the pages): paying the first agreement year's prepayment, running October's settlement and approving it.

On PostgreSQL (--postgres URL: a database holding the published award, as scripts/bench-award.sh leaves it with
SKIP_SQLITE=1) the same rows are written with psql and the same commands timed; the supply tables are emptied first.

Usage: python3 scripts/bench-settlement.py [bench-data/award.sqlite] [path/to/jicai] [--postgres postgres://…]
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
SOURCE = ARGS[0] if len(ARGS) > 0 else os.path.join(ROOT, "bench-data", "award.sqlite")
JICAI = ARGS[1] if len(ARGS) > 1 else os.path.join(ROOT, ".build", "release", "jicai")

# The rows every engine gets (placeholders {batch} and {year}); each statement as both engines read it.
SETUP = [
    # Every agreement gets a distributor of its manufacturer (any distributor when it has none).
    """UPDATE agreements SET distributor_code = COALESCE(
         (SELECT MIN(d.distributor_code) FROM award_distributors d WHERE d.batch_id = agreements.batch_id
          AND d.manufacturer_code = agreements.manufacturer_code),
         (SELECT MIN(distributor_code) FROM award_distributors)) WHERE batch_id = {batch} AND distributor_code IS NULL""",
    # Up to four of each holder's agreements of the first year get an order each.
    """CREATE TEMP TABLE pick AS SELECT institution_id, agreement FROM (
         SELECT a.institution_id, a.id AS agreement, ROW_NUMBER() OVER (PARTITION BY a.institution_id ORDER BY a.id) AS n
         FROM agreements a WHERE a.batch_id = {batch} AND a.start_date = '{year}') AS ranked WHERE n <= 4""",
    """INSERT INTO supply_orders (id, batch_id, institution_id, distributor_code, order_date, placed_by, placed_at,
         confirmed_date, confirmed_by, note, status, version)
       SELECT p.agreement, {batch}, p.institution_id, a.distributor_code, 20261010, 'bench', '2026-10-10T02:00:00Z',
         20261011, 'bench', '', 'completed', 1
       FROM pick p JOIN agreements a ON a.id = p.agreement""",
    """INSERT INTO supply_order_lines (order_id, line_no, agreement_id, product_code, manufacturer_code, pack_price_fen,
         pack_size, ordered, shipped, accepted, rejected, closed, beyond_agreed)
       SELECT p.agreement, 1, p.agreement, a.product_code, a.manufacturer_code, r.pack_price_fen, COALESCE(r.pack_size, 1),
         10, 10, 10, 0, 0, 0
       FROM pick p JOIN agreements a ON a.id = p.agreement
       JOIN award_results r ON r.batch_id = a.batch_id AND r.product_code = a.product_code AND r.superseded_at IS NULL""",
    """INSERT INTO supply_deliveries (id, batch_id, order_id, ship_date, shipped_by, accept_date, accepted_by, amount_fen, due_date)
       SELECT l.order_id, {batch}, l.order_id, 20261012, 'bench', 20261015, 'bench', 10 * l.pack_price_fen, 20261130
       FROM supply_order_lines l""",
    """INSERT INTO supply_delivery_lines (delivery_id, line_no, packs, lot, expiry, accepted, rejected, reason)
       SELECT order_id, 1, 10, 'L1', 20280630, 10, 0, '' FROM supply_order_lines""",
    """INSERT INTO supply_payments (batch_id, delivery_id, kind, number, amount_fen, on_date, recorded_by, recorded_at)
       SELECT {batch}, id, 'invoice', 'F' || id, amount_fen, 20261016, 'bench', '2026-10-16T02:00:00Z' FROM supply_deliveries""",
    """INSERT INTO purchases (batch_id, institution_id, product_code, order_month, order_date, delivery_date, acceptance_date,
         quantity, amount_fen, order_number, source, import_id)
       SELECT {batch}, s.institution_id, l.product_code, 202610, 20261010, 20261012, 20261015, 10 * l.pack_size, 10 * l.pack_price_fen,
         'DD' || s.id, 'order', 0
       FROM supply_orders s JOIN supply_order_lines l ON l.order_id = s.id""",
]


def main():
    work = tempfile.mkdtemp(prefix="jicai-settle-")
    path = os.path.join(work, "jicai.sqlite")
    if POSTGRES:
        env = dict(os.environ, DATABASE_URL=POSTGRES, JICAI_DEMO="0", LOG_LEVEL="warning")
    else:
        shutil.copy(SOURCE, path)
        env = dict(os.environ, JICAI_SQLITE_PATH=path, JICAI_DEMO="0", LOG_LEVEL="warning")

    def jicai(*args):
        started = time.time()
        out = subprocess.run([JICAI, *args], env=env, capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"jicai {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
        return time.time() - started, (out.stdout + out.stderr).strip()

    jicai("migrate", "--yes")
    if POSTGRES:
        def sql(query):
            out = subprocess.run(["psql", POSTGRES, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", query], capture_output=True, text=True)
            if out.returncode != 0:
                raise SystemExit(out.stderr[-2000:])
            return out.stdout.strip()
        sql("TRUNCATE supply_orders, supply_order_lines, supply_deliveries, supply_delivery_lines, supply_payments, supply_settlements, "
            "supply_settlement_lines, supply_prepayments RESTART IDENTITY; DELETE FROM purchases WHERE source = 'order'")
        batch, code = sql("SELECT id, code FROM batches ORDER BY id LIMIT 1").split("|")
        year = sql(f"SELECT MIN(start_date) FROM agreements WHERE batch_id = {batch}")
        started = time.time()
        # One session, so that the temporary table lives from one statement to the next.
        script = ";\n".join(q.format(batch=batch, year=year) for q in SETUP) + ";"
        sql(script)
        sql("ANALYZE")
        orders = sql("SELECT COUNT(*) FROM supply_orders")
        institutions = sql(f"SELECT COUNT(DISTINCT institution_id) FROM agreements WHERE batch_id = {batch}")
        agreements = sql(f"SELECT COUNT(*) FROM agreements WHERE batch_id = {batch}")
    else:
        db = sqlite3.connect(path)
        batch, code = db.execute("SELECT id, code FROM batches ORDER BY id LIMIT 1").fetchone()
        year = db.execute("SELECT MIN(start_date) FROM agreements WHERE batch_id = ?", (batch,)).fetchone()[0]
        started = time.time()
        for query in SETUP:
            db.execute(query.format(batch=batch, year=year))
        db.commit()
        orders = db.execute("SELECT COUNT(*) FROM supply_orders").fetchone()[0]
        institutions = db.execute("SELECT COUNT(DISTINCT institution_id) FROM agreements WHERE batch_id = ?", (batch,)).fetchone()[0]
        agreements = db.execute("SELECT COUNT(*) FROM agreements WHERE batch_id = ?", (batch,)).fetchone()[0]
        db.close()
    year = str(year)
    if len(year) == 8 and year.isdigit():
        year = f"{year[:4]}-{year[4:6]}-{year[6:]}"
    print(f"setup: {orders} orders and deliveries for {institutions} institutions ({agreements} agreements) in {time.time() - started:.1f} s")
    for args in [("prepay", "--year", year), ("settle", "--month", "2026-10"), ("approve", "--run", "1"), ("settle", "--month", "2026-11")]:
        seconds, out = jicai("supply", args[0], "--batch", code, *args[1:])
        print(f"{' '.join(args):28s} {seconds:6.1f} s  {out.splitlines()[-1] if out else ''}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
