#!/usr/bin/env bash
# System packages for the report tests (the reports themselves need none: typst and the
# Noto Serif/Sans SC fonts come from pip, see docs/reports.md):
#   poppler-utils   pdftotext / pdffonts / pdftoppm / pdftohtml to read the PDFs in tests
# Idempotent and quiet: installs only what is missing; needs root (CI runs as root).
set -euo pipefail
. "$(dirname "$0")/../apt-packages.sh"
ensure_packages 30-report-fonts poppler-utils
