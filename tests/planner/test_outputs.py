"""The plan section and its renderings: workbook, HTML page, JSON. Every figure about
the county after the plan is the engine's re-evaluation."""

from __future__ import annotations

import json

import openpyxl
import pytest

from junheng.planner.solve import make_plan
from junheng.reports.numbers import cv
from junheng.reports.plan_page import plan_html
from junheng.reports.plan_section import plan_section
from junheng.services.planning import PlanRequestError, parse_budget, write_plan

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
    assert summary["方案状态"] == "已找到费用最低的整改方案"
    assert summary["方案总费用"] == f"{plan.cost:,.0f} 元"
    assert summary["调整前资源配置"].startswith("未达标") and summary["调整后资源配置（评估引擎复核）"] == "达标（全部达标）"
    assert summary["G3 调整前 / 调整后"] == "未达标 / 达标"
    costs = {row[0]: row for row in section.costs.rows}
    assert costs["合计"][3] == plan.cost
    assert costs["改造音乐专用教室"][1:] == [1, "间", 100000]
    assert sum(row[3] for row in section.costs.rows[:-1]) == pytest.approx(plan.cost)
    schools, transfers, indicators = section.tables
    a_row = next(r for r in schools.rows if r[0] == "3504040001")
    assert "调入教师 1 名（高学历教师、体艺教师 1 名；来自学校002）" in a_row[4]
    assert a_row[3] == "小学未达标（5/7 项）" and a_row[6] == "小学达标（6/7 项）"
    assert sum(r[5] for r in schools.rows) == pytest.approx(plan.cost)
    assert len(transfers.rows) == len(plan.actions.transfers)
    r6 = next(r for r in indicators.rows if r[1] == "R6 仪器设备")
    assert r6[5] == cv(plan.after.dispersion["primary"]["R6"].cv)


def test_the_workbook_has_the_four_sheets_with_numbers(plan, tmp_path):
    path = write_plan(plan, tmp_path / "方案.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["方案汇总", "学校措施", "教师调配", "调整后指标"]
    summary = {r[0]: r[1] for r in wb["方案汇总"].iter_rows(values_only=True) if r[0]}
    assert summary["方案总费用"] == f"{plan.cost:,.0f} 元"
    total = next(r for r in wb["方案汇总"].iter_rows(values_only=True) if r[0] == "合计")
    assert total[3] == plan.cost  # a real number cell
    moves = list(wb["教师调配"].iter_rows(values_only=True))
    assert moves[0] == ("教师编号", "任教学段", "调出学校", "调入学校", "计入指标", "方式", "费用（元）")
    assert {m[0] for m in moves[1:]} == {t.teacher_id for t in plan.actions.transfers}
    with pytest.raises(PlanRequestError, match="文件已存在"):
        write_plan(plan, path)


def test_the_page_is_self_contained(plan, tmp_path):
    html = plan_html(plan_section(plan))
    assert "<script" not in html and "http" not in html
    assert "资源配置整改方案" in html and "教师调配" in html and "调整后指标" in html
    path = write_plan(plan, tmp_path / "plan.html")
    assert path.read_text(encoding="utf-8") == html


def test_json(plan, tmp_path):
    doc = json.loads(write_plan(plan, tmp_path / "plan.json").read_text(encoding="utf-8"))
    assert doc["status"] == "已找到费用最低的整改方案"
    assert [t["title"] for t in doc["tables"]] == ["学校措施", "教师调配", "调整后指标"]


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
