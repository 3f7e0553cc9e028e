#!/usr/bin/env python3
"""Upload fairness, measured against a real server (docs/security.md, "Uploads"; #25 item 10).

    python3 scripts/upload-fairness.py BIN [--rows 1000000] [--delay 5]

Starts `BIN serve` on a new SQLite database with two institutions of a batch whose window is open. Institution A
uploads two offline forms of ROWS rows at once; one second later institution B uploads a 2-row form. Prints how long
each answer took and what it was. One parse per account: A's second form waits for its first while B's takes the
free slot, so B is answered within seconds, not after A's forms; nobody's connection is cut while waiting.
"""
import argparse
import datetime
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tests", "browser"))
from load import Client, follow_job, start_server  # noqa: E402
from story import credit_code, CATALOGUE  # noqa: E402

HEADER = "机构编码,规格编码,产品编码,需求量,说明,特需剔除量,剔除原因,承诺函文件,签字人,签字人职务\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jicai")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--delay", type=float, default=5.0, help="seconds after A's uploads start that B's starts (A's parses run by then)")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="jicai-fair-")
    env = dict(os.environ, JICAI_DEMO="0", JICAI_BCRYPT_COST="10", JICAI_SQLITE_PATH=os.path.join(work, "jicai.sqlite"), LOG_LEVEL="error")
    run = lambda *a: subprocess.run([args.jicai, *a], env=env, capture_output=True, text=True, check=True).stdout
    run("migrate", "--yes")
    admin_pw = re.search(r"initial password: (\S+)", run("create-user", "admin", "--role", "provinceAdmin", "--region", "140000")).group(1)
    server, port = start_server(args.jicai, env, work)
    try:
        codes = [credit_code(f"12140100MB{i:07d}") for i in range(2)]
        admin = Client(port)
        admin.login("admin", admin_pw)
        admin.request("GET", "/password")
        admin.form("/password", [("current", admin_pw), ("new", "Shengju2025safe"), ("confirm", "Shengju2025safe")])

        wait_job = lambda location: follow_job(admin, location)

        admin.request("GET", "/admin/batches")
        orgs = "机构编码,机构名称,机构类型,机构类别,所有制,床位数,行政区划代码\n" + "".join(f"{c},公平测试医院{i},医疗机构,二级医院,公立,300,140105\n" for i, c in enumerate(codes))
        _, _, h = admin.upload("/admin/institutions", [], "institutions.csv", orgs.encode())
        wait_job(h["location"])
        admin.request("GET", "/admin/batches")
        now = datetime.datetime.utcnow() + datetime.timedelta(hours=8)
        fmt = lambda d: d.strftime("%Y-%m-%dT%H:%M")
        admin.upload("/admin/batches", [("code", "FAIR"), ("name", "上传公平性"), ("accountTestUntil", fmt(now - datetime.timedelta(hours=2))),
                                        ("fillingOpens", fmt(now - datetime.timedelta(hours=1))), ("fillingCloses", fmt(now + datetime.timedelta(days=3))),
                                        ("reviewDeadline", fmt(now + datetime.timedelta(days=5)))], "catalogue.csv", CATALOGUE.encode())
        admin.request("GET", "/admin/accounts")
        accounts = "账号,姓名,角色,机构编码,区划代码,初始密码\n" + "".join(f"{c},填报员{i},医疗机构填报员,{c},,Start2025abc\n" for i, c in enumerate(codes))
        _, _, h = admin.upload("/admin/accounts/import", [], "accounts.csv", accounts.encode())
        wait_job(h["location"])

        def client(code, first=True):
            c = Client(port)
            if first:
                c.login(code, "Start2025abc")
                c.request("GET", "/password")
                c.form("/password", [("current", "Start2025abc"), ("new", "Fair2025pass"), ("confirm", "Fair2025pass")])
            else:
                c.login(code, "Fair2025pass")  # a second session of the same account (a password change ends the others)
            c.request("GET", f"/batches/FAIR/report/{code}")
            return c

        a1, a2, b = client(codes[0]), client(codes[0], first=False), client(codes[1])
        big = (HEADER + "".join(f"{codes[0]},S021,,{1000 + i % 7},,,,,,\n" for i in range(args.rows))).encode()
        small = (HEADER + f"{codes[1]},S021,,5000,,,,,,\n{codes[1]},S011,,2400,,,,,,\n").encode()
        print(f"forms: 2 × {args.rows:,} rows ({len(big) / 1e6:.1f} MB each) for A, 2 rows for B")
        results = {}

        def send(name, c, code, data, delay):
            time.sleep(delay)
            started = time.monotonic()
            try:
                status, _, headers = c.upload(f"/batches/FAIR/report/{code}/upload", [], "form.csv", data)
                results[name] = (time.monotonic() - started, status, c.cookies.get("jicai_flash", "")[:80])
            except Exception as e:  # noqa: BLE001
                results[name] = (time.monotonic() - started, repr(e), "")

        threads = [threading.Thread(target=send, args=("A1", a1, codes[0], big, 0)), threading.Thread(target=send, args=("A2", a2, codes[0], big, 0)),
                   threading.Thread(target=send, args=("B", b, codes[1], small, args.delay))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for name in ["B", "A1", "A2"]:
            seconds, status, flash = results[name]
            print(f"{name}: answered {seconds:6.2f} s after it was sent, status {status}, flash {flash}")
        with open(f"/proc/{server.pid}/status") as f:
            print("server peak memory:", re.search(r"VmHWM:\s+(\d+ kB)", f.read()).group(1))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
