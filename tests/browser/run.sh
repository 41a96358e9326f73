#!/usr/bin/env bash
# The planner's page in a real browser: installs Debian's chromium and its WebDriver when
# absent (needs root), then runs the browser test (tests/browser/main.rs), which leaves its
# screenshots in target/browser/.
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v chromium > /dev/null || ! command -v chromedriver > /dev/null; then
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver > /dev/null
fi
cargo test --profile ci --test browser -- --ignored
