# Sourced by scripts/test.sh: installs what the tests need when it is missing (Debian packages, PyPI for the
# browser driver's client), and starts a private PostgreSQL cluster on a loopback port unless
# JICAI_TEST_POSTGRES_URL already names one. The cluster is stopped when the test command ends.

need_apt=()
find_pgbin() {
  # Debian keeps the server tools in /usr/lib/postgresql/<version>/bin; /usr/local/bin may hold links to some.
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}
PGBIN=$(find_pgbin)
if [ -z "${JICAI_TEST_POSTGRES_URL:-}" ] && { [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; }; then need_apt+=(postgresql); fi
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
# (grep reads all of it: with pipefail, grep -q would end the pipe early and fail it)
fc-list 2>/dev/null | grep -i "Noto Sans CJK" >/dev/null || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== installing from Debian's packages: ${need_apt[*]}"
  SUDO=()
  [ "$(id -u)" = "0" ] || SUDO=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update -q
  "${SUDO[@]}" apt-get install -y -q "${need_apt[@]}"
  PGBIN=$(find_pgbin)
fi
if ! python3 -c "import jsonschema, referencing" 2>/dev/null; then
  echo "== installing jsonschema from PyPI (the OCDS export's validator, scripts/validate-ocds.py)"
  python3 -m pip install -q "jsonschema>=4.18"
fi
if ! python3 -c "import selenium" 2>/dev/null; then
  echo "== installing selenium from PyPI (the browser story's client)"
  python3 -m pip install -q "selenium>=4.20"
fi

if [ -z "${JICAI_TEST_POSTGRES_URL:-}" ]; then
  PGPORT=${JICAI_TEST_PGPORT:-55432}
  PGDIR=$(mktemp -d /tmp/jicai-test-pg.XXXXXX)
  chmod 755 "$PGDIR"
  RUN_AS=()
  if [ "$(id -u)" = "0" ]; then
    chown postgres:postgres "$PGDIR"
    RUN_AS=(runuser -u postgres --)
  fi
  "${RUN_AS[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U jicai --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/log" -w \
    -o "-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c max_connections=300" start >/dev/null
  stop_test_pg() { "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$PGDIR"; }
  trap stop_test_pg EXIT
  "${RUN_AS[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U jicai jicai_test
  export JICAI_TEST_POSTGRES_URL="postgres://jicai@127.0.0.1:$PGPORT/jicai_test"
  echo "== PostgreSQL test cluster on 127.0.0.1:$PGPORT ($("$PGBIN/postgres" --version))"
fi
