"""Every Excel file junheng writes, written through the CLI as a bureau would and read
back with openpyxl: none has a number stored as text, a raw float, a sheet without
frozen panes, a filter not on its frozen header, a missing 说明 sheet or print setup
(tests/reports/workbook_checks.py); and the defects once found are gone: the trend
workbook's raw floats, the preschool workbook's 「856.48% ≤ 1500%」 and bare
fractions, the plan workbook's CVs as text."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from junheng.cli import app
from junheng.reports.renderers.xlsx import write_result_workbook
from junheng.samples import generate_county
from junheng.services.evaluation import evaluate_data

from .workbook_checks import workbook_problems

runner = CliRunner()
CODE = "350404"


def run(*args) -> None:
    r = runner.invoke(app, [str(a) for a in args])
    assert r.exit_code in (0, 1), r.output


@pytest.fixture(scope="module")
def books(tmp_path_factory) -> dict[str, Path]:
    """Three years of a sample county, stored; then every workbook the CLI writes."""
    tmp = tmp_path_factory.mktemp("books")
    mp = pytest.MonkeyPatch()
    mp.delenv("JUNHENG_STANDARD", raising=False)
    mp.setenv("JUNHENG_DATABASE_URL", f"sqlite:///{tmp / 'j.db'}")
    try:
        run("sample", tmp / "县", "--years", "2023-2025", "--schools", "16")
        years = {y: tmp / "县" / f"示例县-{y}.xlsx" for y in (2023, 2024, 2025)}
        for y in (2023, 2024):
            run("import", years[y], "--by", "测试")
        out = {name: tmp / f"{name}.xlsx" for name in (
            "result", "result-jbjh", "result-xqpp", "result-history", "plan", "issues", "trend", "flows",
            "places", "groups", "afterschool")}
        run("evaluate", years[2025], "--out", out["result"])
        run("evaluate", years[2025], "--standard", "jbjh-2012", "--out", out["result-jbjh"])
        run("evaluate", years[2025], "--standard", "xqpp-2020", "--out", out["result-xqpp"])
        run("evaluate", years[2025], "--history", "--plan", "--out", out["result-history"])
        run("plan", years[2025], "--out", out["plan"])
        run("places", years[2025], "--previous", years[2024], "--out", out["places"])
        run("groups", years[2025], "-p", years[2023], "-p", years[2024], "--out", out["groups"])
        run("afterschool", years[2025], "-p", years[2024], "--out", out["afterschool"])
        run("import", years[2025], "--by", "测试")
        run("trend", CODE, "--out", out["trend"])
        run("flows", CODE, "2025", "--out", out["flows"])
        broken = tmp / "有错误.xlsx"
        wb = openpyxl.load_workbook(years[2025])
        ws = wb["学校"]
        ws.cell(3, 5).value = -12
        ws.cell(4, 5).value = "很多"
        wb.save(broken)
        run("validate", broken, "--format", "xlsx", "--out", out["issues"])
    finally:
        mp.undo()
    for name, path in out.items():
        assert path.exists(), name
    return out


@pytest.mark.parametrize("name", ["result", "result-jbjh", "result-xqpp", "result-history", "plan",
                                  "issues", "trend", "flows", "places", "groups", "afterschool"])
def test_every_workbook_is_an_analysts(books, name):
    assert workbook_problems(books[name]) == []


def test_the_issue_list_has_issues_and_keeps_values_as_typed(books):
    ws = openpyxl.load_workbook(books["issues"])["问题清单"]
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert rows and rows[0][0] == "错误"
    assert any(r[5] == -12 for r in rows) and any(r[5] == "很多" for r in rows)
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref.startswith("A1:H")


def test_the_trend_workbook_has_formats_names_and_frozen_panes(books):
    ws = openpyxl.load_workbook(books["trend"])["趋势"]
    assert ws.freeze_panes == "B3"  # the year header and the labels
    rows = {r[0].value: r[1:] for r in ws.iter_rows(min_row=3) if r[0].value}
    cv = next(v for k, v in rows.items() if k.startswith("小学差异系数 R1 "))  # named, not a bare code
    assert all(c.number_format == "0.000" and isinstance(c.value, float) for c in cv)
    assert all(c.number_format == "0.0%" for c in rows["骨干教师占比"])
    assert all(isinstance(c.value, int) for c in rows["其中达标的学校（学段）"])
    funding = openpyxl.load_workbook(books["trend"])["两个只增不减"]
    assert funding["E2"].number_format == "#,##0.00" and funding["A2"].number_format == "0"


def test_the_preschool_workbook_reads_as_the_standard_does(books):
    wb = openpyxl.load_workbook(books["result-xqpp"])
    assert "学校指标" not in wb.sheetnames and "差异系数" not in wb.sheetnames
    items = {r[0].value: r for ws in wb.worksheets if ws.cell(1, 1).value == "编号"
             for r in ws.iter_rows(min_row=2) if r[0].value}
    x8 = items["X8"]  # children per teacher: 1:8.56, at most 1:15 — not 856.48% ≤ 1500%
    assert x8[2].number_format == '"1:"0.00' and 5 < x8[2].value < 15
    assert x8[3].value == 15 and x8[3].number_format == '"≤ ""1:"0'
    for code in ("X10", "X12"):  # shares of classes or kindergartens, as percentages
        assert items[code][2].number_format == "0.00%" and 0 <= items[code][2].value <= 1
        assert items[code][3].number_format == '"≥ "0%'


def test_the_plan_workbook_keeps_numbers_as_numbers(books):
    wb = openpyxl.load_workbook(books["plan"])
    ws = wb["调整后指标"]
    head = [c.value for c in ws[1]]
    row = [c for c in ws[2]]
    assert isinstance(row[head.index("调整前差异系数")].value, float)
    assert row[head.index("调整前差异系数")].number_format == "0.000"
    assert row[head.index("差异系数限值")].number_format == "0.00"
    summary = {r[0].value: r[1] for r in wb["方案汇总"].iter_rows() if r[0].value}
    assert isinstance(summary["方案总费用"].value, int | float)


def test_the_places_workbook(books):
    wb = openpyxl.load_workbook(books["places"])
    assert wb.sheetnames == ["学位容量", "大班额", "大班额学校", "升级率", "预测", "说明"]
    ws = wb["学位容量"]
    head = [c.value for c in ws[1]]
    assert head[:3] == ["学校标识码", "学校名称", "学段"] and "较上年新增学位" in head  # --previous given
    for row in ws.iter_rows(min_row=2, values_only=True):  # 剩余学位 = 学位数 − 在校生
        assert row[head.index("剩余学位")] == row[head.index("学位数")] - row[head.index("在校生")]
    total = next(r for r in wb["大班额"].iter_rows(min_row=2) if r[0].value == "合计")
    assert total[3].number_format == "0.0%" and total[3].value == pytest.approx(total[2].value / total[1].value)
    verdicts = {r[9] for r in wb["预测"].iter_rows(min_row=2, values_only=True)}
    assert verdicts <= {"√ 够用", "× 学位不足", "× 班额将超标", "× 学位不足、班额将超标"}


def test_the_groups_workbook(books):
    wb = openpyxl.load_workbook(books["groups"])
    assert wb.sheetnames == ["成员学校", "集团内差异系数", "逐年变化", "说明"]
    members = wb["成员学校"]
    head = [c.value for c in members[1]]
    assert "R1 高学历教师" in head and "R1 相当于牵头学校" in head  # names, not bare codes
    for row in members.iter_rows(min_row=2):
        if row[head.index("牵头学校")].value == "是":  # the lead school is 100 % of itself
            assert row[head.index("R1 相当于牵头学校")].value == pytest.approx(1.0)
        assert row[head.index("R1 相当于牵头学校")].number_format == "0.0%"
    heads = [c.value for c in wb["逐年变化"][1]]
    assert heads[:2] == ["教育集团", "学段"] and heads[-1] == "是否逐年缩小"
    assert all(h.endswith(" 学年") for h in heads[2:-1])


def test_the_afterschool_workbook(books):
    wb = openpyxl.load_workbook(books["afterschool"])
    assert wb.sheetnames == ["课后服务", "培训机构压减", "逐年变化", "说明"]
    ws = wb["课后服务"]
    last = int(ws.auto_filter.ref.split(":")[1][1:])
    total = [c.value for c in ws[last + 1]]  # under the filtered table, so sorting leaves it last
    assert total[1] == "全县合计"
    students = [r[2] for r in ws.iter_rows(min_row=2, max_row=last, values_only=True)]
    assert total[2] == sum(students)
    cut = {r[0]: r for r in wb["培训机构压减"].iter_rows(min_row=2, values_only=True)}
    before, now, rate = cut["合计"][1:4]
    assert rate == pytest.approx((before - now) / before)


def test_places_refuses_an_output_that_is_not_a_workbook(tmp_path):
    book = tmp_path / "县.xlsx"
    from junheng.templates.writer import write_county_workbook

    write_county_workbook(generate_county(schools=4, seed=1), book)
    r = runner.invoke(app, ["places", str(book), "--out", str(tmp_path / "学位.csv")])
    assert r.exit_code == 2 and "输出文件须以 .xlsx 结尾" in r.output
    assert not (tmp_path / "学位.csv").exists()


def test_marks_read_without_colour(books):
    wb = openpyxl.load_workbook(books["result"])
    ws = wb["学校指标"]
    head = next(r for r in range(1, 10) if ws.cell(r, 1).value == "学校标识码")
    col = next(c.column for c in ws[head] if c.value == "是否达标")
    marks = {ws.cell(r, col).value for r in range(head + 1, ws.max_row + 1)} - {None}
    assert marks <= {"√ 达标", "× 未达标"} and "√ 达标" in marks
    # every red or amber number cell carries its symbol in the number format
    for row in ws.iter_rows(min_row=head + 1):
        for c in row:
            if c.fill is not None and c.fill.fill_type == "solid" and isinstance(c.value, float):
                assert c.number_format.endswith(('" ×"', '" △"')), c.coordinate
    notes = wb["说明"]
    text = "\n".join(str(c.value) for r in notes.iter_rows() for c in r if c.value)
    assert "学校指标" in text and "△" in text and "R1 " in text


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schools=st.integers(3, 30), seed=st.integers(0, 10_000),
       standard=st.sampled_from(["yzjh-2017", "jbjh-2012", "xqpp-2020"]))
def test_any_county_gives_a_clean_result_workbook(tmp_path, schools, seed, standard):
    ev = evaluate_data(generate_county(schools=schools, seed=seed), standard)
    path = write_result_workbook(ev, tmp_path / f"{standard}-{seed}.xlsx")
    assert workbook_problems(path) == []
