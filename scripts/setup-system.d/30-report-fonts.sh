#!/usr/bin/env bash
# System packages for Word/PDF reports (junheng report) and their tests:
#   fonts-noto-cjk        Noto Sans/Serif CJK SC, embedded in PDFs and used by charts
#   libpango/libpangoft2  WeasyPrint's text layout
#   libharfbuzz-subset0   fast font subsetting (without it WeasyPrint falls back to a
#                         pure-Python subsetter that takes ~8 s per CJK font)
#   poppler-utils         pdftotext / pdffonts / pdftoppm for the report tests
# Idempotent and quiet: installs only what is missing; needs root (CI runs as root).
set -euo pipefail
packages=(fonts-noto-cjk fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "30-report-fonts: missing ${missing[*]}; run this script as root to install them" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fc-cache -f >/dev/null 2>&1 || true
