"""The Word file: open it with python-docx and compare it with the evaluation."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from docx import Document as open_docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from junheng.core.facts import Stage
from junheng.reports import numbers as fmt
from junheng.reports.documents.document import TONE_MARKS, Cell, Document, Paragraph, Table
from junheng.reports.documents.self_evaluation import build_self_evaluation
from junheng.reports.renderers.docx import render_docx
from junheng.services.evaluation import evaluate_data

from .counties import DATE, HAND_ROWS, generated, hand_county, standard

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def texts(table) -> list[list[str]]:
    """Rows as text, one entry per grid cell of the row's own XML (spans not repeated),
    without the status symbol a toned cell starts with (see test_status_symbols)."""
    return [[unmark(tc.xpath("string(.)")) for tc in tr.findall(qn("w:tc"))]
            for tr in table._tbl.findall(qn("w:tr"))]


def unmark(text: str) -> str:
    for mark in TONE_MARKS.values():
        if text.startswith(mark + " "):
            return text[len(mark) + 1:]
    return text


@pytest.fixture(scope="module")
def hand():
    data = hand_county()
    ev = evaluate_data(data, standard())
    doc = build_self_evaluation(ev, data, standard(), date=DATE)
    return ev, doc, open_docx(io.BytesIO(render_docx(doc)))


@pytest.fixture(scope="module")
def sample():
    data, ev = generated()
    doc = build_self_evaluation(ev, data, standard(), date=DATE)
    return ev, doc, open_docx(io.BytesIO(render_docx(doc)))


def headings(word, level):
    return [p.text for p in word.paragraphs if p.style.name == f"Heading {level}"]


def test_chapters_are_real_headings(sample):
    _, _, word = sample
    assert headings(word, 1) == ["草稿：待补充的内容", "一、基本情况", "二、主要做法与成效", "三、资源配置", "四、政府保障程度",
                                 "五、教育质量", "六、社会认可度", "七、存在的问题", "八、下一步工作打算", "附表"]
    assert headings(word, 2)[:3] == ["（一）评估标准", "（二）学校达标情况", "（三）校际差异系数"]
    assert "1. 县域内义务教育学校规划布局合理，符合国家规定要求" in headings(word, 3)


def test_toc_field_and_update_on_open(sample):
    _, _, word = sample
    body = word.element.body.xml
    assert 'TOC \\o "1-3" \\h \\z \\u' in body
    assert body.count('w:fldCharType="begin"') >= 1
    update = word.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_page_numbers_outside_from_the_first_body_page(sample):
    _, _, word = sample
    cover = word.sections[0]
    assert "PAGE" not in cover.footer._element.xml  # cover and contents: no number
    body = word.sections[1]
    assert word.settings.odd_and_even_pages_header_footer
    odd, even = body.footer.paragraphs[0], body.even_page_footer.paragraphs[0]
    for p in (odd, even):
        assert "PAGE" in p._p.xml and 'w:fldCharType="begin"' in p._p.xml
        assert p.text.replace("1", "#") == "— # —"
    assert odd.alignment == WD_ALIGN_PARAGRAPH.RIGHT and even.alignment == WD_ALIGN_PARAGRAPH.LEFT
    assert body._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    # The landscape sections keep counting.
    assert all(s._sectPr.find(qn("w:pgNumType")) is None for s in word.sections[2:])
    assert all(s.footer.is_linked_to_previous for s in word.sections[2:])


def test_22_lines_of_28_characters(sample):
    _, _, word = sample
    for s in word.sections:
        grid = s._sectPr.find(qn("w:docGrid"))
        assert grid.get(qn("w:type")) == "linesAndChars"
        assert grid.get(qn("w:linePitch")) == "579"  # 225 mm / 22 lines, in twips
    normal = word.styles["Normal"].paragraph_format
    assert normal.line_spacing.twips == 579


def test_file_properties_name_the_bureau_and_no_library(sample):
    _, doc, word = sample
    core = word.core_properties
    assert core.title == doc.title and core.subject == doc.subtitle
    # The bureau makes the file, also of the report the county government signs.
    assert doc.author == f"{ev_name(sample)}人民政府"
    assert core.author == f"{ev_name(sample)}教育局" == core.last_modified_by
    assert core.language == "zh-CN" and core.comments == ""
    assert abs((dt.datetime.now(dt.UTC) - core.created).days) <= 1
    raw = render_docx(doc)
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        for name in z.namelist():
            data = z.read(name)
            assert b"python-docx" not in data, name
            if name in ("word/styles.xml", "word/settings.xml"):
                assert b"en-US" not in data, name


def ev_name(sample) -> str:
    return sample[0].county_name


def test_every_style_is_chinese(sample):
    _, _, word = sample
    styles = word.styles.element
    default = styles.find(qn("w:docDefaults")).find(f".//{W}lang")
    assert default.get(qn("w:eastAsia")) == "zh-CN" and default.get(qn("w:val")) == "zh-CN"
    for st in styles.iter(qn("w:style")):
        lang = st.find(f"{W}rPr/{W}lang")
        assert lang is not None and lang.get(qn("w:eastAsia")) == "zh-CN", st.get(qn("w:styleId"))
    used = {p.style.name for p in word.paragraphs}
    ours = {"表格文字", "图表标题", "注释", "目录文字"}
    assert ours <= {s.name for s in word.styles}
    assert {"Heading 1", "Heading 2", "Heading 3", "Title"} <= used  # 标题 1–3, 标题 in Chinese Word


def test_status_symbols_go_with_the_colours(hand):
    _, doc, word = hand
    index = [t.key for t in doc.tables()].index("schools-primary")
    trs = word.tables[index]._tbl.findall(qn("w:tr"))
    cell = trs[-1].findall(qn("w:tc"))[-1]
    assert cell.xpath("string(.)") == "× 否"
    assert trs[5].findall(qn("w:tc"))[10].xpath("string(.)") == "△ 否"


def test_a_draft_says_so_on_the_cover_and_every_page():
    from dataclasses import dataclass, field

    @dataclass(slots=True)
    class Draft(Document):
        draft: bool = True
        missing: list[str] = field(default_factory=lambda: ["主要做法与成效（县级说明）"])

    doc = Draft("某县自评报告", author="某县教育局")
    doc.chapter("基本情况").add(Paragraph("正文。"))
    word = open_docx(io.BytesIO(render_docx(doc)))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "（征求意见稿）" in text and "主要做法与成效（县级说明）" in text
    body = word.sections[1]
    assert body.header.paragraphs[0].text == "征求意见稿" == body.even_page_header.paragraphs[0].text
    final = Document("某县自评报告", author="某县教育局", draft=False)
    final.chapter("基本情况").add(Paragraph("正文。"))
    assert "征求意见稿" not in open_docx(io.BytesIO(render_docx(final))).sections[1].header.paragraphs[0].text


def test_east_asian_fonts_are_set(sample):
    _, _, word = sample

    def east_asia(style):
        return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    assert east_asia(word.styles["Normal"]) == "仿宋_GB2312"
    assert east_asia(word.styles["Title"]) == "方正小标宋简体"
    assert east_asia(word.styles["Heading 1"]) == "黑体"
    assert east_asia(word.styles["Heading 2"]) == "楷体_GB2312"
    # Theme fonts would override the explicit ones in Word.
    assert word.styles["Heading 1"].element.rPr.find(qn("w:rFonts")).get(qn("w:asciiTheme")) is None


def test_a4_pages_and_landscape_for_the_school_tables(sample):
    _, _, word = sample
    first = word.sections[0]
    assert round(first.page_width.cm, 1) == 21.0 and round(first.page_height.cm, 1) == 29.7
    assert round(first.top_margin.cm, 1) == 3.7 and round(first.left_margin.cm, 1) == 2.8
    orientations = [s.orientation for s in word.sections]
    # The body ends with the 附表: per-school tables and the 任务清单 on landscape pages.
    assert orientations[:2] == [WD_ORIENT.PORTRAIT] * 2 and orientations[-1] == WD_ORIENT.LANDSCAPE


def test_hand_checked_school_table(hand):
    ev, doc, word = hand
    assert len(word.tables) == len(doc.tables())
    index = [t.key for t in doc.tables()].index("schools-primary")
    rows = texts(word.tables[index])
    assert rows[2][:4] == ["达标值", "4.2", "1", "0.9"]
    assert rows[3][:4] == ["基本值（达标值的85%）", "3.57", "0.85", "0.77"]
    assert rows[4:] == HAND_ROWS


def test_header_rows_repeat_and_failures_are_red(hand):
    _, doc, word = hand
    index = [t.key for t in doc.tables()].index("schools-primary")
    trs = word.tables[index]._tbl.findall(qn("w:tr"))
    assert [tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None for tr in trs] == [True] * 4 + [False] * 3
    last = trs[-1].findall(qn("w:tc"))
    verdict = last[-1]
    assert unmark(verdict.xpath("string(.)")) == "否"
    assert verdict.find(f".//{W}color").get(qn("w:val")) == "C62828"
    warn = trs[5].findall(qn("w:tc"))[10]  # 学校002's R4: 否 but above the 基本值
    assert unmark(warn.xpath("string(.)")) == "否" and warn.find(f".//{W}color").get(qn("w:val")) == "E65100"


def test_tables_stay_editable_word_tables(hand):
    _, _, word = hand
    table = word.tables[0]
    table.cell(1, 1).text = "已修改"
    assert table.cell(1, 1).text == "已修改"
    assert word.tables[0]._tbl.tblPr.find(qn("w:tblStyle")).get(qn("w:val")) == "TableGrid"


def test_cv_table_matches_the_evaluation(sample):
    ev, doc, word = sample
    index = [t.key for t in doc.tables()].index("cv")
    rows = texts(word.tables[index])
    body = {r[0]: r for r in rows[2:]}
    assert not any(re.match(r"R\d", r[0]) for r in rows)  # names, never codes
    for i in ev.indicator_meta:
        short = ev.indicator_meta[i]["short_name"]
        primary = ev.dispersion[Stage.PRIMARY][i]
        junior = ev.dispersion[Stage.JUNIOR][i]
        assert body[short][2] == fmt.cv(primary.cv)
        assert body[short][5] == fmt.cv(junior.cv)
        assert body[short][3] == ("是" if primary.passed else "否")
    assert "限值 ≤0.50" in rows[0][1] and "限值 ≤0.45" in rows[0][2]


def test_every_school_part_is_in_its_stage_table(sample):
    ev, doc, word = sample
    for stage in (Stage.PRIMARY, Stage.JUNIOR):
        index = [t.key for t in doc.tables()].index(f"schools-{stage}")
        rows = texts(word.tables[index])[4:]
        parts = [s for s in ev.schools if s.stage is stage]
        assert [r[1] for r in rows] == [s.name for s in parts]
        for r, s in zip(rows, parts, strict=True):
            assert r[2] == str(s.students)
            for k, (i, res) in enumerate(s.indicators.items()):
                assert r[3 + 2 * k] == fmt.indicator(res.value, ev.indicator_meta[i]["unit"])
            assert r[-1] == ("是" if s.passed else "否")


def test_basic_facts_sentence(hand):
    _, _, word = hand
    text = "\n".join(p.text for p in word.paragraphs)
    assert "全县共有义务教育阶段学校 3 所，其中小学 3 所" in text
    assert "义务教育阶段在校生 400 人，其中小学 400 人、初中 0 人" in text
    assert "我县于 2018 年通过国家义务教育基本均衡发展督导评估认定" in text
    assert "尚未达到义务教育优质均衡发展的评估认定要求" in text


def test_items_have_evidence_fields_not_invented_content(sample):
    ev, _, word = sample
    fields = word.element.body.findall(f".//{W}sdt")
    hints = [f.xpath("string(.)") for f in fields]
    counted = [i for i in ev.items.values() if i.dimension in ("guarantee", "quality", "social")]
    assert sum("请补充佐证材料" in h for h in hints) == len(counted)
    assert any("完成时限" in h for h in hints)


def test_problems_list_every_failing_school(sample):
    ev, doc, word = sample
    text = "\n".join(p.text for p in word.paragraphs)
    for s in ev.failing_schools():
        assert s.name in text
    index = [t.key for t in doc.tables()].index("shortfalls")
    rows = texts(word.tables[index])[1:]
    school = [s for s in ev.shortfalls if s.school_code]
    # Gaps that block a school first, then the advisory ones of schools passing on 85 %.
    assert [r[4] for r in rows] == [s.text for s in school if s.blocking] + [s.text for s in school if not s.blocking]


def test_long_tables_are_annexed_and_referred_to(sample):
    """The per-school tables and the 任务清单 are 附表1, 附表2 … after the 落款, each on a
    new page, and the sentence where each was names it."""
    _, doc, word = sample
    annex = doc.sections[-1]
    assert annex.title == "附表" and annex.key == "annex"
    keys = [t.key for t in annex.blocks]
    assert keys[:-1] == ["schools-primary", "schools-junior"][:len(keys) - 1] and keys[-1] == "tasks"
    body = "".join(b.text for s in doc.walk() if s is not annex for b in s.blocks if isinstance(b, Paragraph))
    for n, t in enumerate(annex.blocks, 1):
        assert t.caption.startswith(f"附表{n}  ")
        assert f"见附表{n}" in body or f"汇总于附表{n}" in body
    body_tables = [t for s in doc.walk() if s is not annex for t in s.blocks if isinstance(t, Table)]
    assert not any(t.wide for t in body_tables)  # no landscape page inside a chapter
    captions = [p for p in word.paragraphs if p.text.startswith("附表") and p.text != "附表"
                and not p.text.startswith("附表：")  # (the 附件说明 above the 落款)
                and p.style.name not in ("TOC 1", "toc 1")]
    assert [p.text for p in captions] == [t.caption for t in annex.blocks]
    # each 附表 after the first starts a new page
    assert all(p.paragraph_format.page_break_before for p in captions[1:])


def test_the_signature_is_right_aligned_on_two_lines_before_the_annex(sample):
    """落款: the author, a line break, the full 成文日期; right-aligned 右空二字 with a blank
    line above, the last paragraph before the 附表."""
    _, doc, word = sample
    paragraphs = word.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.text == f"{doc.author}\n2026年3月1日")
    sign = paragraphs[at]
    assert sign.alignment == WD_ALIGN_PARAGRAPH.RIGHT
    assert sign.paragraph_format.right_indent.pt == 32 and sign.paragraph_format.space_before.pt > 20
    assert len(sign._p.findall(".//" + qn("w:br"))) == 1
    assert paragraphs[at - 1].paragraph_format.keep_with_next  # never alone on a page (GB/T 9704)
    assert next(p.text for p in paragraphs[at + 1:] if p.text) == "附表"  # (after a section break)
    assert not any(p.text.startswith("落款") for p in paragraphs)


def test_a_tables_last_row_keeps_with_its_note(sample):
    """Word moves the last row over with the 注 rather than leave the note alone on a page."""
    from docx.text.paragraph import Paragraph as DocxParagraph

    _, doc, word = sample
    noted = [t for t in doc.tables() if t.note]
    assert noted
    by_caption = {}
    body = word.element.body
    for tbl in body.iter(qn("w:tbl")):
        prev = tbl.getprevious()
        by_caption[DocxParagraph(prev, None).text] = tbl
    for t in noted:
        tbl = by_caption[t.caption]
        rows = tbl.findall(qn("w:tr"))
        keeps = [bool(tr.findall(".//" + qn("w:keepNext"))) for tr in rows]
        assert keeps[-1] and not any(keeps[len(t.header):-1]), t.caption


def test_a_line_break_in_a_cell_is_kept():
    """A header broken where its words meet (总体\\n人数) is two lines in Word too."""
    doc = Document("某县自评报告", author="某县教育局", draft=False)
    doc.chapter("基本情况").add(Table("样本", [[Cell("总体\n人数"), Cell("认可度")]], [[Cell("120"), Cell("90.0%")]]))
    word = open_docx(io.BytesIO(render_docx(doc)))
    cell = word.tables[0].rows[0].cells[0]
    assert cell.text == "总体\n人数"
    assert len(cell._tc.findall(".//" + qn("w:br"))) == 1


def test_the_annexes_are_listed_above_the_signature(sample):
    """附件说明: 附表：1. …, the names one a line under the first (a hanging indent), a blank
    line above, kept with the text before it and the 落款 after it."""
    _, doc, word = sample
    paragraphs = word.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.text.startswith("附表：1. "))
    names = [t.caption.split("  ", 1)[1] for t in doc.annex]
    assert paragraphs[at].text == "附表：" + "\n".join(f"{n}. {name}" for n, name in enumerate(names, 1))
    pf = paragraphs[at].paragraph_format
    assert pf.left_indent.pt == 80 and pf.first_line_indent.pt == -48 and pf.space_before.pt > 20
    assert pf.keep_with_next and paragraphs[at - 1].paragraph_format.keep_with_next
    assert paragraphs[at + 1].text == f"{doc.author}\n2026年3月1日"
