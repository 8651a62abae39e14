"""The PDF: its text and layout (pdftotext, pdftohtml -xml), its fonts (pdffonts) and its
pages as PNG (pdftoppm), measured against GB/T 9704.

The pages are kept in artifacts/report-pages/ for a person to look at.
"""

from __future__ import annotations

import re
import subprocess
import warnings
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from junheng.core.facts import Stage
from junheng.reports import charts
from junheng.reports import numbers as fmt
from junheng.reports.documents.document import (
    Cell,
    Document,
    Figure,
    Paragraph,
    Placeholder,
    Table,
    shown,
)
from junheng.reports.documents.self_evaluation import build_self_evaluation
from junheng.reports.fonts import bundled_folder
from junheng.reports.renderers.pdf import render_pdf
from junheng.services.reporting import annual_document

from .counties import DATE, generated, standard

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "report-pages"
MM = 72 / 25.4  # points per millimetre


def run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@dataclass
class Page:
    number: int
    width: float  # points
    height: float
    lines: list[tuple[float, float, float, str]] = field(default_factory=list)  # top, left, right, text
    sizes: list[float] = field(default_factory=list)  # glyph height of each line

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def text(self) -> str:
        return "".join(t for *_, t in self.lines)


@dataclass
class Layout:
    pages: list[Page]
    outline: list[tuple[int, str]]  # (physical page, title) of every bookmark


def layout(path: Path) -> Layout:
    """Text lines with positions in points and the bookmarks, from pdftohtml's XML."""
    root = ET.fromstring(run("pdftohtml", "-xml", "-i", "-stdout", "-q", "-zoom", "1", str(path)))
    pages = []
    for p in root.iter("page"):
        page = Page(int(p.get("number")), float(p.get("width")), float(p.get("height")))
        for t in p.iter("text"):
            text = "".join(t.itertext())
            left = float(t.get("left"))
            page.lines.append((float(t.get("top")), left, left + float(t.get("width")), text))
            page.sizes.append(float(t.get("height")))
        pages.append(page)
    outline = [(int(i.get("page")), "".join(i.itertext())) for i in root.iter("item")]
    return Layout(pages, outline)


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
    # A serif (宋/仿宋) face for the body and a sans (黑体) face for headings: CJK faces.
    assert any(re.search(r"Serif|Song|Fang|Kai", n, re.I) for n in names), names
    assert any(re.search(r"Sans|Hei", n, re.I) for n in names), names


def test_the_bundled_fonts_have_every_character_a_report_can_contain():
    """The last resort (the fonts pip installs) covers the text of a report: no tofu on a
    machine without any Chinese font."""
    data, ev = generated(schools=12, seed=5)
    doc = build_self_evaluation(ev, data, standard(), date=DATE)
    chars = set(doc.title + (doc.subtitle or "") + (doc.author or "") + (doc.date or ""))
    chars |= set("— ×△✓【】：目录征求意见稿草稿")  # what the renderer adds itself
    for section in doc.walk():
        chars |= set(section.title)
        for b in section.blocks:
            if isinstance(b, Paragraph):
                chars |= set(b.text)
            elif isinstance(b, Placeholder):
                chars |= set(b.label + b.hint)
            elif isinstance(b, Table):
                chars |= set(b.caption + (b.note or ""))
                for row in b.header + b.rows:
                    for c in row:
                        chars |= set(c.text)
            elif isinstance(b, Figure):
                chars |= set(b.caption)
    folder = bundled_folder()
    assert folder is not None
    for name in ("NotoSerifSC-Regular.otf", "NotoSansSC-Regular.otf"):
        cmap = TTFont(str(folder / name), lazy=True).getBestCmap()
        missing = sorted(c for c in chars if not c.isspace() and ord(c) not in cmap)
        assert missing == [], (name, missing)


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


# --- GB/T 9704 form --------------------------------------------------------------------------


def body_pages(lay: Layout) -> list[Page]:
    """Pages after the cover and the contents (they carry page numbers)."""
    return [p for p in lay.pages if re.fullmatch(r"—\d+—", plain(p.lines[-1][3]) if p.lines else "")]


def test_a4_margins_and_the_22_by_28_grid(self_evaluation):
    _, _, path = self_evaluation
    lay = layout(path)
    portrait = [p for p in body_pages(lay) if not p.landscape]
    assert portrait
    for p in lay.pages:  # A4 (pdftohtml rounds to whole points)
        assert sorted((p.width, p.height)) == [pytest.approx(595.3, abs=1.5), pytest.approx(841.9, abs=1.5)]
    # Body lines: 三号 (16 pt) glyphs on a 225 mm / 22 line pitch, starting at the 37 mm margin.
    def body(p: Page):  # 三号 lines (tables are smaller; the draft watermark is far larger)
        return [line for line, size in zip(p.lines, p.sizes, strict=True) if 15 <= size < 30]

    page = next(p for p in portrait if len(body(p)) >= 12)
    tops = sorted({round(top, 1) for top, *_ in body(page)})
    pitches = [b - a for a, b in zip(tops, tops[1:], strict=False)]
    pitches = [d for d in pitches if d < 40]  # consecutive lines (pdftohtml rounds to points)
    assert len(pitches) >= 8 and min(pitches) >= 27.9
    assert sum(pitches) / len(pitches) == pytest.approx(225 * MM / 22, abs=0.3)
    first = min(top for p in portrait for top, *_ in p.lines)
    assert first == pytest.approx(37 * MM, abs=3)
    # (An opening bracket at a line start has its blank half trimmed, as CJK typesetting does.)
    lefts = [left for p in portrait for top, left, right, t in p.lines if t[:1] not in "（《“"]
    # (A closing punctuation mark, a 破折号 or a space at a line end reaches beyond the margin blank.)
    rights = [right for p in portrait for top, left, right, t in body(p)
              if t[-1:] not in "，。；：、）》”】— "]
    assert min(lefts) == pytest.approx(28 * MM, abs=1.5)
    # Full lines end at the right margin (26 mm): 28 characters of 三号 fill 156 mm.
    assert max(rights) == pytest.approx(595.3 - 26 * MM, abs=2.5)


def test_page_numbers_outside_odd_right_even_left(self_evaluation):
    _, _, path = self_evaluation
    lay = layout(path)
    numbered = body_pages(lay)
    assert [int(plain(p.lines[-1][3]).strip("—")) for p in numbered] == list(range(1, len(numbered) + 1))
    assert lay.pages[0] not in numbered and lay.pages[1] not in numbered  # cover, contents
    for n, p in enumerate(numbered, 1):
        top, left, right, text = p.lines[-1]
        assert text.replace(" ", "").startswith("—")
        if n % 2:
            assert p.width - right < p.width / 4, (n, left, right)
        else:
            assert left < p.width / 4, (n, left, right)


def test_contents_and_bookmarks_point_at_the_headings(self_evaluation):
    _, doc, path = self_evaluation
    lay = layout(path)
    numbered = body_pages(lay)
    offset = numbered[0].number - 1
    contents = lay.pages[1].text()
    chapters = [s.title for s in doc.sections]
    for title in chapters:
        m = re.search(re.escape(title) + r"[. ]+(\d+)", contents)
        assert m, title
        page = lay.pages[int(m.group(1)) + offset - 1]
        assert title in page.text(), (title, m.group(1))
    assert [t for _, t in lay.outline if t in chapters] == chapters
    for physical, title in lay.outline:
        assert plain(title)[:12] in plain(lay.pages[physical - 1].text()), title


def test_headings_are_never_the_last_line_of_a_page(self_evaluation):
    _, doc, path = self_evaluation
    titles = {s.title for s in doc.walk()}
    for p in body_pages(layout(path)):
        body = [t for top, _, _, t in p.lines[:-1]]  # without the page number
        assert body and body[-1] not in titles, (p.number, body[-1])


def test_wide_tables_get_landscape_pages_of_their_own(self_evaluation):
    ev, doc, path = self_evaluation
    lay = layout(path)
    wide = [t for t in doc.tables() if t.wide]
    assert wide
    for p in lay.pages:
        if p.landscape:
            # Only the wide tables (their rows, headers and captions) are on landscape pages.
            # (a table's 注 may run onto the page after its last rows)
            assert any(t.caption in p.text() or any(r[1].text in p.text() for r in t.rows[:50])
                       or (t.note and plain(t.note)[:20] in plain(p.text())) for t in wide), p.number
    for t in wide:
        holder = [p for p in lay.pages if t.caption in p.text()]
        assert holder and holder[0].landscape


def test_a_continued_table_repeats_its_header(tmp_path):
    header = [[Cell("序号"), Cell("学校名称"), Cell("在校生数")]]
    rows = [[Cell(str(i)), Cell(f"第{i}学校"), Cell(str(100 + i))] for i in range(1, 121)]
    doc = Document("续表测试")
    doc.chapter("名册").add(Table("学校名册", header, rows, widths=[1, 4, 2]))
    path = tmp_path / "long.pdf"
    render_pdf(doc, path)
    pages = [p for p in layout(path).pages if "第1" in p.text() or "学校" in p.text()][1:]
    with_rows = [p for p in pages if re.search(r"第\d+学校", p.text())]
    assert len(with_rows) >= 3
    assert all("学校名称" in p.text() for p in with_rows)


def test_status_is_shown_by_a_symbol_as_well_as_colour(self_evaluation):
    _, doc, path = self_evaluation
    text = run("pdftotext", str(path), "-")
    bad = [c for t in doc.tables() for row in t.rows for c in row if c.tone == "bad" and c.text]
    assert bad
    assert f"× {bad[0].text}" in text


def test_user_text_is_never_read_as_markup(tmp_path):
    tricky = ['#set page(width: 2cm)', '$x^2$ *粗体* _斜体_ <label> @ref', '#pagebreak()',
              '\\ ] } ) " // 注释 /* 块 */', '`代码`', '= 不是标题']
    doc = Document("#title 测试 *县*", author='某县"教育局"')
    ch = doc.chapter("第一章 #heading")
    for t in tricky:
        ch.add(Paragraph(t))
    ch.add(Table("表 #x", [cells("#a", "$b$")], [cells("*c*", "]")]))
    ch.add(Placeholder("#label", "[提示] #x"))
    path = tmp_path / "tricky.pdf"
    render_pdf(doc, path)
    text = run("pdftotext", str(path), "-")
    for t in tricky + ["#title 测试 *县*", "第一章 #heading", "[提示] #x"]:
        assert plain(t) in plain(text), t
    assert run("pdfinfo", str(path)).count("595.") >= 1


def cells(*texts: str) -> list[Cell]:
    return [Cell(t) for t in texts]


def test_a_draft_has_a_watermark_and_lists_what_is_missing(tmp_path):
    from dataclasses import dataclass as dc

    @dc(slots=True)
    class Draft(Document):
        draft: bool = True
        missing: list[str] = field(default_factory=lambda: ["主要做法与成效（县级说明）", "社会认可度调查"])

    doc = Draft("某县自评报告")
    doc.chapter("基本情况").add(Paragraph("正文。"))
    path = tmp_path / "draft.pdf"
    render_pdf(doc, path)
    lay = layout(path)
    assert all("征求意见稿" in p.text() for p in lay.pages)
    assert "主要做法与成效（县级说明）" in lay.pages[0].text()
    final = Document("某县自评报告")
    final.chapter("基本情况").add(Paragraph("正文。"))
    render_pdf(final, tmp_path / "final.pdf")
    assert "征求意见稿" not in run("pdftotext", str(tmp_path / "final.pdf"), "-")


@pytest.mark.parametrize("report", ["self_evaluation", "annual"])
def test_no_page_is_more_than_half_blank_but_a_chapters_last(report, request):
    """A portrait page is at least half full unless a chapter ends on it or it is the last
    page. (Wide tables are 附表 after the last chapter, so none breaks a chapter off early.)"""
    _, doc, path = request.getfixturevalue(report)
    lay = layout(path)
    chapters = {s.title for s in doc.sections}
    pages = body_pages(lay)
    top, bottom = 37 * MM, 841.9 - 35 * MM
    for here, after in zip(pages, pages[1:], strict=False):
        if here.landscape:
            continue
        if after.lines and after.lines[0][3] in chapters:
            continue
        lowest = max(t + s for (t, *_), s in zip(here.lines[:-1], here.sizes[:-1], strict=True))
        assert (lowest - top) / (bottom - top) >= 0.5, (here.number, lowest)


@pytest.mark.parametrize("report", ["self_evaluation", "annual"])
def test_the_signature_is_the_author_over_the_date_right_aligned(report, request):
    """落款 (GB/T 9704 7.3.5.2): after the text, the author, then the 成文日期 one line
    below ending 右空二字, its first character two characters right of the author's."""
    _, doc, path = request.getfixturevalue(report)
    lay = layout(path)
    assert "落款" not in "".join(p.text() for p in lay.pages)
    char = 156 * MM / 28
    page = next(p for p in body_pages(lay) if any(t.strip() == doc.author for *_, t in p.lines))
    assert not page.landscape
    i = next(k for k, (*_, t) in enumerate(page.lines) if t.strip() == doc.author)
    (a_top, a_left, _, _), (d_top, d_left, d_right, d_text) = page.lines[i], page.lines[i + 1]
    assert plain(d_text) == "2026年3月1日"
    assert d_top - a_top == pytest.approx(225 * MM / 22, abs=1.5)
    assert d_right == pytest.approx(page.width - 26 * MM - 2 * char, abs=char / 2)
    assert d_left - a_left == pytest.approx(2 * char, abs=char / 3)


TABLE_NOTE = ("注：是否达标以达标值判定；实际值未达到达标值但不低于基本值的标为橙色“否”，低于基本值的标为红色“否”；"
              "学校至少 6 项达到达标值、其余不低于基本值即为达标。")


def test_a_tables_note_never_stands_alone_on_a_page(tmp_path):
    """A 附表 whose rows just fill its landscape page once printed its 注 alone on the next
    page. The last row goes over with the note (under the repeated header) instead.
    Row counts around the page's capacity: with one of them the note alone overflows."""
    split = 0
    for n in range(26, 36):
        doc = Document("附表测试")
        doc.chapter("基本情况").add(Paragraph("正文。"))
        header = [[Cell("序号"), Cell("学校名称"), Cell("在校生数"), Cell("是否达标")]]
        rows = [[Cell(str(i)), Cell(f"第{i}学校"), Cell(str(100 + i)), Cell("是")] for i in range(1, n + 1)]
        doc.attach(Table("学校名册", header, rows, widths=[1, 6, 2, 2], wide=True, small=True, note=TABLE_NOTE))
        path = tmp_path / f"note-{n}.pdf"
        render_pdf(doc.number_captions(), path)
        pages = layout(path).pages
        note = [p.number for p in pages if plain(TABLE_NOTE)[:12] in plain(p.text())]
        last = [p.number for p in pages if re.search(rf"第{n}学校", p.text())]
        first = [p.number for p in pages if re.search(r"第1学校", p.text())]
        assert note == last, (n, note, last)
        split += first != last
        assert "学校名称" in "".join(p.text() for p in pages if p.number == note[0])  # header repeated
    assert split  # some of these tables do run over a page


def broken_words(doc, path: Path) -> set[str]:
    """Short header texts (自评结果, 是否达标, 建设年限 …) and status cells (× 未达标,
    ✓ 按期推进) that the PDF breaks inside a word: one line of the cell ends with a
    prefix and the next line holds the rest (a break before a bracket, 在校生 /（人）, is
    how such headers read and is not counted)."""
    texts = {plain(shown(c)): plain(shown(c).split("\n")[0]) for t in doc.tables()
             for r, row in enumerate(t.header + t.rows) for c in row
             if 1 < len(plain(shown(c))) <= 6 and (r < len(t.header) or c.tone)}
    found = set()
    for p in layout(path).pages:
        for (top, left, _, a), (top2, left2, _, b) in zip(p.lines, p.lines[1:], strict=False):
            a, b = plain(a), plain(b)
            if (a and b and 0 < top2 - top < 20 and abs(left2 - left) < 20 and a + b in texts
                    and b[0] != "（" and texts[a + b] != a):  # (nor a break the text asks for: 总体\n人数)
                found.add(f"{a}/{b}")
    return found


@pytest.mark.parametrize("report", ["self_evaluation", "annual"])
def test_short_headers_and_status_cells_are_not_broken_inside_a_word(report, request):
    _, doc, path = request.getfixturevalue(report)
    assert broken_words(doc, path) == set()


def test_the_sample_countys_tables_break_no_short_header(tmp_path):
    """The sample county of scripts/demo has the 重点项目 and 行动方案目标 tables too."""
    from junheng.samples import generate_county
    from junheng.services.evaluation import evaluate_data

    years = [generate_county(school_year=y) for y in (2024, 2025)]
    for name, doc in (("self", build_self_evaluation(evaluate_data(years[-1], standard()), years[-1], standard(),
                                                     date=DATE)),
                      ("annual", annual_document(years, date=DATE))):
        path = tmp_path / f"{name}.pdf"
        render_pdf(doc, path)
        assert broken_words(doc, path) == set(), name


def test_the_survey_tables_headers_break_between_words(tmp_path):
    """表 社会认可度调查样本与结果 has nine columns: its headers take two lines, broken
    where the words meet (总体 / 人数, 调查码 / 回收率), never 总体人 / 数."""
    from junheng.core.engine import evaluate
    from junheng.intake import read_county_workbook
    from junheng.services.history import import_county_data, load
    from junheng.services.survey import create_design, import_responses
    from junheng.services.survey_status import set_survey_closed
    from junheng.services.workbook import write_sample_years
    from junheng.storage.schema import open_database

    write_sample_years(tmp_path, "2024-2025", schools=12)
    engine = open_database(url=f"sqlite:///{tmp_path / 'junheng.db'}")
    data = read_county_workbook(tmp_path / "示例县-2025.xlsx").data
    import_county_data(engine, data, by="测试")
    create_design(engine, data, by="测试")
    assert import_responses(engine, "350404", 2025, tmp_path / "示例县-2025-社会认可度答卷.xlsx", by="测试").problems == []
    set_survey_closed(engine, "350404", 2025, True, by="测试")
    judged = load(engine, "350404", 2025)
    doc = build_self_evaluation(evaluate(judged, standard()), judged, standard(), date=DATE)
    table = doc.table("survey-groups")
    path = tmp_path / "survey.pdf"
    render_pdf(doc, path)
    assert broken_words(doc, path) == set()
    lines = [plain(t) for p in layout(path).pages for *_, t in p.lines]
    for head in table.header[0][1:7]:
        first, second = head.text.split("\n")
        assert first in lines and second in lines, head.text


def test_the_signature_never_stands_alone_on_the_last_page(tmp_path):
    """GB/T 9704: the 落款 does not go alone onto a page; the last lines of the text go
    over with it. Text lengths around a page's 22 lines: with some the 落款 overflows."""
    import datetime as dt

    overflowed = 0
    for n in range(14, 24):
        doc = Document("某县年度答卷", author="某县教育局")
        ch = doc.chapter("基本情况")
        ch.add(*(Paragraph(f"第{k}段正文，用来填满这一页。") for k in range(1, n + 1)))
        doc.sign(dt.date(2026, 3, 1))
        path = tmp_path / f"sign-{n}.pdf"
        render_pdf(doc, path)
        pages = body_pages(layout(path))
        signed = next(p for p in pages if "某县教育局" in p.text())
        assert "段正文" in signed.text(), n
        overflowed += signed is not pages[0]
    assert overflowed  # some of these texts do run onto a second page


def test_charts_print_their_numbers_as_the_tables_do():
    """0.1805 is 0.181 in the tables (half-up on the decimal); a chart printed 0.180
    (Python's format on the binary float), and its limit as 0.5 beside a caption's 0.50."""
    from matplotlib.text import Text

    def texts(fig) -> set[str]:
        return {t.get_text() for t in fig.findobj(Text)}

    assert fmt.cv(0.1805) == "0.181" and fmt.limit(0.5) == "0.50"
    bars = texts(charts.cv_bars_figure(["骨干教师", "体艺教师"], [0.1805, 0.2445], 0.5, "小学校际差异系数"))
    assert {"0.181", "0.245", "限值 0.50"} <= bars
    pairs = charts.compare_bars_figure(["骨干教师"], [0.1805], [0.2445], ("2024学年", "2025学年"), "对比",
                                       "差异系数", 0.5, digits=fmt.places("cv"))
    assert {"0.181", "0.245", "限值 0.50"} <= texts(pairs)  # (the legend names the limit)


def test_a_thin_segments_count_is_written_beside_its_bar():
    """图 各学段学校达标情况: 1 failing school of 27 is a thin red segment; its count was
    written in white across it, half on the green and half on the white background."""
    from matplotlib.text import Text

    fig = charts.stacked_counts_figure(["小学", "初中"], [("达标", [26, 13], charts.GOOD),
                                                         ("未达标", [1, 0], charts.BAD)], "各学段学校达标情况")
    ax = fig.axes[0]
    labels = {t.get_text(): t for t in ax.findobj(Text) if t.get_text() in ("26", "13", "1")}
    assert set(labels) == {"26", "13", "1"}
    assert labels["26"].get_color() == "white" and labels["26"].get_position()[0] == 0
    one = labels["1"]
    bar_right = 0 + 0.55 / 2
    assert one.get_position()[0] > bar_right and one.get_color() == charts.BAD


def test_the_cv_charts_limit_label_is_not_crossed_by_its_line():
    """限值 0.50 sat centred on the dashed limit line, the line running through it; the
    label now hides the line behind a white box."""
    from matplotlib.text import Text

    fig = charts.cv_bars_figure(["骨干教师"], [0.2445], 0.5, "小学校际差异系数")
    label = next(t for t in fig.findobj(Text) if t.get_text() == "限值 0.50")
    box = label.get_bbox_patch()
    assert box is not None and tuple(box.get_facecolor()) == (1.0, 1.0, 1.0, 1.0)
    assert label.get_zorder() > max(line.get_zorder() for line in fig.axes[0].get_lines())


def test_the_annexes_are_listed_above_the_signature(self_evaluation):
    """附件说明 (GB/T 9704 7.3.4): a blank line below the text, 左空二字 附表：1. …, each
    further name on its own line under the first; the 落款 a blank line below."""
    _, doc, path = self_evaluation
    char = 156 * MM / 28
    page = next(p for p in body_pages(layout(path)) if any(plain(t).startswith("附表：1.") for *_, t in p.lines))
    i = next(k for k, (*_, t) in enumerate(page.lines) if plain(t).startswith("附表：1."))
    first, before = page.lines[i], page.lines[i - 1]
    pitch = 225 * MM / 22
    assert first[0] - before[0] == pytest.approx(2 * pitch, abs=2)  # a blank line above
    assert first[1] == pytest.approx(28 * MM + 2 * char, abs=2)
    names = [t.caption.split("  ", 1)[1] for t in doc.annex]
    for n, name in enumerate(names[1:], 2):
        top, left, _, text = page.lines[i + n - 1]
        assert plain(text) == plain(f"{n}. {name}")
        assert left == pytest.approx(28 * MM + 5 * char, abs=2)
        assert top - first[0] == pytest.approx((n - 1) * pitch, abs=2)
    author = next(line for line in page.lines if line[3].strip() == doc.author)
    assert author[0] - page.lines[i + len(names) - 1][0] == pytest.approx(2 * pitch, abs=2)


def test_keeping_the_signature_with_the_text_leaves_no_page_half_empty(tmp_path):
    """A long last paragraph does not go over whole with the 落款: that left the page
    before it a third full in the middle of the chapter."""
    import datetime as dt

    for n in range(6, 12):
        doc = Document("某县年度答卷", author="某县教育局")
        ch = doc.chapter("基本情况")
        ch.add(*(Paragraph(f"第{k}段正文，用来填满这一页。") for k in range(1, n + 1)))
        ch.add(Paragraph("这是一段很长的正文，" * 30))
        doc.sign(dt.date(2026, 3, 1))
        path = tmp_path / f"long-{n}.pdf"
        render_pdf(doc, path)
        pages = body_pages(layout(path))
        top, bottom = 37 * MM, 841.9 - 35 * MM
        for page in pages[:-1]:
            lowest = max(t + s for (t, *_), s in zip(page.lines[:-1], page.sizes[:-1], strict=True) if s < 30)
            assert (lowest - top) / (bottom - top) >= 0.5, (n, page.number)
