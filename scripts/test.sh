#!/usr/bin/env bash
# The test command of the README: the Swift suites (SQLite always, PostgreSQL when JICAI_TEST_POSTGRES_URL is set),
# then the browser story in a headless Chromium against a real `jicai serve` (needs chromium, chromedriver and
# python3-selenium; `.ci/run` installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
swift test
swift build --product jicai
python3 Tests/browser/story.py "$(swift build --show-bin-path)/jicai"
