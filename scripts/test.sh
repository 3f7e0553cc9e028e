#!/usr/bin/env bash
# The test command of the README: installs what the tests need when it is missing and starts a private PostgreSQL
# cluster (scripts/test-env.sh; or set JICAI_TEST_POSTGRES_URL to use your own), then the Swift suites on SQLite and
# PostgreSQL, a short run of every fuzz target, and the browser story in a headless Chromium against a real
# `jicai serve`. First, the house rules: the tree is formatted (`swift format`, .swift-format), no function is
# longer than 80 lines (scripts/function-length.py) and no force-unwrap is outside the allow-list (scripts/trap-scan.py).
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== swift format lint --strict"
swift format lint --strict --recursive Sources Tests Package.swift
echo "== function length"
python3 scripts/function-length.py 80
echo "== trap scan (force-unwraps, try!, as! outside scripts/trap-allow.txt)"
python3 scripts/trap-scan.py
source scripts/test-env.sh
swift test
# A short run of every fuzz target (libFuzzer + AddressSanitizer; docs/security.md), after the replay of their seeds
# that `swift test` did.
bash scripts/fuzz.sh "${JICAI_FUZZ_SECONDS:-15}"
swift build --product jicai
python3 Tests/browser/story.py "$(swift build --show-bin-path)/jicai"
