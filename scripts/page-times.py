#!/usr/bin/env python3
"""Server time and weight of the pages that grow with the province, on a demo province (default 50,000
institutions), one request at a time over loopback: each page five times, the median and the largest kept.

Usage: python3 scripts/page-times.py JICAI_BINARY [--institutions 50000] [--database postgres://…] [--sqlite FILE]
(--sqlite reuses a database file made by an earlier run, so the demo is generated once.)
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load import Client, start_server  # noqa: E402

BATCH = "GY-2025-11"
PASSWORD = "Jicai2025demo"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jicai")
    ap.add_argument("--institutions", type=int, default=50000)
    ap.add_argument("--database", default="")
    ap.add_argument("--sqlite", default="")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="jicai-pages-")
    env = dict(os.environ, JICAI_DEMO="1", JICAI_DEMO_AWARD="0", JICAI_DEMO_INSTITUTIONS=str(args.institutions), JICAI_BCRYPT_COST="4",
               JICAI_API_TOKEN="page-times-token-0123456789abc", LOG_LEVEL="error")
    if args.database:
        env["DATABASE_URL"] = args.database
    else:
        env["JICAI_SQLITE_PATH"] = args.sqlite or os.path.join(work, "jicai.sqlite")
    t0 = time.time()
    server, port = start_server(args.jicai, env, work)
    print(f"server up in {time.time() - t0:.0f} s ({env.get('DATABASE_URL') or env['JICAI_SQLITE_PATH']})", flush=True)
    try:
        province = Client(port)
        province.login("province", PASSWORD)
        city = Client(port)
        city.login("city1401", PASSWORD)
        admin = Client(port)
        admin.login("admin", PASSWORD)
        pages = [
            ("province", province, f"/batches/{BATCH}/review", "review list, province, page 1 (50 rows, by region)"),
            ("province", province, f"/batches/{BATCH}/review?page=900", "review list, province, page 900"),
            ("province", province, f"/batches/{BATCH}/review?sort=blocking&dir=desc", "review list, province, by blocking findings"),
            ("province", province, f"/batches/{BATCH}/review?sort=specs&dir=desc&size=200", "review list, province, by specs with history, 200 rows"),
            ("province", province, f"/batches/{BATCH}/review?finding=CAPACITY_MISMATCH", "review list, province, one finding"),
            ("province", province, f"/batches/{BATCH}/review?search=%E5%8D%AB%E7%94%9F%E5%AE%A4", "review list, province, text search (卫生室)"),
            ("province", province, f"/batches/{BATCH}/review?status=none", "review list, province, not started"),
            ("city", city, f"/batches/{BATCH}/review", "review list, city 1401, page 1"),
            ("city", city, f"/batches/{BATCH}/review?sort=review&dir=desc", "review list, city 1401, by findings for review"),
            ("admin", admin, "/admin/accounts", "accounts, page 1"),
            ("admin", admin, "/admin/accounts?page=500", "accounts, page 500"),
            ("admin", admin, "/admin/accounts?search=1401&role=institutionFiller", "accounts, search"),
            ("admin", admin, "/audit", "audit log, page 1"),
            ("admin", admin, "/audit?action=import", "audit log, one action"),
            ("province", province, f"/batches/{BATCH}/progress", "progress by city"),
        ]
        print()
        print("| page | size | median | slowest |")
        print("|---|---|---|---|")
        for _, client, path, label in pages:
            times, size = [], 0
            for _ in range(5):
                start = time.perf_counter()
                status, text, _ = client.request("GET", path)
                times.append((time.perf_counter() - start) * 1000)
                size = len(text.encode())
                assert status == 200, (path, status)
            print(f"| {label} | {size / 1024:.0f} KB | {statistics.median(times):.0f} ms | {max(times):.0f} ms |", flush=True)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
