"""The PDF: its text (pdftotext), its fonts (pdffonts) and its pages as PNG (pdftoppm).

The pages are kept in artifacts/report-pages/ for a person to look at.
"""

from __future__ import annotations

import re
import subprocess
import warnings
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection

from junheng.core.facts import Stage
from junheng.reports import charts
from junheng.reports import numbers as fmt
from junheng.reports.document import Cell, Document, Figure, Paragraph, Placeholder, Table
from junheng.reports.fonts import SANS, SERIF, font_file
from junheng.reports.pdf import render_pdf
from junheng.reports.self_evaluation import build_self_evaluation
from junheng.services.reporting import annual_document

from .counties import DATE, generated, standard

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "report-pages"


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module")
def self_evaluation(tmp_path_factory):
    data, ev = generated()
    doc = build_self_evaluation(ev, data, standard(), date=DATE)
    path = tmp_path_factory.mktemp("pdf") / "self-evaluation.pdf"
    render_pdf(doc, path)
    return ev, doc, path


@pytest.fixture(scope="module")
def annual(tmp_path_factory):
    years = [generated(schools=30, seed=3, school_year=y)[0] for y in (2024, 2025)]
    doc = annual_document(years, date=DATE)
    path = tmp_path_factory.mktemp("pdf") / "annual.pdf"
    render_pdf(doc, path)
    return years, doc, path


def plain(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_text_has_the_county_and_every_cv(self_evaluation):
    ev, doc, path = self_evaluation
    text = run("pdftotext", "-layout", str(path), "-")
    flat = plain(text)
    assert doc.title in flat
    assert ev.county_name in text
    tokens = set(text.split())
    for stage in (Stage.PRIMARY, Stage.JUNIOR):
        for d in ev.dispersion[stage].values():
            assert fmt.cv(d.cv) in tokens, (stage, d.indicator_id)
    for s in ev.failing_schools():
        assert s.name in flat
    assert "请补充佐证材料" in flat


def test_fonts_are_embedded_cjk_subsets(self_evaluation):
    _, _, path = self_evaluation
    lines = run("pdffonts", str(path)).splitlines()[2:]
    assert lines, "no fonts"
    names = []
    for line in lines:
        cols = line.split()
        name, emb, sub = cols[0], cols[-5], cols[-4]
        names.append(name)
        assert (emb, sub) == ("yes", "yes"), line
        assert "Type 3" not in line, line
    assert any("Noto-Serif-CJK-SC" in n for n in names)
    assert any("Noto-Sans-CJK-SC" in n for n in names)
    # Every font is a Noto CJK SC face: no fallback font was needed for any glyph.
    assert all("CJK-SC" in n for n in names), names


def test_every_character_has_a_glyph():
    """The text a report can contain is covered by the embedded fonts (no tofu)."""
    data, ev = generated(schools=12, seed=5)
    doc = build_self_evaluation(ev, data, standard(), date=DATE)
    chars = set(doc.title + (doc.subtitle or "") + (doc.author or "") + (doc.date or ""))
    for section in doc.walk():
        chars |= set(section.title)
        for b in section.blocks:
            if isinstance(b, Paragraph):
                chars |= set(b.text)
            elif isinstance(b, Placeholder):
                chars |= set(b.label + b.hint + "【】：")
            elif isinstance(b, Table):
                chars |= set(b.caption + (b.note or ""))
                for row in b.header + b.rows:
                    for c in row:
                        chars |= set(c.text)
            elif isinstance(b, Figure):
                chars |= set(b.caption)
    for family in (SERIF, SANS):
        collection = TTCollection(str(font_file(family)), lazy=True)
        face = next(f for f in collection.fonts if family in f["name"].getDebugName(1))
        cmap = face.getBestCmap()
        missing = sorted(c for c in chars if not c.isspace() and ord(c) not in cmap)
        assert missing == [], (family, missing)


def test_charts_draw_every_glyph():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = charts.cv_bars(["R1 高学历教师", "R6 仪器设备"], [0.31, None], 0.5, "小学校际差异系数")
        charts.compare_bars(["大班额占比"], [1.2], [0.4], ("2024学年", "2025学年"), "班额情况对比（%）", "%")
    assert png.startswith(b"\x89PNG")
    assert not [w for w in caught if "missing from font" in str(w.message) or "Glyph" in str(w.message)]


def test_pages_render_to_png_for_review(self_evaluation, annual):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name, path in (("self-evaluation", self_evaluation[2]), ("annual", annual[2])):
        for old in ARTIFACTS.glob(f"{name}-*.png"):
            old.unlink()
        pages = int(re.search(r"Pages:\s+(\d+)", run("pdfinfo", str(path))).group(1))
        run("pdftoppm", "-r", "70", "-png", str(path), str(ARTIFACTS / name))
        pngs = sorted(ARTIFACTS.glob(f"{name}-*.png"))
        assert len(pngs) == pages > 3
        # A page with content is not one flat colour.
        from PIL import Image

        with Image.open(pngs[3]) as im:
            lo, hi = im.convert("L").getextrema()
        assert lo < 100 and hi > 200


def test_annual_text_has_both_years_and_the_figures(annual):
    years, doc, path = annual
    text = run("pdftotext", "-layout", str(path), "-")
    flat = plain(text)
    assert "2024学年" in flat and "2025学年" in flat
    assert doc.title in flat
    for d in years:
        assert str(sum(s.primary_students for s in d.schools)) in flat
        assert str(sum(s.junior_students for s in d.schools)) in flat
    assert f"在校生{sum(s.compulsory_students for s in years[-1].schools)}人" in flat
    assert "学位" in flat and "大班额" in flat and "骨干教师" in flat


def test_wide_tables_get_landscape_pages(tmp_path):
    header = [[Cell(f"列{i}") for i in range(12)]]
    doc = Document("测试", sections=[])
    doc.section("一、宽表").add(Paragraph("正文。"), Table("表1  宽表", header,
                                                        [[Cell(str(i)) for i in range(12)]], wide=True))
    path = tmp_path / "wide.pdf"
    render_pdf(doc, path)
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", run("pdfinfo", "-f", "1", "-l", "9", str(path)))
    assert any(float(w) > float(h) for w, h in sizes) and any(float(w) < float(h) for w, h in sizes)
