"""A multi-year plan with a committed project finishing in its second year, and 有编不补
hires scheduled like other hires: hand-checked."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import openpyxl

from junheng.planner.projects import with_committed_projects
from junheng.planner.solve import make_plan
from junheng.planner.years import schedule_plan
from junheng.reports.documents.plan_section import plan_section
from junheng.services.planning import write_plan
from junheng.standards import load_standard

from .test_cases import settings
from .test_projects_plan import extension, short_of_area
from .test_subjects import vacant_posts_county

STD = load_standard()
SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "plan.schema.json").read_text(encoding="utf-8"))
BUDGETS = [200_000.0] * 3


def three_years():
    return settings().with_years(yearly_budget=BUDGETS, first_year=2026)


def test_a_project_finishing_in_year_two_counts_only_from_year_two():
    # School year 2025; the plan runs 2026–2028. A (300 ㎡ for 100 pupils) fails R4 until
    # the 120 ㎡ extension finishing in 2027 is done: the plan buys nothing (it counts the
    # project), year 1 (2026) still fails, years 2 and 3 pass.
    raw = short_of_area()
    raw.extra_tables["projects"] = [extension(2027)]
    s = three_years()
    data, notes = with_committed_projects(raw, s)
    plan = make_plan(data, STD, s)
    assert plan.status == "nothing_to_do" and plan.actions.is_empty()
    years = schedule_plan(plan, data, STD, s, BUDGETS, 2026, base=raw).schedule
    assert [r.failing_schools for r in years.results] == [1, 0, 0]
    assert [r.resource_passed for r in years.results] == [False, True, True]
    assert "学校001" in years.results[0].still_failing[0]
    noted = schedule_plan(plan, data, STD, s, BUDGETS, 2026, base=raw).notes
    assert any("学校001教学楼加层（2027 年竣工）" in n for n in noted)
    # without the county as it was, every year counts the project (the old reading)
    assert [r.failing_schools for r in schedule_plan(plan, data, STD, s, BUDGETS, 2026).schedule.results] == [0, 0, 0]


def test_a_project_finishing_in_the_first_year_counts_every_year():
    raw = short_of_area()
    raw.extra_tables["projects"] = [extension(2026)]
    s = three_years()
    data, _ = with_committed_projects(raw, s)
    years = schedule_plan(make_plan(data, STD, s), data, STD, s, BUDGETS, 2026, base=raw).schedule
    assert [r.failing_schools for r in years.results] == [0, 0, 0]


def test_unfilled_posts_are_priced_and_scheduled_like_hires(tmp_path):
    # As in test_subjects: one PE teacher moves into A (8,000 元), leaving 2 posts vacant
    # while 1 编外 teacher works there: 1 在编 hire at 120,000 元 a year (costs.post_fill).
    data = vacant_posts_county()
    s = three_years()
    plan = make_plan(data, STD, s)
    assert plan.cost == 8000 and plan.post_fill_annual == 120000
    sched = schedule_plan(plan, data, STD, s, BUDGETS, 2026)
    # least total cost over the three years: pay from year 3 only (as for any hire); the move in year 1
    assert [r.one_off for r in sched.schedule.results] == [8000, 0, 0]
    assert [r.post_fill for r in sched.schedule.results] == [0, 0, 120000]
    assert [r.annual for r in sched.schedule.results] == [0, 0, 120000]
    section = plan_section(sched)
    jsonschema_rs.validator_for(SCHEMA).validate(section.document)
    (fill,) = section.document["unfilled_posts"]
    assert (fill["annual_cost"], fill["year"]) == (120000, 3)
    assert [y["post_fill"] for y in section.document["years"]] == [0, 0, 120000]
    assert "第3年补充，从该年起每年计入支出" in section.post_fills[0]
    assert any("含有编不补在编教师 120,000 元" in text for label, text in section.summary if label.startswith("第3年"))
    book = openpyxl.load_workbook(write_plan(sched, tmp_path / "plan.xlsx"), read_only=True)
    cells = [str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v]
    assert any("招聘在编教师 1 人" in c and "第3年补充" in c and "120,000 元" in c for c in cells)
    # a tight budget: the pay cannot fit, so the post is not filled and the shortfall says so
    tight = schedule_plan(plan, data, STD, s, [100_000.0] * 3, 2026).schedule
    assert tight.year_of.get(("post_fills", 0)) is None and not tight.fits and tight.shortfall == 120000
