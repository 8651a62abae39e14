#!/usr/bin/env bash
# System packages for Word/PDF reports (junheng report) and their tests:
#   fonts-noto-cjk        Noto Sans/Serif CJK SC, embedded in PDFs and used by charts
#   libpango/libpangoft2  WeasyPrint's text layout
#   libharfbuzz-subset0   fast font subsetting (without it WeasyPrint falls back to a
#                         pure-Python subsetter that takes ~8 s per CJK font)
#   poppler-utils         pdftotext / pdffonts / pdftoppm for the report tests
# Idempotent and quiet: installs only what is missing; needs root (CI runs as root).
set -euo pipefail
. "$(dirname "$0")/../apt-packages.sh"
ensure_packages 30-report-fonts fonts-noto-cjk fontconfig libpango-1.0-0 libpangoft2-1.0-0 \
  libharfbuzz-subset0 poppler-utils
