"""A plan over several years (三年行动计划): hand-checked schedules on a small county,
the shortfall when the budgets cannot reach the target, and a property over generated
counties (every year within its budget, the last year re-evaluated as the plan)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import jsonschema_rs
import openpyxl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from junheng.core.engine import evaluate
from junheng.planner.apply import apply_actions
from junheng.planner.solve import make_plan
from junheng.planner.years import bundles, phases, precedences, schedule_plan, subset
from junheng.reports.documents.plan_section import plan_section
from junheng.services.plan_check import check_plan_file
from junheng.services.planning import PlanRequestError, parse_budgets, parse_years, write_plan
from junheng.standards import load_standard
from junheng.templates.writer import write_county_workbook

from ..core.builders import county
from .counties import tiny_county, tiny_settings
from .test_cases import primary, settings

STD = load_standard()
SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "plan.schema.json").read_text(encoding="utf-8"))
SPORTS = 60 * 650  # one school's sports area from 80 % to 85 % (6 of 7 met): one 60 ㎡ build at 650 元


def three_short_schools():
    """Three primary schools, each with R5 (sports area) at 80 % — each needs 39,000 元 —
    and one that passes."""
    return county([primary(f"350404000{i}", sports=0.8 * 7.5) for i in (1, 2, 3)] + [primary("3504040004")])


def test_one_school_a_year_when_each_year_pays_for_one():
    data = three_short_schools()
    plan = make_plan(data, STD, settings())
    assert plan.cost == pytest.approx(3 * SPORTS) and len(plan.actions.fields) == 3
    years = schedule_plan(plan, data, STD, settings(), [40_000, 40_000, 80_000], 2026)
    s = years.schedule
    assert s.fits and s.shortfall == 0
    assert [r.calendar_year for r in s.results] == [2026, 2027, 2028]
    # Least total cost is the same in any order; ties go to the earliest year.
    assert [r.one_off for r in s.results] == [pytest.approx(SPORTS)] * 3
    assert [len(r.schools) for r in s.results] == [1, 1, 1]
    assert [r.failing_schools for r in s.results] == [2, 1, 0]
    assert [r.resource_passed for r in s.results] == [False, False, True]
    assert s.results[-1].still_failing == []
    doc = plan_section(years).document
    jsonschema_rs.validator_for(SCHEMA).validate(doc)
    assert sorted(a["year"] for a in doc["actions"]) == [1, 2, 3]
    assert [y["spent"] for y in doc["years"]] == [pytest.approx(SPORTS)] * 3
    summary = dict(plan_section(years).summary)
    assert summary["第3年（2028年）"].startswith("预算 80,000 元，支出 39,000 元")
    assert "资源配置达标" in summary["第3年（2028年）"]


def test_a_target_year_the_budgets_cannot_reach_gives_the_shortfall():
    data = three_short_schools()
    plan = make_plan(data, STD, settings())
    years = schedule_plan(plan, data, STD, settings(), [40_000, 40_000, 80_000], 2026, target=2)
    s = years.schedule
    assert not s.fits and s.shortfall == pytest.approx(SPORTS) and len(s.late_schools) == 1
    assert [r.failing_schools for r in s.results][:2] == [2, 1]  # one school a year by the target
    row = dict(plan_section(years).summary)["预算缺口"]
    assert row == ("按各年预算，到第2年（2027年）无法完成全部措施：1 所学校的部分或全部措施排不进预算，"
                   "尚差 39,000 元")
    none = schedule_plan(plan, data, STD, settings(), [30_000, 30_000, 30_000], 2026).schedule
    assert not none.fits and none.shortfall == pytest.approx(3 * SPORTS)
    assert all(r.spent == 0 and r.failing_schools == 3 for r in none.results)


def test_a_new_teachers_pay_runs_every_year_after_the_hire():
    # School 1 has no PE teacher and nobody can spare one: a hire (pay every year);
    # school 2 needs sports area (once). Year 1 pays for one of them only.
    data = county([primary("3504040001", pe=0), primary("3504040002", pe=1, sports=0.8 * 7.5),
                   primary("3504040003", pe=1)])
    plan = make_plan(data, STD, settings())
    (hire,) = plan.actions.hires
    pay = hire.cost
    assert len(plan.actions.fields) == 1 and not plan.actions.transfers
    budgets = [max(pay, SPORTS) + 1, pay + SPORTS + 1]
    s = schedule_plan(plan, data, STD, settings(), budgets, 2026).schedule
    assert s.fits
    # Least total cost: the hire as late as possible (one year of pay, not two).
    assert s.results[0].one_off == pytest.approx(SPORTS) and s.results[0].annual == 0
    assert s.results[1].annual == pytest.approx(pay) and s.results[1].one_off == 0
    assert [r.failing_schools for r in s.results] == [1, 0]


def test_a_building_dearer_than_any_years_budget_is_built_in_phases():
    # 100 students with half the sports area: 263 ㎡ at 650 元 = 170,950 元, more than the
    # 100,000 元 of any one year. Two phases of whole ㎡ (132 + 131), the second a year
    # later; the school passes when the second is done.
    data = county([primary("3504040001", sports=0.5 * 7.5), primary("3504040002"), primary("3504040003")])
    plan = make_plan(data, STD, settings())
    (whole,) = plan.actions.fields
    assert (whole.amount, whole.cost) == (263, 263 * 650)
    years = schedule_plan(plan, data, STD, settings(), [100_000] * 3, 2026)
    s = years.schedule
    assert s.fits and s.shortfall == 0
    assert [(f.amount, f.cost) for f in years.actions.fields] == [(132, 132 * 650), (131, 131 * 650)]
    assert [r.one_off for r in s.results] == [132 * 650, 131 * 650, 0]
    assert [r.failing_schools for r in s.results] == [1, 0, 0]
    assert years.notes[-1] == ("学校001新增体育运动场馆 263 ㎡，约 17.1 万元，超过单年最高预算 10.0 万元，"
                               "分 2 期实施（各期 132、131 ㎡），最后一期完成后该校达标。")
    doc = plan_section(years).document
    jsonschema_rs.validator_for(SCHEMA).validate(doc)
    assert [(a["year"], a["quantity"]) for a in doc["actions"] if a["measure"] == "sports_area"] == [(1, 132), (2, 131)]
    # Without the phases no year could pay for it: the same county with the action whole fails.
    assert not schedule_plan(plan, data, STD, settings().model_copy(update={"steps": settings().steps.model_copy(
        update={"min_area_m2": 263})}), [100_000] * 3, 2026).schedule.fits


def test_phases_are_whole_no_smaller_than_one_construction_and_in_order():
    from junheng.core.facts import RoomType
    from junheng.planner.plan import Actions, FieldAddition, RoomWork

    s = settings()
    s = s.model_copy(update={"steps": s.steps.model_copy(update={"area_m2": 1.0, "min_area_m2": 60})})
    acts = Actions(fields=[FieldAddition("A", "teaching_area", 250, 250_000),   # 1,000 元/㎡
                           FieldAddition("B", "teaching_area", 100, 100_000),   # parts would be < 60 ㎡
                           FieldAddition("C", "sports_area", 50, 10_000)],      # within the budget
                   rooms=[RoomWork("A", RoomType.MUSIC, 1, 2, 96, 240_000),   # 80,000 元 a room
                          RoomWork("B", RoomType.ART, 0, 2, 90, 400_000)])    # one room is dearer than a year
    out, chains, notes = phases(acts, s, 90_000)
    assert [(f.school_code, f.amount, f.cost) for f in out.fields] == [
        ("A", 84, 84_000), ("A", 83, 83_000), ("A", 83, 83_000), ("B", 100, 100_000), ("C", 50, 10_000)]
    assert [(w.school_code, w.refit, w.build, w.cost) for w in out.rooms] == [
        ("A", 1, 0, 80_000), ("A", 0, 1, 80_000), ("A", 0, 1, 80_000), ("B", 0, 2, 400_000)]  # refits first
    assert chains == [(("fields", 0), ("fields", 1)), (("fields", 1), ("fields", 2)),
                      (("rooms", 0), ("rooms", 1)), (("rooms", 1), ("rooms", 2))]
    assert chains[:2] == [(("fields", 0), ("fields", 1)), (("fields", 1), ("fields", 2))]
    assert len(notes) == 2


@pytest.mark.parametrize(("text", "first", "count"), [("2026-2028", 2026, 3), ("2026—2028年", 2026, 3),
                                                        ("2027", 2027, 1)])
def test_years_parse(text, first, count):
    assert parse_years(text) == (first, count)


@pytest.mark.parametrize("text", ["2028-2026", "明年", "2026-2040"])
def test_bad_years_say_how_to_write_them(text):
    with pytest.raises(PlanRequestError, match="请写成 2026-2028"):
        parse_years(text)


def test_budgets_parse():
    assert parse_budgets("500万,500万，800万") == [5e6, 5e6, 8e6]
    with pytest.raises(PlanRequestError, match="“五百万”无法识别"):
        parse_budgets("500万,五百万")


def test_the_plan_workbook_has_a_sheet_per_year_and_plan_check_reads_it(tmp_path):
    data = three_short_schools()
    book = write_county_workbook(data, tmp_path / "县.xlsx")
    plan = make_plan(data, STD, settings())
    years = schedule_plan(plan, data, STD, settings(), [40_000, 40_000, 80_000], 2026)
    out = write_plan(years, tmp_path / "方案.xlsx")
    wb = openpyxl.load_workbook(out, read_only=True)
    assert [n for n in wb.sheetnames if n.startswith("措施")] == ["措施（第1年）", "措施（第2年）", "措施（第3年）"]
    wb.close()
    report = check_plan_file(out, book, STD, None)
    assert len(report.actions) == 3 and report.one_off == pytest.approx(3 * SPORTS)


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), n=st.integers(2, 7), ny=st.integers(1, 4), share=st.floats(0.1, 1.2))
def test_every_year_within_budget_and_the_last_year_is_the_plan(seed, n, ny, share):
    rng = random.Random(seed)
    data = tiny_county(rng, n)
    conf = tiny_settings()
    plan = make_plan(data, STD, conf)
    total = plan.actions.one_off + ny * plan.actions.annual
    budgets = [round(share * total / ny * rng.uniform(0.5, 1.5)) for _ in range(ny)]
    years = schedule_plan(plan, data, STD, conf, budgets, 2026)
    s = years.schedule
    # The scheduled plan's actions: the plan's, with any action dearer than every year's
    # budget split into phases — the same quantities and costs in total.
    acts = years.actions
    for group in ("fields", "rooms"):
        def totals(a, group=group):
            out = {}
            for x in getattr(a, group):
                k = (x.school_code, getattr(x, "field", None) or str(x.room_type))
                q = x.amount if group == "fields" else x.refit + x.build
                out[k] = (out.get(k, (0, 0))[0] + q, out.get(k, (0, 0))[1] + x.cost)
            return {k: (round(q, 6), round(c, 2)) for k, (q, c) in out.items()}
        assert totals(acts) == totals(plan.actions)
    keys = [k for b in bundles(acts) for k in b]
    for r in s.results:
        assert r.spent <= r.budget + 1e-6
        done = {k for k in keys if s.year_of.get(k, 99) <= r.year}
        # the spending is the actions' own costs: one-off in their year, pay from then on
        now = subset(acts, {k for k in keys if s.year_of.get(k) == r.year})
        assert r.one_off == pytest.approx(now.one_off)
        assert r.annual == pytest.approx(subset(acts, done).annual)
    groups = bundles(acts)
    for b in groups:  # a bundle is done whole, in one year
        assert len({s.year_of.get(k) for k in b}) == 1
    for a, b in precedences(acts, groups):  # a sending school's actions come with or before
        ya, yb = s.year_of.get(groups[a][0]), s.year_of.get(groups[b][0])
        assert yb is None or (ya is not None and ya <= yb)
    if s.fits:
        assert len(s.year_of) == len(keys) and s.shortfall == 0
        last = evaluate(apply_actions(data, acts, conf), STD)
        assert s.results[-1].recognised == bool(plan.after.recognised) == bool(last.recognised)
        assert s.results[-1].resource_passed == plan.resource_passes
        assert s.results[-1].failing_schools == sum(1 for r in plan.after.schools if not r.passed)
    else:
        assert s.shortfall > 0 and s.late_schools


def test_the_schema_requires_each_years_figures():
    validator = jsonschema_rs.validator_for(SCHEMA)
    data = three_short_schools()
    doc = plan_section(schedule_plan(make_plan(data, STD, settings()), data, STD, settings(),
                                     [40_000, 40_000, 80_000], 2026)).document
    validator.validate(doc)
    del doc["years"][0]["spent"]
    assert not validator.is_valid(doc)


def test_the_cli_prints_each_year_and_says_when_the_budgets_fall_short(tmp_path):
    from typer.testing import CliRunner

    from junheng.cli import app

    book = write_county_workbook(three_short_schools(), tmp_path / "县.xlsx")
    runner = CliRunner()
    env = {"COLUMNS": "240"}
    ok = runner.invoke(app, ["plan", str(book), "--years", "2026-2028", "--yearly-budget", "4万,4万,8万"], env=env)
    assert ok.exit_code == 0, ok.output
    assert "第1年（2026年）" in ok.output and "第3年（2028年）" in ok.output and "预算缺口" not in ok.output
    short = runner.invoke(app, ["plan", str(book), "--years", "2026-2028", "--yearly-budget", "4万,4万,8万",
                                "--target-year", "2027", "--format", "json"])
    assert short.exit_code == 1
    doc = json.loads(short.output)
    assert doc["schedule"] == {"target_year": 2, "fits": False, "shortfall": SPORTS, "late_schools": doc[
        "schedule"]["late_schools"]} and len(doc["schedule"]["late_schools"]) == 1
    assert [y["calendar_year"] for y in doc["years"]] == [2026, 2027, 2028]
    bad = runner.invoke(app, ["plan", str(book), "--years", "2026-2027", "--yearly-budget", "4万,4万,8万"])
    assert bad.exit_code == 2 and "--years 共 2 年，但各年预算有 3 个" in bad.output


def test_yearly_budgets_from_the_settings_file(tmp_path):
    from junheng.services.planning import plan_workbook

    book = write_county_workbook(three_short_schools(), tmp_path / "县.xlsx")
    conf = tmp_path / "方案设置.yaml"
    conf.write_text("limits:\n  yearly_budget: [40000, 40000]\n  first_year: 2030\n", encoding="utf-8")
    plan = plan_workbook(book, STD, conf)
    s = plan.schedule
    assert [r.calendar_year for r in s.results] == [2030, 2031] and not s.fits
    assert s.shortfall == pytest.approx(SPORTS)
    with pytest.raises(PlanRequestError, match="不在计划年度 2030—2031 之内"):
        plan_workbook(book, STD, conf, years={"target_year": 2032})
    with pytest.raises(PlanRequestError, match="需要各年预算"):
        plan_workbook(book, STD, None, years={"target_year": 2032})
