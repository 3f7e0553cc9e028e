#!/usr/bin/env python3
"""The monitoring benchmark's reference: the recompute's set-based aggregation run by DuckDB or pandas on the same
purchases file (docs/performance.md). Per institution × product × acceptance month up to the as-of day: quantity and
amount, with a flag for the current agreement year; and per institution × product the lines not yet accepted, with
those overdue. Prints the group counts so the runs can be compared. Usage:
    python3 scripts/bench-monitor.py duckdb|pandas purchases.csv AS_OF(yyyymmdd) YEAR_START(yyyymmdd) OVERDUE_BEFORE(yyyymmdd)
"""
import sys
import time

engine, path, as_of, year_start, overdue_before = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
started = time.time()
COLUMNS = ["institution", "product", "order_date", "delivery_date", "acceptance_date", "quantity", "amount", "order_number"]

if engine == "duckdb":
    import duckdb
    con = duckdb.connect()
    names = ", ".join(f"'{c}'" for c in COLUMNS)
    con.execute(f"""CREATE TABLE p AS SELECT institution, product,
        CAST(replace(order_date, '-', '') AS INTEGER) AS order_date,
        CAST(NULLIF(replace(delivery_date, '-', ''), '') AS INTEGER) AS delivery_date,
        CAST(NULLIF(replace(acceptance_date, '-', ''), '') AS INTEGER) AS acceptance_date,
        CAST(quantity AS BIGINT) AS quantity, CAST(round(CAST(amount AS DECIMAL(18,2)) * 100) AS BIGINT) AS amount_fen
        FROM read_csv('{path}', header=true, all_varchar=true, names=[{names}])""")
    accepted = con.execute(f"""SELECT institution, product, acceptance_date // 100 AS month,
        CASE WHEN acceptance_date >= {year_start} THEN 1 ELSE 0 END AS in_year, SUM(quantity), SUM(amount_fen)
        FROM p WHERE acceptance_date IS NOT NULL AND acceptance_date <= {as_of} GROUP BY ALL""").fetchall()
    open_ = con.execute(f"""SELECT institution, product, SUM(quantity),
        SUM(CASE WHEN delivery_date IS NULL AND order_date < {overdue_before} THEN 1 ELSE 0 END)
        FROM p WHERE order_date <= {as_of} AND (acceptance_date IS NULL OR acceptance_date > {as_of}) GROUP BY ALL""").fetchall()
    groups = (len(accepted), len(open_))
else:
    import pandas as pd
    p = pd.read_csv(path, header=0, names=COLUMNS, dtype=str, keep_default_na=False)
    def day(column):
        return pd.to_numeric(p[column].str.replace("-", "", regex=False), errors="coerce")
    p["order_date"] = day("order_date")
    p["delivery_date"] = day("delivery_date")
    p["acceptance_date"] = day("acceptance_date")
    p["quantity"] = p["quantity"].astype("int64")
    p["amount_fen"] = (p["amount"].str.replace(".", "", regex=False)).astype("int64")  # the file writes two decimals
    a = p[p["acceptance_date"].notna() & (p["acceptance_date"] <= as_of)].copy()
    a["month"] = (a["acceptance_date"] // 100).astype("int64")
    a["in_year"] = (a["acceptance_date"] >= year_start).astype("int64")
    accepted = a.groupby(["institution", "product", "month", "in_year"])[["quantity", "amount_fen"]].sum()
    o = p[(p["order_date"] <= as_of) & (p["acceptance_date"].isna() | (p["acceptance_date"] > as_of))].copy()
    o["overdue"] = (o["delivery_date"].isna() & (o["order_date"] < overdue_before)).astype("int64")
    open_ = o.groupby(["institution", "product"])[["quantity", "overdue"]].sum()
    groups = (len(accepted), len(open_))

print(f"{engine}: {groups[0]} accepted groups, {groups[1]} open groups in {time.time() - started:.2f} s")
