#!/usr/bin/env python3
"""Save and submit latency under load, measured with wrk (a compiled load generator, from Debian's packages).

Starts `jicai serve` (release build) on the demo province, prepares accounts and tokens with plain sequential
requests, then lets wrk drive the JSON API with 64 connections over loopback:
  1. /health, the bare route of the same server, for the ceiling of the machine;
  2. PUT /api/v1/batches/{b}/reports/{inst}: saves of a small clinic's draft, rotating over many institutions
     (each request changes some quantities, so every save writes);
  3. GET /batches/{b}/report/{inst}: the HTML form page with the filler's session;
  4. POST …/submit: every prepared institution submitted once (draft at its history, letter attached);
  5. POST …/what-if: the demand form's what-if of the savers' drafts (nothing is saved).
Afterwards the counts are read back: every accepted submit is stored once and audited once.

Usage: python3 scripts/wrk-load.py JICAI_BINARY [--database postgres://…] [--institutions 12000] [--connections 64]
                                   [--seconds 20] [--savers 400] [--submitters 1000] [--sqlite-synchronous full|normal]
                                   [--profile save|form|submit|whatif] [--only health,whatif]
Needs: wrk (apt-get install wrk).
"""
import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from load import Client, start_server, PDF  # noqa: E402

import base64

BATCH = "GY-2025-11"
DEMO_PASSWORD = "Jicai2025demo"


def lua_string(s):
    return json.dumps(s, ensure_ascii=False)


COMMON_LUA = r"""
local threads = {}
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  nthreads = tonumber(args[1])
  idx = tid
  non2xx = 0
  sent = 0
  codes = {}
end
function response(status, headers, body)
  if status < 200 or status > 399 then
    non2xx = non2xx + 1
    local c = string.match(body or "", '"code":"([A-Z_]+)"') or tostring(status)
    codes[c] = (codes[c] or 0) + 1
  end
end
function done(summary, latency, requests)
  local bad = 0
  local all = {}
  for _, t in ipairs(threads) do
    bad = bad + t:get("non2xx")
    local c = t:get("codes")
    for k, v in pairs(c) do all[k] = (all[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(all) do table.insert(parts, string.format('"%s":%d', k, v)) end
  io.write(string.format('RESULT {"requests":%d,"seconds":%.3f,"p50":%.2f,"p90":%.2f,"p99":%.2f,"max":%.2f,"mean":%.2f,"non2xx":%d,"timeouts":%d,"socket":%d,"codes":{%s}}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000, bad, summary.errors.timeout,
    summary.errors.connect + summary.errors.read + summary.errors.write, table.concat(parts, ",")))
end
"""


def write_lua(path, items_lua, request_lua):
    with open(path, "w") as f:
        f.write(COMMON_LUA)
        f.write("items = {\n" + items_lua + "\n}\n")
        f.write(request_lua)


def run_wrk(url, script, connections, seconds, threads=2):
    cmd = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "-s", script, url, "--", str(threads)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    m = re.search(r"RESULT (\{.*\})", out)
    result = json.loads(m.group(1))
    result["throughput"] = result["requests"] / result["seconds"]
    return result


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jicai")
    ap.add_argument("--database", default="")
    ap.add_argument("--institutions", type=int, default=12000)
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--seconds", type=int, default=20)
    ap.add_argument("--savers", type=int, default=400)
    ap.add_argument("--submitters", type=int, default=1000)
    ap.add_argument("--sqlite-synchronous", default="full", choices=["full", "normal"])
    ap.add_argument("--profile", default="", help="a phase (save, form, submit) to record with `perf record -g` (needs linux-perf)")
    ap.add_argument("--only", default="", help="comma-separated phases to run (health, save, form, formsave, submit, whatif); all when empty")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")

    work = tempfile.mkdtemp(prefix="jicai-wrk-")
    env = dict(os.environ, JICAI_DEMO="1", JICAI_DEMO_AWARD="0", JICAI_DEMO_INSTITUTIONS=str(args.institutions), JICAI_BCRYPT_COST="4",
               JICAI_API_TOKEN="wrk-load-token-0123456789abc", LOG_LEVEL="error", JICAI_SQLITE_SYNCHRONOUS=args.sqlite_synchronous)
    if args.database:
        env["DATABASE_URL"] = args.database
    else:
        env["JICAI_SQLITE_PATH"] = os.path.join(work, "jicai.sqlite")
    t0 = time.time()
    server, port = start_server(args.jicai, env, work)
    base = f"http://127.0.0.1:{port}"
    try:
        print(f"server up with the {args.institutions}-institution demo in {time.time() - t0:.0f} s", flush=True)
        admin = Client(port)
        admin.login("admin", DEMO_PASSWORD)
        admin.request("GET", "/")
        status, text, _ = admin.api("POST", "/api/v1/tokens", {"label": "wrk"})
        admin_token = json.loads(text)["token"]

        def api(token, method, path, payload=None):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            body = json.dumps(payload).encode() if payload is not None else None
            h = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
            if body is not None:
                h["Content-Type"] = "application/json"
            conn.request(method, path, body, h)
            r = conn.getresponse()
            data = r.read().decode()
            conn.close()
            return r.status, data

        status, text = api(admin_token, "GET", f"/api/v1/batches/{BATCH}/statuses?size=1000")
        rows = json.loads(text)
        page = 2
        while len(rows) < args.institutions:
            status, text = api(admin_token, "GET", f"/api/v1/batches/{BATCH}/statuses?size=1000&page={page}")
            more = json.loads(text)
            if not more:
                break
            rows += more
            page += 1
        open_rows = [r for r in rows if r["status"] in ("none", "draft") and r["specsWithHistory"] > 0]
        # Small clinics first: the case is a report of about 16 lines.
        open_rows.sort(key=lambda r: (r["specsWithHistory"], r["code"]))
        savers = open_rows[: args.savers]
        submitters = open_rows[args.savers: args.savers + args.submitters]
        print(f"{len(rows)} institutions, {len(open_rows)} open with history; {len(savers)} savers, {len(submitters)} to submit", flush=True)

        def prepare(code):
            c = Client(port)
            c.login(code, DEMO_PASSWORD)
            c.request("GET", "/")  # the session's CSRF token
            status, text, _ = c.api("POST", "/api/v1/tokens", {"label": "wrk"})
            token = json.loads(text)["token"]
            status, text = api(token, "GET", f"/api/v1/batches/{BATCH}/reports/{code}")
            report = json.loads(text)
            lines = [{"specCode": s, "quantity": q} for s, q in sorted(report["history"].items()) if q > 0]
            return c, token, lines

        def submitted_codes():
            codes, page = set(), 1
            while True:
                _, text = api(admin_token, "GET", f"/api/v1/batches/{BATCH}/statuses?size=1000&status=submitted&page={page}")
                chunk = json.loads(text)
                codes |= {r["code"] for r in chunk}
                if len(chunk) < 1000:
                    return codes
                page += 1

        t1 = time.time()
        save_items, form_items = [], []
        for r in savers:
            c, token, lines = prepare(r["code"])
            bodies = []
            for variant in range(2):
                changed = [dict(l, quantity=l["quantity"] + (variant if i % 3 == 0 else 0)) for i, l in enumerate(lines)]
                bodies.append(json.dumps({"lines": changed, "explanations": {}, "exclusions": {}}, ensure_ascii=False))
            save_items.append((r["code"], token, bodies, len(lines)))
            form_items.append((r["code"], c.cookies.get("jicai_session", ""), c.csrf, [
                urllib.parse.urlencode([("_csrf", c.csrf)] + [(f"quantity[{l['specCode']}]", str(l["quantity"] + (variant if i % 3 == 0 else 0)))
                                                              for i, l in enumerate(lines)])
                for variant in range(2)]))
        submit_items = []
        still_blocking = {}
        for r in submitters:
            c, token, lines = prepare(r["code"])
            draft = {"lines": lines, "explanations": {}, "exclusions": {}}
            s1, text = api(token, "PUT", f"/api/v1/batches/{BATCH}/reports/{r['code']}", draft)
            # What still blocks at the history's own quantities (a unit below its floor after conversion, a rising
            # item below target) is explained, as a filler would.
            blocking = [f for f in json.loads(text)["findings"] if f["severity"] == "blocking"] if s1 == 200 else []
            # Quantities on specs that did not pass evaluation are not reported; the unit is then explained.
            not_passed = {f["numbers"].get("spec") for f in blocking if f["code"] == "NOT_PASSED_SPEC"}
            if not_passed:
                draft["lines"] = [l for l in draft["lines"] if l["specCode"] not in not_passed]
                s1, text = api(token, "PUT", f"/api/v1/batches/{BATCH}/reports/{r['code']}", draft)
                blocking = [f for f in json.loads(text)["findings"] if f["severity"] == "blocking"] if s1 == 200 else []
            for f in blocking:
                if f.get("unitKey"):
                    draft["explanations"][f["unitKey"]] = "按实际临床需求填报（负载测试）"
            if draft["explanations"]:
                s1, _ = api(token, "PUT", f"/api/v1/batches/{BATCH}/reports/{r['code']}", draft)
            s2, text = api(token, "POST", f"/api/v1/batches/{BATCH}/reports/{r['code']}/letter",
                           {"fileName": "承诺函.pdf", "contentBase64": base64.b64encode(PDF).decode(), "signerName": "院长甲", "signerTitle": "院长"})
            blocking = [f for f in json.loads(text)["findings"] if f["severity"] == "blocking"] if s2 == 200 else [{"code": f"HTTP {s2}"}]
            for f in blocking:
                still_blocking[f["code"]] = still_blocking.get(f["code"], 0) + 1
            if s1 == 200 and s2 == 200 and not blocking:
                submit_items.append((r["code"], token))
        if still_blocking:
            print(f"not ready to submit: {still_blocking}", flush=True)
        lines_median = sorted(n for *_, n in save_items)[len(save_items) // 2] if save_items else 0
        print(f"prepared in {time.time() - t1:.0f} s: {len(save_items)} savers (median {lines_median} lines), "
              f"{len(submit_items)} ready to submit", flush=True)

        health = os.path.join(work, "health.lua")
        write_lua(health, "", "function request() return wrk.format('GET', '/health') end\n")
        save = os.path.join(work, "save.lua")
        write_lua(save, ",\n".join(
            "{%s,%s,%s,%s}" % (lua_string(f"/api/v1/batches/{BATCH}/reports/{code}"), lua_string("Bearer " + token), lua_string(b[0]), lua_string(b[1]))
            for code, token, b, _ in save_items), r"""
function request()
  local it = items[(idx % #items) + 1]
  local body = it[3 + (math.floor(idx / #items) % 2)]
  idx = idx + nthreads
  return wrk.format("PUT", it[1], {["Authorization"] = it[2], ["Content-Type"] = "application/json"}, body)
end
""")
        form = os.path.join(work, "form.lua")
        write_lua(form, ",\n".join("{%s,%s}" % (lua_string(f"/batches/{BATCH}/report/{code}"), lua_string("jicai_session=" + cookie))
                                   for code, cookie, _, _ in form_items), r"""
function request()
  local it = items[(idx % #items) + 1]
  idx = idx + nthreads
  return wrk.format("GET", it[1], {["Cookie"] = it[2]})
end
""")
        form_save = os.path.join(work, "form-save.lua")
        write_lua(form_save, ",\n".join("{%s,%s,%s,%s}" % (lua_string(f"/batches/{BATCH}/report/{code}/save"), lua_string("jicai_session=" + cookie),
                                                           lua_string(b[0]), lua_string(b[1]))
                                        for code, cookie, _, b in form_items), r"""
function request()
  local it = items[(idx % #items) + 1]
  local body = it[3 + (math.floor(idx / #items) % 2)]
  idx = idx + nthreads
  return wrk.format("POST", it[1], {["Cookie"] = it[2], ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
""")
        submit = os.path.join(work, "submit.lua")
        write_lua(submit, ",\n".join("{%s,%s}" % (lua_string(f"/api/v1/batches/{BATCH}/reports/{code}/submit"), lua_string("Bearer " + token))
                                     for code, token in submit_items), r"""
function request()
  if idx >= #items then
    wrk.thread:stop()
    return wrk.format("GET", "/health")
  end
  local it = items[idx + 1]
  idx = idx + nthreads
  return wrk.format("POST", it[1], {["Authorization"] = it[2]})
end
""")
        submitted_before = submitted_codes()
        audited_before = int(re.search(r"(?:审计日志|Audit log) \((\d+)\)", admin.request("GET", "/audit?action=submit&size=20")[1]).group(1))
        only = {p for p in args.only.split(",") if p}

        def phase(name, script, seconds, connections):
            if only and name.rstrip("1") not in only:
                return None
            perf = None
            if args.profile and args.profile in name:
                perf = subprocess.Popen(["perf", "record", "-g", "-F", "499", "-p", str(server.pid), "-o", os.path.join(work, "perf.data")],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(1)
            try:
                return run_wrk(base, script, connections, seconds, threads=min(2, connections))
            finally:
                if perf:
                    perf.send_signal(2)
                    perf.wait()
                    print(f"profile of {name}: perf report -i {os.path.join(work, 'perf.data')}", flush=True)

        results = {}
        whatif = os.path.join(work, "whatif.lua")
        write_lua(whatif, ",\n".join(
            "{%s,%s,%s,%s}" % (lua_string(f"/api/v1/batches/{BATCH}/reports/{code}/what-if"), lua_string("Bearer " + token), lua_string(b[0]),
                               lua_string(b[1]))
            for code, token, b, _ in save_items), r"""
function request()
  local it = items[(idx % #items) + 1]
  local body = it[3 + (math.floor(idx / #items) % 2)]
  idx = idx + nthreads
  return wrk.format("POST", it[1], {["Authorization"] = it[2], ["Content-Type"] = "application/json"}, body)
end
""")
        results["bare /health"] = phase("health", health, 10, args.connections)
        results["what-if, 1 client"] = phase("whatif1", whatif, 5, 1)
        results["what-if, 64 clients"] = phase("whatif", whatif, args.seconds, args.connections)
        results["save, 1 client"] = phase("save1", save, 5, 1)
        results["save, 64 clients"] = phase("save", save, args.seconds, args.connections)
        results["form page, 1 client"] = phase("form1", form, 5, 1)
        results["form page, 64 clients"] = phase("form", form, args.seconds, args.connections)
        def audited(action):
            page = admin.request("GET", f"/audit?action={action}&size=20")[1]
            return int(re.search(r"(?:审计日志|Audit log) \((\d+)\)", page).group(1))
        saves_before = audited("save")
        results["form save (POST), 64 clients"] = phase("formsave", form_save, args.seconds, args.connections)
        form_saves = audited("save") - saves_before
        if results["form save (POST), 64 clients"]:
            print(f"form saves: {results['form save (POST), 64 clients']['requests']} answered by wrk, {form_saves} save entries in the audit log "
                  "(a refused save redirects too, but writes no entry)", flush=True)
        if submit_items and (not only or "submit" in only):
            # Short enough that the prepared institutions last; the run says so if they ran out.
            results["submit, 64 clients"] = phase("submit", submit, 5, args.connections)
            if results["submit, 64 clients"]["requests"] >= len(submit_items):
                print("warning: every prepared institution was submitted before the phase ended; the rate is a lower bound")
        results["bare /health (after)"] = phase("health", health, 10, args.connections)
        submitted_after = submitted_codes()
        _, page_text, _ = admin.request("GET", "/audit?action=submit&size=20")
        audited = int(re.search(r"(?:审计日志|Audit log) \((\d+)\)", page_text).group(1))
        expected = {code for code, _ in submit_items}
        print()
        print(f"| {'':24} | requests | per second | p50 ms | p90 ms | p99 ms | max ms | non-2xx | timeouts |")
        print("|---|---|---|---|---|---|---|---|---|")
        results = {name: r for name, r in results.items() if r is not None}
        for name, r in results.items():
            print(f"| {name:24} | {r['requests']} | {r['throughput']:.0f} | {r['p50']:.1f} | {r['p90']:.1f} | {r['p99']:.1f} | {r['max']:.1f} | "
                  f"{r['non2xx']} {json.dumps(r['codes']) if r['codes'] else ''} | {r['timeouts']} |")
        print()
        new = submitted_after - submitted_before
        print(f"submit: {len(expected)} prepared, {len(new & expected)} newly stored as submitted, {len(new - expected)} others; "
              f"{audited - audited_before} submit entries in the audit log")
        print(json.dumps({"results": results, "prepared": len(expected), "stored": len(new & expected), "audited": audited - audited_before},
                         ensure_ascii=False))
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
