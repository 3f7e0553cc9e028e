#!/usr/bin/env bash
# The test command of the README: the Swift suites (SQLite always, PostgreSQL when JICAI_TEST_POSTGRES_URL is set),
# then the browser story in a headless Chromium against a real `jicai serve` (needs chromium, chromedriver and
# python3-selenium; `.ci/run` installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
swift test
# A short run of every fuzz target (libFuzzer + AddressSanitizer; docs/security.md), after the replay of their seeds
# that `swift test` did.
bash scripts/fuzz.sh "${JICAI_FUZZ_SECONDS:-15}"
swift build --product jicai
python3 Tests/browser/story.py "$(swift build --show-bin-path)/jicai"
