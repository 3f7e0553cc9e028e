#!/usr/bin/env python3
"""History upload through the browser's route, measured (docs/performance.md, "History upload through the browser").

    python3 scripts/upload.py BIN DATABASE.sqlite HISTORY.csv [--batch B]

Starts `BIN serve` on a copy of DATABASE.sqlite (organisations and the batch's catalogue already imported, e.g. by
scripts/bench.sh as bench-data/prepared.sqlite), logs in as a new province administrator, streams HISTORY.csv to
批次管理 → 导入历史采购量 as a chunked multipart upload, follows the import job to its end, and prints the upload time,
the import time and the server's peak resident memory.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from load import Client, start_server  # noqa: E402


def peak_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        return int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("jicai")
    ap.add_argument("database")
    ap.add_argument("history")
    ap.add_argument("--batch", default="B")
    args = ap.parse_args()

    work = tempfile.mkdtemp(prefix="jicai-upload-")
    db = os.path.join(work, "jicai.sqlite")
    shutil.copy(args.database, db)
    env = dict(os.environ, JICAI_DEMO="0", JICAI_SQLITE_PATH=db, JICAI_BCRYPT_COST="10", LOG_LEVEL="error")
    env.pop("DATABASE_URL", None)
    out = subprocess.run([args.jicai, "create-user", "uploader", "--role", "provinceAdmin", "--region", "140000"],
                         env=env, capture_output=True, text=True, check=True).stdout
    password = re.search(r"initial password: (\S+)", out).group(1)
    server, port = start_server(args.jicai, env, work)
    try:
        admin = Client(port)
        admin.conn.timeout = 600
        admin.login("uploader", password)
        admin.request("GET", "/password")
        admin.form("/password", [("current", password), ("new", "Shengju2025upload"), ("confirm", "Shengju2025upload")])
        admin.request("GET", "/admin/batches")
        boundary = "----jicaiupload"
        size = os.path.getsize(args.history)

        def body():
            yield (f"--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{admin.csrf}\r\n"
                   f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"history.csv\"\r\n"
                   "Content-Type: text/csv\r\n\r\n").encode()
            with open(args.history, "rb") as f:
                while chunk := f.read(1 << 20):
                    yield chunk
            yield f"\r\n--{boundary}--\r\n".encode()

        started = time.time()
        admin.conn.putrequest("POST", f"/admin/batches/{args.batch}/history")
        admin.conn.putheader("Cookie", "; ".join(f"{k}={v}" for k, v in admin.cookies.items()))
        admin.conn.putheader("Content-Type", f"multipart/form-data; boundary={boundary}")
        admin.conn.putheader("Transfer-Encoding", "chunked")
        admin.conn.endheaders()
        for chunk in body():
            admin.conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        admin.conn.send(b"0\r\n\r\n")
        r = admin.conn.getresponse()
        r.read()
        uploaded = time.time()
        server_after_upload = peak_kb(server.pid)
        location = r.getheader("Location")
        if r.status not in (302, 303) or not location:
            raise SystemExit(f"upload refused: {r.status}")
        while True:
            st, text, _ = admin.request("GET", location)
            if 'id="job-done"' in text:
                summary = re.search(r"读取(\d+)行", text)
                break
            if 'id="job-failed"' in text:
                raise SystemExit("import failed: " + text[-2000:])
            time.sleep(0.2)
        done = time.time()
        lines = sum(1 for _ in open(args.history, "rb")) - 1
        rows = int(summary.group(1)) if summary else -1
        if rows != lines:
            raise SystemExit(f"the import read {rows} rows of {lines}")
        print(f"rows imported: {rows} (all of the file's)")
        print(f"file: {size / 2**20:.0f} MB; upload {uploaded - started:.1f} s (server peak {server_after_upload // 1024} MB); "
              f"import {done - uploaded:.1f} s; in all {done - started:.1f} s; server peak {peak_kb(server.pid) // 1024} MB")
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
