#!/usr/bin/env python3
"""Server time of the monitoring pages on an existing database with a published award, purchases and a recompute
(e.g. scripts/bench-award.sh then `jicai monitor import`), one request at a time over loopback, each page five times:
the median and the slowest, and the page's size. Run it with two binaries on copies of the same database to compare
two commits.

Usage: python3 scripts/monitor-page-times.py JICAI_BINARY --sqlite FILE --province USER --city USER --password P
       [--batch B] [--institution CODE --unit KEY]
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load import Client, start_server  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jicai")
    ap.add_argument("--sqlite", required=True)
    ap.add_argument("--province", required=True)
    ap.add_argument("--city", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--batch", default="B")
    ap.add_argument("--institution", default="")
    ap.add_argument("--unit", default="")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="jicai-monitor-pages-")
    env = dict(os.environ, JICAI_DEMO="0", JICAI_SQLITE_PATH=args.sqlite, LOG_LEVEL="error")
    server, port = start_server(args.jicai, env, work)
    try:
        province, city = Client(port), Client(port)
        province.login(args.province, args.password)
        city.login(args.city, args.password)
        base = f"/batches/{args.batch}/monitor"
        pages = [
            (province, base, "dashboard, province (cities)"),
            (province, base + "?rows=institution", "dashboard, province, every institution"),
            (city, base, "dashboard, city (its institutions)"),
            (city, base + "/alerts", "alerts inbox, city"),
        ]
        if args.institution and args.unit:
            pages.append((city, f"{base}?institution={args.institution}&unit={args.unit}", "dashboard, city, one institution × unit"))
        print("| page | size | median | slowest |")
        print("|---|---|---|---|")
        for client, path, label in pages:
            times, size = [], 0
            client.request("GET", path)  # warm: the catalogue cache and the page's first statements
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
