#!/usr/bin/env bash
# System packages for the HTML report's browser tests (tests/reports/test_html_browser.py):
#   chromium        Debian's headless browser: renders the report and its ECharts charts
#   fonts-noto-cjk  Chinese glyphs (without them the screenshot shows boxes, "tofu")
# Idempotent and quiet: installs only what is missing, and only as root (directly or
# through sudo); otherwise it says what is missing and leaves the system alone.
set -euo pipefail
packages=(chromium fonts-noto-cjk)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "20-chromium-fonts: missing ${missing[*]}; run this script as root (sudo) to install them" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
