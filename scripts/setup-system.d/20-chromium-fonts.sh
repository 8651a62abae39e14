#!/usr/bin/env bash
# System packages for the HTML report's browser tests (tests/reports/test_html_browser.py):
#   chromium        Debian's headless browser: renders the report and its ECharts charts
#   fonts-noto-cjk  Chinese glyphs (without them the screenshot shows boxes, "tofu")
# Idempotent and quiet; installs only as root (directly or through sudo).
set -euo pipefail
. "$(dirname "$0")/../apt-packages.sh"
ensure_packages 20-chromium-fonts chromium fonts-noto-cjk
