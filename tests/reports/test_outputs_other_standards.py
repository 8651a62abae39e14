"""The outputs follow the standard they are given: jbjh-2012 judges the mean of the CVs
(综合差异系数) and sets no per-school values; xqpp-2020 evaluates kindergartens, with no
school table at all. Nothing is judged that the standard does not judge."""

from __future__ import annotations

import functools
import io
import json

import openpyxl
from docx import Document as open_docx
from rich.console import Console

from junheng.core.preschool import KindergartenCategory
from junheng.reports import numbers as fmt
from junheng.reports.documents.remedies import item_label
from junheng.reports.renderers.docx import render_docx
from junheng.reports.renderers.html import render_html_report
from junheng.reports.renderers.json import evaluation_to_json
from junheng.reports.renderers.terminal import print_evaluation
from junheng.reports.renderers.xlsx import write_result_workbook
from junheng.samples import generate_county
from junheng.services.evaluation import evaluate_data
from junheng.services.reporting import annual_document, self_evaluation_document

from .counties import DATE


@functools.cache
def evaluation(standard: str):
    return evaluate_data(generate_county(schools=30, seed=3), standard)


def terminal(ev) -> str:
    console = Console(record=True, width=140, file=open("/dev/null", "w"))  # noqa: SIM115
    print_evaluation(ev, console)
    return console.export_text()


def test_composite_cv_of_jbjh_2012(tmp_path):
    ev = evaluation("jbjh-2012")
    assert all(per["composite"].limit is not None for per in ev.dispersion.values())
    assert "综合差异系数" in terminal(ev)
    ws = openpyxl.load_workbook(write_result_workbook(ev, tmp_path / "r.xlsx"))["差异系数"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    per_indicator = [r for r in rows if r[1] != "综合差异系数"]
    assert {r[8] for r in per_indicator} == {"不单独判定"}  # no limit of their own
    expected = ["√ 达标" if per["composite"].passed else "× 未达标" for per in ev.dispersion.values()]
    assert [r[8] for r in rows if r[1] == "综合差异系数"] == expected
    html = render_html_report(ev)
    assert "综合差异系数" in html and "不单独判定" in html
    assert "指标达成热力图" not in html  # no per-school values to divide by
    json.loads(evaluation_to_json(ev))


def test_kindergarten_standard_has_no_school_table(tmp_path):
    ev = evaluation("xqpp-2020")
    assert ev.schools == [] and not ev.dispersion
    text = terminal(ev)
    assert "评估结论" in text and "校际差异系数" not in text
    html = render_html_report(ev)
    assert "本标准不逐校评估资源配置指标" in html and "本标准不计算校际差异系数" in html
    wb = openpyxl.load_workbook(write_result_workbook(ev, tmp_path / "r.xlsx"))
    # no per-school indicators, no CVs: no 学校指标 or 差异系数 sheet
    assert "学校指标" not in wb.sheetnames and "差异系数" not in wb.sheetnames
    assert wb["整改清单"].max_row == len(ev.shortfalls) + 1
    doc = json.loads(evaluation_to_json(ev))
    assert doc["schools"] == [] and doc["difference_coefficients"] == {}


# --- the Word reports (自评报告, 年度答卷) follow the standard too ---------------------------


@functools.cache
def county(year: int = 2025):
    return generate_county(schools=30, seed=3, school_year=year)


def word(document):
    return open_docx(io.BytesIO(render_docx(document)))


def paragraphs(doc, style: str | None = None) -> list[str]:
    return [p.text for p in doc.paragraphs if style is None or p.style.name == style]


def test_kindergarten_self_evaluation_describes_kindergartens():
    data = county()
    doc = word(self_evaluation_document(data, "xqpp-2020", date=DATE))
    kgs = data.extra_tables["kindergartens"]
    basic = next(p for p in paragraphs(doc) if p.startswith("示例县隶属"))
    count = {c: sum(1 for k in kgs if k.category is c) for c in KindergartenCategory}
    assert (f"全县共有幼儿园 {len(kgs)} 所，其中公办园 {count[KindergartenCategory.PUBLIC]} 所、"
            f"普惠性民办园 {count[KindergartenCategory.INCLUSIVE_PRIVATE]} 所、"
            f"非普惠性民办园 {count[KindergartenCategory.PRIVATE]} 所") in basic
    assert f"在园幼儿 {sum(k.children for k in kgs)} 人" in basic
    assert f"共有班级 {len(data.extra_tables['kindergarten_classes'])} 个" in basic
    assert f"专任教师 {sum(k.teachers for k in kgs)} 人" in basic
    assert "义务教育" not in basic and "基本均衡" not in basic
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "办园性质")
    total = [c.text for c in table.rows[-1].cells]
    assert total[:5] == ["合计", str(len(kgs)), str(sum(k.children for k in kgs)),
                         str(len(data.extra_tables["kindergarten_classes"])), str(sum(k.teachers for k in kgs))]
    assert paragraphs(doc, "Heading 1") == ["草稿：待补充的内容", "一、基本情况", "二、主要做法与成效", "三、普及普惠水平", "四、政府保障情况",
                                            "五、幼儿园保教质量保障情况", "六、社会认可度", "七、存在的问题",
                                            "八、下一步工作打算", "附表"]
    text = "\n".join(paragraphs(doc))
    assert "义务教育" not in text and "所学校" not in text
    # A gap names its kindergarten (or class) once, has no 学段, and a passing item's gaps
    # (班额 above 85 %, 2017 年以前 above 50 %) are advice.
    ev = evaluation("xqpp-2020")
    listed = [s for s in ev.shortfalls if s.school_code]
    assert listed and any(not s.blocking for s in listed)
    gaps = next(t for t in doc.tables if t.rows[0].cells[1].text == "幼儿园（班级）")
    assert [c.text for c in gaps.rows[0].cells] == ["序号", "幼儿园（班级）", "项目", "差距"]
    listed = [s for s in listed if s.blocking] + [s for s in listed if not s.blocking]
    # (an advisory gap is amber and starts with its status symbol △, see document.TONE_MARKS)
    assert [[c.text.removeprefix("△ ") for c in r.cells[1:]] for r in gaps.rows[1:]] == [
        [s.school_name, item_label(ev, s.item_id),
         s.text.removeprefix(f"{s.school_name}：") + ("" if s.blocking or "建议补足" in s.text else "（建议补足）")]
        for s in listed]
    advice = next(s for s in listed if not s.blocking)
    assert f"建议补足（本项已达标，不影响认定）：{advice.text}" in text  # the name once, not twice


def test_jbjh_self_evaluation_judges_the_spread_not_each_school():
    data = county()
    ev = evaluation("jbjh-2012")
    doc = word(self_evaluation_document(data, "jbjh-2012", date=DATE))
    assert paragraphs(doc, "Heading 2")[:4] == ["（一）逐项自评情况", "（一）学校资源配置情况", "（二）校际差异系数",
                                                "（一）逐项自评情况"]
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert "达标值" not in cells and "是否达标" in cells  # only the CV table judges
    text = "\n".join(paragraphs(doc))
    assert "基本均衡发展督导评估认定" not in text  # the year of 基本均衡 is no 申报条件 here
    assert "优质均衡" not in text
    for stage, per in ev.dispersion.items():
        composite = per["composite"]
        assert f"综合差异系数（各项指标差异系数的平均值）为 {fmt.cv(composite.cv)}" in text, stage
    j6 = ev.schools[0].indicators["J6"].value
    assert fmt.fixed(j6, 3) in cells  # teachers per student with three decimals (0.054)


def test_jbjh_annual_names_its_standard_and_its_composite():
    years = [county(2024), county(2025)]
    doc = word(annual_document(years, "jbjh-2012", date=DATE))
    text = "\n".join(paragraphs(doc))
    assert "按《县域义务教育均衡发展督导评估暂行办法（基本均衡）》测算" in text and "优质均衡" not in text
    ev = evaluate_data(years[-1], "jbjh-2012")
    composite = [t.rows[-1].cells for t in doc.tables if t.rows[-1].cells[0].text == "综合差异系数"]
    assert [row[2].text for row in composite] == [fmt.cv(per["composite"].cv) for per in ev.dispersion.values()]
