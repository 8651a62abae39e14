"""The HTML report in real headless Chromium (Debian's package): the charts render
(ECharts drew SVG with the limit line), no script error, Chinese fonts present, and a
screenshot is kept under artifacts/ for a person to look at. Print to PDF works too.

Skipped only when /usr/bin/chromium is absent; `scripts/setup-system.d/20-chromium-fonts.sh`
installs it with fonts-noto-cjk.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from junheng.reports.renderers.html import write_html_report

from .results import generated_evaluation

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian chromium (scripts/setup-system.d/20-chromium-fonts.sh)"),
]


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
         f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0", *args],
        capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    # 40 schools, 4 of them failing: red cells in the heat map, seven bars per stage.
    return write_html_report(generated_evaluation(), tmp_path_factory.mktemp("html") / "评估结果.html")


def test_cjk_fonts_are_installed():
    out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False).stdout
    assert "Noto Sans CJK SC" in out, "run scripts/setup-system.d/20-chromium-fonts.sh as root"


def test_charts_render_without_errors(report, tmp_path):
    run = chromium(tmp_path / "profile", "--virtual-time-budget=5000", "--dump-dom", report.as_uri())
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Uncaught" not in run.stderr, [line for line in run.stderr.splitlines() if "CONSOLE" in line]
    dom = run.stdout
    for chart in ("cv-chart-0", "cv-chart-1", "heat-chart-0", "heat-chart-1"):
        block = dom[dom.index(f'id="{chart}"'):]
        assert re.match(r'[^>]*>\s*<div[^>]*>\s*<svg', block), f"{chart} has no SVG"
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", dom)
    assert {"小学校际差异系数", "初中校际差异系数", "限值 0.50", "限值 0.45"} <= set(texts)
    assert "示例县实验小学" in texts  # a school on the heat map's axis


def test_screenshot_shows_the_page_and_its_charts(report, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    png = ARTIFACTS / "evaluation-report.png"
    png.unlink(missing_ok=True)
    run = chromium(tmp_path / "profile", "--window-size=1400,3000", "--virtual-time-budget=5000",
                   f"--screenshot={png}", report.as_uri())
    assert run.returncode == 0 and png.exists(), run.stderr[-2000:]
    image = Image.open(png).convert("RGB")
    assert image.size == (1400, 3000)
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 2000  # text, tables, charts: not a blank page
    counts = {rgb: n for n, rgb in colours}
    # Colours only ECharts draws: the bars (#4a78c2), the red and green of the heat map.
    assert counts.get((0x4A, 0x78, 0xC2), 0) > 5000
    assert counts.get((0xD9, 0x36, 0x3E), 0) > 500
    assert counts.get((0x2E, 0x8B, 0x57), 0) + counts.get((0x74, 0xC4, 0x76), 0) > 5000
    # The title's red, drawn with a CJK font (dark-red glyph pixels in the header band).
    header = image.crop((300, 40, 1100, 120))
    red = sum(n for n, (r, g, b) in header.getcolors(maxcolors=1 << 16) if r > 150 and g < 80 and b < 80)
    assert red > 500


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_prints_to_a_pdf(report, tmp_path):
    pdf = tmp_path / "r.pdf"
    run = chromium(tmp_path / "profile", "--virtual-time-budget=5000", "--no-pdf-header-footer",
                   f"--print-to-pdf={pdf}", report.as_uri())
    assert run.returncode == 0 and pdf.exists(), run.stderr[-2000:]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "示例县义务教育优质均衡发展督导评估结果" in text
    assert "不予认定" in text and "整改清单" in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 5  # major sections start on new pages
