"""The plan section and its renderings: workbook, HTML page, JSON. Every figure about
the county after the plan is the engine's re-evaluation."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest

from junheng.planner.solve import make_plan
from junheng.reports.documents.plan_section import plan_section, row_texts
from junheng.reports.numbers import cv
from junheng.reports.renderers.html import render_html_report
from junheng.services.planning import PlanRequestError, parse_budget, write_plan
from junheng.services.result_files import write_result

from ..core.builders import county
from .test_cases import STD, primary, settings


@pytest.fixture(scope="module")
def plan():
    a = primary("3504040001", pe=0, sports=0.8 * 7.5, music=(70,))
    b = primary("3504040002", pe=3, eligible=10, rotated=1)
    return make_plan(county([a, b]), STD, settings(rooms=True, rotation=True))


def test_the_section_summarises_and_lists_every_action(plan):
    section = plan_section(plan)
    summary = dict(section.summary)
    assert summary["方案状态"] == "已证明费用最低（与费用下界相差不超过 0.01%）"
    assert plan.actions.annual == 0 and summary["方案总费用"] == f"{plan.cost:,.0f} 元"  # no hires: no yearly cost
    assert summary["单价来源"] == "示例单价（非本地造价，请替换）（2025 年）。默认单价仅为示例，请换成本地造价"
    assert summary["调整前资源配置"].startswith("未达标") and summary["调整后资源配置（评估引擎复核）"] == "达标（全部达标）"
    assert summary["G3 调整前 / 调整后"] == "未达标 / 达标"
    costs = {row[0]: row for row in section.costs.rows}
    assert costs["合计"][3] == plan.cost == costs["一次性费用合计"][3]
    assert costs["改造音乐专用教室"][1:] == [1, "间", 100000]
    assert sum(row[3] for row in section.costs.rows[:-2]) == pytest.approx(plan.cost)
    schools, transfers, indicators = section.tables
    a_row = next(r for r in schools.rows if r[0] == "3504040001")
    assert "调入教师 1 名（高学历教师、体艺教师 1 名；来自学校002）" in a_row[4]
    assert a_row[3] == "小学未达标（5/7 项）" and a_row[6] == "小学达标（6/7 项）"
    assert sum(r[5] for r in schools.rows) == pytest.approx(plan.cost)
    assert len(transfers.rows) == len(plan.actions.transfers)
    r6 = next(r for r in indicators.rows if r[1] == "R6 仪器设备")
    assert r6[5] == plan.after.dispersion["primary"]["R6"].cv  # a number; printed with cv()'s places
    assert row_texts(indicators, r6)[5] == cv(plan.after.dispersion["primary"]["R6"].cv)


def test_the_workbook_has_the_four_sheets_with_numbers(plan, tmp_path):
    path = write_plan(plan, tmp_path / "方案.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["方案汇总", "学校措施", "教师调配", "调整后指标", "措施（第1年）", "说明"]
    summary = {r[0].value: r[1] for r in wb["方案汇总"].iter_rows() if r[0].value}
    # the cost is a number shown as the page prints it: 1,099,050 元
    assert summary["方案总费用"].value == round(plan.cost) and summary["方案总费用"].number_format == '#,##0" 元"'
    assert summary["学年"].value == 2025
    total = next(r for r in wb["方案汇总"].iter_rows(values_only=True) if r[0] == "合计")
    assert total[3] == plan.cost  # a real number cell
    moves = list(wb["教师调配"].iter_rows(values_only=True))
    assert moves[0] == ("教师编号", "任教学段", "调出学校", "调入学校", "计入指标", "方式", "费用（元）")
    assert {m[0] for m in moves[1:]} == {t.teacher_id for t in plan.actions.transfers}
    with pytest.raises(PlanRequestError, match="文件已存在"):
        write_plan(plan, path)


def test_the_page_is_the_report_after_the_plan_with_the_plan_on_top(plan, tmp_path):
    path = write_plan(plan, tmp_path / "plan.html")
    html = path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]*\bsrc\s*=", html, re.I) and "<link" not in html  # self-contained
    assert "<title>测试县义务教育优质均衡发展资源配置整改方案（2025学年）</title>" in html
    assert html.index('id="plan"') < html.index('id="summary"')  # the plan first
    assert "已证明费用最低" in html and "教师调配" in html and "调整后指标" in html
    # the rest of the page is the county re-evaluated after the plan: it passes R3 now
    assert f"{plan.cost:,.0f}" in html
    section = plan_section(plan)
    for row in section.tables[1].rows:
        assert f"<td class=\"\">{row[0]}</td>" in html


def test_the_evaluation_report_can_carry_the_plan_at_the_end(plan):
    html = render_html_report(plan.before, plan=plan_section(plan))
    assert html.index('id="summary"') < html.index('id="plan"')
    assert "八、整改方案" in html and "不予认定" in html


def test_json(plan, tmp_path):
    doc = json.loads(write_plan(plan, tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert doc["status"] == "optimal" and doc["status_text"].startswith("已证明费用最低")
    assert doc["cost"] == {"one_off": plan.cost, "annual": 0.0, "years": 1, "total": plan.cost, "post_fill_annual": 0}
    assert sum(a["one_off_cost"] for a in doc["actions"]) == pytest.approx(plan.cost)


def test_an_unknown_output_type(plan, tmp_path):
    with pytest.raises(PlanRequestError, match="输出文件应以 .xlsx、.html、.json 结尾"):
        write_plan(plan, tmp_path / "plan.docx")


@pytest.mark.parametrize(("text", "value"), [("5000000", 5e6), ("500万", 5e6), ("1.2亿", 1.2e8),
                                             ("3,000,000元", 3e6), (" 80 万 ", 8e5)])
def test_budgets_in_chinese_units(text, value):
    assert parse_budget(text) == pytest.approx(value)


def test_a_budget_that_is_not_a_number():
    with pytest.raises(PlanRequestError, match="预算“很多”无法识别"):
        parse_budget("很多")


def test_the_result_files_carry_the_plan(plan, tmp_path):
    section = plan_section(plan)
    book = write_result(plan.before, tmp_path / "结果.xlsx", plan=section)
    names = openpyxl.load_workbook(book).sheetnames
    assert names[:3] == ["汇总", "学校指标", "差异系数"]
    assert names[-5:] == ["整改方案", "整改方案学校措施", "整改方案教师调配", "整改方案调整后指标", "说明"]
    doc = json.loads(write_result(plan.before, tmp_path / "结果.json", plan=section).read_text("utf-8"))
    assert doc["plan"]["status"] == section.status and doc["county_code"] == "350404"
    assert "八、整改方案" in write_result(plan.before, tmp_path / "结果.html", plan=section).read_text("utf-8")
    plain = json.loads(write_result(plan.before, tmp_path / "无方案.json").read_text("utf-8"))
    assert "plan" not in plain
