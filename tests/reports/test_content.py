"""What a bureau would write: its own chapters from 「县级说明」 verbatim, 待填写 slots in a
draft, --final refused until they are filled, a remedy for every failed item, item names
(never codes) in tables, and findings that read as sentences."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
from docx import Document as open_docx
from openpyxl.styles import Alignment, Font
from typer.testing import CliRunner

from junheng.cli import app
from junheng.reports.documents.document import Paragraph, Placeholder
from junheng.reports.documents.self_evaluation import build_self_evaluation
from junheng.samples import generate_county
from junheng.services.counties import load_county
from junheng.services.evaluation import evaluate_data
from junheng.standards import load_standard
from junheng.templates.writer import write_county_workbook

runner = CliRunner()
DATE = dt.date(2026, 3, 1)
NOTES = [
    ("主要做法与成效", "近年来，我县把义务教育优质均衡发展作为“一把手工程”，三年累计投入 3.2 亿元。"),
    ("主要做法与成效", "深化“县管校聘”改革，组建教育集团 3 个，覆盖城乡学校 18 所。"),
    ("社会认可度调查方法", "2025 年 10 月委托第三方机构以网络问卷和入户访谈相结合的方式开展调查。"),
    ("社会认可度调查样本", "调查学生、家长、教师等 3,215 人，有效问卷 3,102 份。"),
    ("下一步工作打算", "力争 2027 年通过国家督导评估认定。"),
    ("整改完成时限", "2026 年 12 月底前"),
    ("整改责任单位", "县教育局、县财政局"),
]


def workbook_with_notes(path, rows=NOTES):
    """The sample workbook plus a 「县级说明」 sheet as a clerk would add it in Excel."""
    write_county_workbook(generate_county(schools=12, seed=5), path)
    wb = openpyxl.load_workbook(path)
    if "县级说明" in wb.sheetnames:  # the template writer adds it empty, with its headers
        ws = wb["县级说明"]
        assert [c.value for c in ws[1]][:2] == ["章节", "内容"]
    else:
        ws = wb.create_sheet("县级说明")
        ws.append(["章节", "内容"])
        for c in ws[1]:
            c.font = Font(bold=True)
    for chapter, text in rows:
        ws.append([chapter, text])
        ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True)
    ws.column_dimensions["B"].width = 80
    wb.save(path)
    return path


def texts(doc):
    for s in doc.walk():
        for b in s.blocks:
            if isinstance(b, Paragraph):
                yield s, b.text
            elif isinstance(b, Placeholder):
                yield s, f"[{b.label}]"


def test_county_notes_are_placed_verbatim_and_final_is_allowed(tmp_path):
    book = workbook_with_notes(tmp_path / "县.xlsx")
    data = load_county(book)
    std = load_standard("yzjh-2017")
    doc = build_self_evaluation(evaluate_data(data, std), data, std, date=DATE)
    assert doc.missing == []
    found = dict((t, s.title) for s, t in texts(doc))
    assert found[NOTES[0][1]] == "二、主要做法与成效" and found[NOTES[1][1]] == "二、主要做法与成效"
    assert NOTES[2][1] in found and NOTES[3][1] in found and NOTES[4][1] in found
    tasks = doc.table("tasks")
    assert {r[6].text for r in tasks.rows} == {"2026 年 12 月底前"} and {r[7].text for r in tasks.rows} == {
        "县教育局、县财政局"}
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["report", str(book), "--out", str(out), "--final"])
    assert result.exit_code == 0, result.output
    word = open_docx(io.BytesIO(out.read_bytes()))
    assert "草稿：待补充的内容" not in [p.text for p in word.paragraphs]


def test_a_draft_lists_what_is_missing_and_final_refuses(tmp_path):
    book = workbook_with_notes(tmp_path / "县.xlsx", NOTES[2:4])  # no 主要做法, no 下一步, no 时限
    out = tmp_path / "r.docx"
    result = runner.invoke(app, ["report", str(book), "--out", str(out), "--final"])
    assert result.exit_code == 1 and not out.exists()
    assert "不能生成正式文稿" in result.output and "主要做法与成效" in result.output
    assert "整改完成时限" in result.output and "下一步工作打算" in result.output
    result = runner.invoke(app, ["report", str(book), "--out", str(out)])
    assert result.exit_code == 0 and "草稿" in result.output
    paragraphs = [p.text for p in open_docx(io.BytesIO(out.read_bytes())).paragraphs]
    front = next(i for i, p in enumerate(paragraphs) if p.startswith("本文稿为草稿"))
    assert paragraphs[front - 1] == "草稿：待补充的内容"
    assert front < len(paragraphs) - 1 - paragraphs[::-1].index("一、基本情况")  # before chapter 一
    assert any("主要做法与成效（工作簿「县级说明」表「主要做法与成效」）" in p for p in paragraphs[front:front + 6])


def test_every_failed_item_has_a_remedy_and_no_table_shows_a_code():
    data = generate_county(schools=40, seed=2025)
    std = load_standard("yzjh-2017")
    ev = evaluate_data(data, std)
    doc = build_self_evaluation(ev, data, std, date=DATE)
    failed = [i for i in ev.items.values() if i.passed is False]
    assert failed
    tasks = [r[1].text for r in doc.table("tasks").rows]
    for item in failed:
        assert any(item.name.startswith(t) for t in tasks), item.item_id
    # the 估算投入 column in one format, 40.00 over 164.26 (not 40 over 164.26)
    costs = [r[5].text for r in doc.table("tasks").rows]
    assert any(c != "—" for c in costs) and all(c == "—" or re.fullmatch(r"\d+\.\d\d", c) for c in costs), costs
    code = re.compile(r"^(?:[RGQSFX]\d+)(?:\s|$)")
    for t in doc.tables():
        if t.key and t.key.startswith("school-"):
            continue
        for row in [*t.header, *t.rows]:
            for cell in row:
                assert not code.match(cell.text), (t.caption, cell.text)
    sentences = [t for _, t in texts(doc)]
    assert not any("自评情况：是" in t for t in sentences)
    assert not any(re.search(r"\b[RGQS]\d+\b", t) for t in sentences)
    # A gap of students over a class limit is a surplus, never a 缺口.
    assert not any("缺口" in t and "班额" in t for t in sentences)
    # Costs estimated with the planner's unit costs: 2141 ㎡ × 3500 元 etc.
    assert any("按每平方米 3500 元估算" in t for t in sentences)


def test_both_documents_end_with_a_signature_and_the_full_date_not_a_field(tmp_path):
    """落款 (GB/T 9704 7.3.5): the author over the date, right-aligned, after the last
    chapter; never a yellow 【…】 field left in a final document, never missing."""
    from junheng.reports.documents.document import Document
    from junheng.services.reporting import annual_document

    book = workbook_with_notes(tmp_path / "县.xlsx")
    data = load_county(book)
    std = load_standard("yzjh-2017")
    doc = build_self_evaluation(evaluate_data(data, std), data, std, date=DATE)
    years = [generate_county(schools=12, seed=5, school_year=y) for y in (2024, 2025)]
    annual = annual_document(years, date=DATE)
    for d, author in ((doc, f"{data.county.name}人民政府"), (annual, f"{years[-1].county.name}教育局")):
        assert isinstance(d, Document)
        body = [s for s in d.walk() if s.key != "annex"]
        last = body[-1].blocks[-1]
        assert isinstance(last, Paragraph) and last.style == "signature", last
        assert last.text == f"{author}\n2026年3月1日"
        assert not any(isinstance(b, Placeholder) and b.label == "落款" for s in d.walk() for b in s.blocks)


def every_text(doc):
    """Every string a reader sees: titles, paragraphs, fields, captions, cells and notes."""
    from junheng.reports.documents.document import Table

    yield from (doc.title, doc.subtitle or "", doc.author or "", *doc.missing)
    for s in doc.walk():
        yield s.title
        for b in s.blocks:
            if isinstance(b, Paragraph):
                yield b.text
            elif isinstance(b, Placeholder):
                yield from (b.label, b.hint)
            elif isinstance(b, Table):
                yield from (b.caption, b.note or "")
                yield from (c.text for row in b.header + b.rows for c in row)


def test_no_command_or_code_name_in_either_document(tmp_path):
    """A bureau reads no program name or command line (junheng plan, --final): the draft's
    list of what is missing and the 任务清单's note say what to do in Chinese."""
    from junheng.services.reporting import annual_document

    book = workbook_with_notes(tmp_path / "县.xlsx", NOTES[2:4])  # a draft, with a 任务清单
    data = load_county(book)
    std = load_standard("yzjh-2017")
    doc = build_self_evaluation(evaluate_data(data, std), data, std, date=DATE)
    assert doc.missing and doc.table("tasks").note
    years = [generate_county(schools=12, seed=5, school_year=y) for y in (2024, 2025)]
    annual = annual_document(years, date=DATE)
    assert annual.missing
    for d in (doc, annual):
        latin = {w for t in every_text(d) for w in re.findall(r"[A-Za-z][A-Za-z_\-]+", t)}
        assert not latin, latin


def test_no_finding_refers_the_reader_to_a_note_the_report_does_not_have():
    """有编不补's finding says 部分学校数据不全未核对，见说明 — a 说明 the 自评报告 has not
    (the schools are listed in the engine's provenance, not in the report)."""
    data = generate_county()
    std = load_standard("yzjh-2017")
    doc = build_self_evaluation(evaluate_data(data, std), data, std, date=DATE)
    text = "".join(every_text(doc))
    assert "部分学校数据不全未核对" in text
    assert "见说明" not in text


def test_the_annexes_are_listed_between_the_text_and_the_signature():
    """附件说明 (GB/T 9704 7.3.4): after the text, before the 落款, 「附表：1. …」 names each
    附表 in order, with the caption it carries after the 落款."""
    from junheng.reports.documents.document import Table

    data = generate_county()
    std = load_standard("yzjh-2017")
    doc = build_self_evaluation(evaluate_data(data, std), data, std, date=DATE)
    assert len(doc.annex) == 3
    body = [s for s in doc.walk() if s.key != "annex"][-1].blocks
    annexes, signature = body[-2], body[-1]
    assert signature.style == "signature"
    assert isinstance(annexes, Paragraph) and annexes.style == "annexes"
    names = [t.caption.split("  ", 1)[1] for t in doc.annex]
    assert annexes.text == "附表：" + "\n".join(f"{n}. {name}" for n, name in enumerate(names, 1))
    assert all(isinstance(t, Table) and t.caption.startswith(f"附表{n}  ") for n, t in enumerate(doc.annex, 1))


def test_a_room_remedy_is_priced_as_the_plan_does_it():
    """The 下一步工作打算 estimate for music/art rooms: a room too small is refitted (改造,
    10 万元) before one is built (新建, 40 万元) — what the plan does with the same prices,
    so the report and the plan give the bureau one figure (it said 40 万元 a room)."""
    from junheng.planner.settings import default_settings
    from junheng.planner.solve import make_plan
    from junheng.reports.documents.remedies import remedies

    data = generate_county(schools=60, seed=2025)
    std = load_standard("yzjh-2017")
    ev = evaluate_data(data, std)
    (room,) = [r for r in remedies(ev, set()) if "专用教室" in r.item]
    # two schools, each lacking one room of a type it has one too small of (hand-checked
    # from the item's failures: music 2 good + 1 small of 3 required; art 0 good + 1 small of 1)
    assert room.cost == 20.0 and room.cost_basis == "按改造面积不足的教室 2 间（每间 10 万元）估算"
    plan = make_plan(data, std, default_settings().with_time_limit(30))
    assert sum(a.cost for a in plan.actions.rooms) == room.cost * 10000
