#!/usr/bin/env python3
"""Load run: N institutions, C at a time, each logging in, changing its initial password, opening its form, saving
three drafts, attaching the commitment letter, submitting, and submitting again (which must be refused). Over
loopback against `jicai serve`; prints throughput, p50/p99 per operation, and counts from the database showing that
no submission was lost or duplicated.

Usage: python3 scripts/load.py JICAI_BINARY [--institutions 256] [--concurrency 64] [--database postgres://…]
"""
import argparse
import base64
import datetime
import http.client
import json
import os
import queue
import re
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request

sys_path = os.path.dirname(os.path.abspath(__file__))
import sys
sys.path.insert(0, os.path.join(os.path.dirname(sys_path), "Tests", "browser"))
from story import credit_code, CATALOGUE  # noqa: E402

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


class Client:
    """One keep-alive HTTP connection with a cookie jar and the session's CSRF token."""

    def __init__(self, port):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies = {}
        self.csrf = ""

    def request(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt == 1:
                    raise
        for k, v in r.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";")[0]
                if "Expires=Thu, 01 Jan 1970" in v or value == "":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = value
        text = data.decode("utf-8", "replace")
        m = re.search(r'name="_csrf" value="([^"]+)"', text)
        if m:
            self.csrf = m.group(1)
        return r.status, text, dict((k.lower(), v) for k, v in r.getheaders())

    def form(self, path, fields):
        body = urllib.parse.urlencode([("_csrf", self.csrf)] + fields)
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})

    def upload(self, path, fields, name, data, content_type="text/csv"):
        boundary = "----jicaiload"
        parts = []
        for k, v in [("_csrf", self.csrf)] + fields:
            parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode())
        parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: {content_type}\r\n\r\n".encode())
        parts.append(data)
        parts.append(f"\r\n--{boundary}--\r\n".encode())
        return self.request("POST", path, b"".join(parts), {"Content-Type": f"multipart/form-data; boundary={boundary}"})

    def api(self, method, path, payload=None):
        body = json.dumps(payload).encode() if payload is not None else None
        h = {"X-CSRF-Token": self.csrf, "Accept": "application/json"}
        if body is not None:
            h["Content-Type"] = "application/json"
        return self.request(method, path, body, h)

    def login(self, user, password):
        self.request("GET", "/login")
        return self.form("/login", [("username", user), ("password", password), ("next", "/")])


def follow_job(client, location):
    """Polls an import job's page until it is done; exits on a failed or unfinished job."""
    for _ in range(600):
        _, text, _ = client.request("GET", location)
        if 'id="job-done"' in text:
            return
        if 'id="job-failed"' in text:
            raise SystemExit("import failed: " + text[-2000:])
        time.sleep(0.3)
    raise SystemExit("import did not finish")


def start_server(jicai, env, work):
    """Starts `jicai serve` on a free loopback port (log in WORK/server.log) and waits until it answers /health."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    server = subprocess.Popen([jicai, "serve", "--hostname", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=open(os.path.join(work, "server.log"), "w"), stderr=subprocess.STDOUT)
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            break
        except Exception:
            time.sleep(0.2)
    return server, port


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jicai")
    ap.add_argument("--institutions", type=int, default=256)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--database", default="")
    ap.add_argument("--bcrypt-cost", default="12")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="jicai-load-")
    env = dict(os.environ, JICAI_DEMO="0", JICAI_BCRYPT_COST=args.bcrypt_cost, JICAI_API_TOKEN="load-test-token-0123456789", LOG_LEVEL="error")
    if args.database:
        env["DATABASE_URL"] = args.database
    else:
        env["JICAI_SQLITE_PATH"] = os.path.join(work, "jicai.sqlite")
    run = lambda *a: subprocess.run([args.jicai, *a], env=env, capture_output=True, text=True, check=True).stdout
    run("migrate", "--yes")
    admin_pw = re.search(r"initial password: (\S+)", run("create-user", "admin", "--role", "provinceAdmin", "--region", "140000")).group(1)
    server, port = start_server(args.jicai, env, work)
    try:
        n = args.institutions
        codes = [credit_code(f"1214{'01' if i % 2 == 0 else '02'}00MB{i:07d}") for i in range(n)]
        regions = ["140105" if i % 2 == 0 else "140213" for i in range(n)]
        orgs = "机构编码,机构名称,机构类型,机构类别,所有制,床位数,行政区划代码\n" + "".join(
            f"{c},负载测试医院{i},医疗机构,二级医院,公立,300,{regions[i]}\n" for i, c in enumerate(codes))
        hist = ["机构编码,规格编码,月份,采购数量"]
        for c in codes:
            for ym in ["2024-12"] + [f"2025-{m:02d}" for m in range(1, 12)]:
                hist += [f"{c},S021,{ym},1000", f"{c},S011,{ym},200"]
        accounts = "账号,姓名,角色,机构编码,区划代码,初始密码\n" + "".join(f"{c},填报员{i},医疗机构填报员,{c},,Start2025abc\n" for i, c in enumerate(codes))

        admin = Client(port)
        admin.login("admin", admin_pw)
        admin.request("GET", "/password")
        admin.form("/password", [("current", admin_pw), ("new", "Shengju2025safe"), ("confirm", "Shengju2025safe")])
        admin.request("GET", "/admin/batches")

        wait_job = lambda location: follow_job(admin, location)

        st, _, h = admin.upload("/admin/institutions", [], "institutions.csv", orgs.encode())
        wait_job(h["location"])
        admin.request("GET", "/admin/batches")
        now = datetime.datetime.utcnow() + datetime.timedelta(hours=8)
        fmt = lambda d: d.strftime("%Y-%m-%dT%H:%M")
        st, _, h = admin.upload("/admin/batches", [("code", "LOAD"), ("name", "负载测试批次"), ("accountTestUntil", fmt(now - datetime.timedelta(hours=2))),
                                                   ("fillingOpens", fmt(now - datetime.timedelta(hours=1))), ("fillingCloses", fmt(now + datetime.timedelta(days=3))),
                                                   ("reviewDeadline", fmt(now + datetime.timedelta(days=5)))], "catalogue.csv", CATALOGUE.encode())
        admin.request("GET", "/admin/batches")
        st, _, h = admin.upload("/admin/batches/LOAD/history", [], "history.csv", ("\n".join(hist) + "\n").encode())
        wait_job(h["location"])
        admin.request("GET", "/admin/accounts")
        st, _, h = admin.upload("/admin/accounts/import", [], "accounts.csv", accounts.encode())
        wait_job(h["location"])
        st, text, _ = admin.request("GET", h["location"])
        assert f"新增{n}个账号" in text, text[-1500:]

        lat = {k: [] for k in ["login+password", "form page", "save", "letter", "submit", "second submit"]}
        errors = []
        refused_second = [0]
        lock = threading.Lock()
        work_q = queue.Queue()
        for c in codes:
            work_q.put(c)

        def timed(op, fn):
            t = time.perf_counter()
            r = fn()
            with lock:
                lat[op].append(time.perf_counter() - t)
            return r

        clients = {}

        def drain(each):
            """A worker thread: `each(code)` for every institution left in the queue."""
            def run():
                while True:
                    try:
                        code = work_q.get_nowait()
                    except queue.Empty:
                        return
                    each(code)
            return run

        def login_one(code):
                c = Client(port)
                try:
                    def login():
                        c.login(code, "Start2025abc")
                        c.request("GET", "/password")
                        st, _, _ = c.form("/password", [("current", "Start2025abc"), ("new", "Load2025pass"), ("confirm", "Load2025pass")])
                        assert st == 303, st
                    timed("login+password", login)
                    st, me, _ = c.api("GET", "/api/v1/me")
                    c.csrf = json.loads(me)["csrf"]
                    with lock:
                        clients[code] = c
                except Exception as e:  # noqa: BLE001
                    with lock:
                        errors.append(f"{code} log-in: {e!r}")

        def report_one(code):
                c = clients.get(code)
                if c is None:
                    return
                try:
                    st, _, _ = timed("form page", lambda: c.request("GET", f"/batches/LOAD/report/{code}"))
                    assert st == 200, st
                    path = f"/api/v1/batches/LOAD/reports/{code}"
                    for q, expl in [(5000, {}), (8000, {}), (9000, {"V02": "慢病患者下转基层"})]:
                        st, body, _ = timed("save", lambda: c.api("PUT", path, {"lines": [{"specCode": "S021", "quantity": q}, {"specCode": "S011", "quantity": 2400}],
                                                                               "explanations": expl, "exclusions": {}}))
                        assert st == 200, (st, body[:300])
                    st, body, _ = timed("letter", lambda: c.api("POST", path + "/letter", {"fileName": "承诺函.pdf", "contentBase64": base64.b64encode(PDF).decode(),
                                                                                         "signerName": "院长甲", "signerTitle": "院长"}))
                    assert st == 200, (st, body[:300])
                    st, body, _ = timed("submit", lambda: c.api("POST", path + "/submit"))
                    assert st == 200 and '"submitted"' in body, (st, body[:300])
                    st, body, _ = timed("second submit", lambda: c.api("POST", path + "/submit"))
                    assert st == 409, (st, body[:300])
                    with lock:
                        refused_second[0] += 1
                except Exception as e:  # noqa: BLE001
                    with lock:
                        errors.append(f"{code}: {e!r}")

        def run_clients(each):
            """Runs `each` for every queued code on `concurrency` client threads; returns the seconds taken."""
            started = time.perf_counter()
            threads = [threading.Thread(target=drain(each)) for _ in range(args.concurrency)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return time.perf_counter() - started

        login_elapsed = run_clients(login_one)
        for c in codes:
            work_q.put(c)
        elapsed = run_clients(report_one)

        st, text, _ = admin.api("GET", "/api/v1/batches/LOAD/statuses")
        rows = json.loads(text)
        submitted = sum(1 for r in rows if r["status"] == "submitted")
        distinct = len({r["code"] for r in rows})
        if args.database:
            q = lambda sql: subprocess.run(["psql", args.database, "-tAc", sql], capture_output=True, text=True, check=True).stdout.strip()
        else:
            q = lambda sql: subprocess.run(["sqlite3", env["JICAI_SQLITE_PATH"], sql], capture_output=True, text=True, check=True).stdout.strip()
        audit_submits = q("SELECT COUNT(*) FROM audit_log WHERE entity = 'report' AND action = 'submit'")
        reports = q("SELECT COUNT(*) FROM demand_reports")
        requests = sum(len(v) for k, v in lat.items() if k != "login+password")
        print(f"engine: {'PostgreSQL' if args.database else 'SQLite'}; institutions: {n}; concurrency: {args.concurrency}; bcrypt cost {args.bcrypt_cost}")
        print(f"log-in phase (log-in + forced password change, bcrypt): {login_elapsed:.1f} s, {n / login_elapsed:.1f} institutions/s")
        print(f"reporting phase (form page, 3 saves, letter, submit, second submit): {elapsed:.1f} s; {n / elapsed:.1f} institutions/s; {requests / elapsed:.0f} requests/s")
        print("| operation | count | p50 ms | p99 ms | max ms |")
        print("|---|---|---|---|---|")
        for k, v in lat.items():
            if v:
                v = sorted(v)
                p = lambda x: v[min(len(v) - 1, int(round(x * (len(v) - 1))))] * 1000
                print(f"| {k} | {len(v)} | {p(0.5):.0f} | {p(0.99):.0f} | {v[-1] * 1000:.0f} |")
        print(f"submitted per API: {submitted} of {n} (distinct institutions listed: {distinct}); demand_reports rows: {reports}; "
              f"submit audit entries: {audit_submits}; second submits refused (409): {refused_second[0]}; errors: {len(errors)}")
        for e in errors[:10]:
            print("  ", e)
        ok = submitted == n and int(audit_submits) == n and int(reports) == n and refused_second[0] == n and not errors
        print("RESULT:", "no submission lost or duplicated" if ok else "MISMATCH")
        sys.exit(0 if ok else 1)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
