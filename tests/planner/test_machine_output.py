"""The machine-readable plan: JSON valid against docs/plan.schema.json, every action
following the rules (a property over generated counties), the 措施 sheets of plan.xlsx
read back by `junheng plan check`, and the budget statuses around the bound–plan interval."""

from __future__ import annotations

import json
import math
import os
import random
from collections import defaultdict
from pathlib import Path

import jsonschema_rs
import openpyxl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from junheng.analysis.curriculum import load_curriculum
from junheng.analysis.teacher_supply import teacher_supply
from junheng.core.engine import evaluate
from junheng.planner.apply import apply_actions
from junheng.planner.baseline import top_up
from junheng.planner.problem import transfer_caps
from junheng.planner.settings import default_settings
from junheng.planner.solve import make_plan
from junheng.reports.documents.plan_section import plan_section
from junheng.samples import generate_county
from junheng.services.plan_check import PlanFileError, check_plan_file
from junheng.services.planning import write_plan
from junheng.standards import load_standard
from junheng.templates.writer import write_county_workbook

from .test_properties import random_county

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "plan.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema_rs.validator_for(SCHEMA)
STD = load_standard()


def document(plan):
    return plan_section(plan).document


def assert_rules(data, plan, doc):
    """Every action of the JSON follows the planner's rules."""
    VALIDATOR.validate(doc)
    settings = plan.settings
    schools = {s.code: s for s in data.schools}
    teachers = {t.teacher_id: t for t in data.teachers}
    moved: set[str] = set()
    least = settings["steps"]["min_area_m2"]
    for a in doc["actions"]:
        assert a["school_code"] in schools
        m = a["measure"]
        if m in ("transfer", "exchange"):
            assert a["from_school"] != a["to_school"] and a["to_school"] == a["school_code"]
            assert a["quantity"] == len(a["teacher_ids"])
            for tid in a["teacher_ids"]:
                t = teachers[tid]
                assert tid not in moved  # each teacher moves once
                moved.add(tid)
                assert t.school_code == a["from_school"] and str(t.stage) == a["stage"]  # same stage
                assert not t.rotated and t.extra.get("movable") is not False
                if m == "exchange":
                    assert t.rotation_eligible  # only eligible teachers are counted as rotation
                if settings["limits"]["transfer_public_only"]:
                    assert schools[a["from_school"]].ownership == schools[a["to_school"]].ownership == "public"
            assert a["annual_cost"] == 0
        elif m.startswith("hire:"):
            assert float(a["quantity"]).is_integer() and a["quantity"] >= 1 and a["one_off_cost"] == 0
        elif m in ("teaching_area", "sports_area"):
            assert float(a["quantity"]).is_integer() and a["quantity"] >= least  # whole ㎡, at least one construction
            cap = schools[a["school_code"]].extra.get(f"max_extra_{m}")
            assert cap is None or a["quantity"] <= cap
        elif m == "equipment_value":  # 万元, in steps of 100 元
            steps = a["quantity"] * 1e4 / settings["steps"]["equipment_yuan"]
            assert abs(steps - round(steps)) < 1e-6
        else:
            assert float(a["quantity"]).is_integer()  # whole rooms
    # spread: no school sends or receives more than max(2, 15 %) of its compulsory-stage teachers
    caps = transfer_caps(data, default_settings())
    sent, received = defaultdict(int), defaultdict(int)
    for a in doc["actions"]:
        if a["measure"] in ("transfer", "exchange"):
            sent[a["from_school"]] += a["quantity"]
            received[a["to_school"]] += a["quantity"]
    assert all(n <= caps[c] for c, n in sent.items()) and all(n <= caps[c] for c, n in received.items())
    # no school is left without a teacher of a subject (in a stage) it teaches
    taught = {(t.school_code, t.stage, t.subject) for t in data.teachers}
    applied = apply_actions(data, plan.actions, default_settings())
    assert taught <= {(t.school_code, t.stage, t.subject) for t in applied.teachers}
    # only teachers eligible under 交流条件 are counted as rotated
    was = {t.teacher_id: t.rotated for t in data.teachers}
    assert all(t.rotation_eligible for t in applied.teachers if t.rotated and not was.get(t.teacher_id, False))
    assert_subjects(data, plan, doc)
    cost = doc["cost"]
    assert math.isclose(sum(a["one_off_cost"] for a in doc["actions"]), cost["one_off"], abs_tol=1e-6)
    assert math.isclose(sum(a["annual_cost"] for a in doc["actions"]), cost["annual"], abs_tol=1e-6)
    assert math.isclose(cost["total"], cost["one_off"] + cost["years"] * cost["annual"], abs_tol=1e-6)
    if doc["bound"] is not None:
        assert doc["bound"] <= cost["total"] + 1e-6


def assert_subjects(data, plan, doc):
    """The subject rule, checked against the teacher-supply analysis itself: what a school
    receives of a subject by transfer, and then by hires named after its shortages, stays
    within its shortage of that subject (without class figures: one, and only when it has
    no teacher of it); an exchange's teachers are of one subject (each school gives what
    it gets); every hire names a subject."""
    cur = load_curriculum()

    def subject(t) -> str:
        return cur.subject_for(t.subject) or t.subject.strip()

    teachers = {t.teacher_id: t for t in data.teachers}
    kinds = {h["key"]: cur.subject_for(h["subject"]) or h["subject"] for h in plan.settings["hires"]}
    for a in doc["actions"]:
        if a["measure"].startswith("hire:"):
            assert a["subject"]
    if plan.settings["limits"]["match_subjects"] != "required":
        return
    gap = {(x.school_code, str(x.stage)): {r.subject: r.needed - r.have for r in x.subjects}
           for x in teacher_supply(data).schools if x.classes}
    have = defaultdict(set)
    for t in data.teachers:
        have[(t.school_code, str(t.stage))].add(subject(t))

    def lack(code: str, stage: str, s: str) -> int:
        per = gap.get((code, stage))
        return max(0, per.get(s, 0)) if per is not None else int(s not in have[(code, stage)])

    got: dict[tuple, int] = defaultdict(int)
    swapped: dict[tuple, int] = defaultdict(int)
    for a in doc["actions"]:
        for tid in a["teacher_ids"] if a["measure"] in ("transfer", "exchange") else ():
            s = subject(teachers[tid])
            if a["measure"] == "transfer":
                got[(a["to_school"], a["stage"], s)] += 1
            else:
                swapped[(a["to_school"], a["stage"], s)] += 1
                swapped[(a["from_school"], a["stage"], s)] -= 1
    assert all(n == 0 for n in swapped.values()), swapped
    for a in doc["actions"]:
        if a["measure"].startswith("hire:") and a["subject"] != kinds[a["measure"].removeprefix("hire:")]:
            got[(a["school_code"], a["stage"], a["subject"])] += a["quantity"]
    for (code, stage, s), n in got.items():
        assert n <= lack(code, stage, s), (code, stage, s, n)


@pytest.mark.parametrize(("schools", "seed"), [(20, 1), (30, 2), (40, 3), (60, 4), (80, 5)])
def test_every_plan_on_generated_counties_follows_the_rules_and_passes(schools, seed):
    data = generate_county(schools=schools, seed=seed)
    plan = make_plan(data, STD, default_settings().with_time_limit(30))
    doc = document(plan)
    assert_rules(data, plan, doc)
    assert doc["status"] in ("optimal", "feasible", "nothing_to_do")
    assert doc["after"]["resource_passed"] and doc["still_failing"] == [] and doc["warnings"] == []
    base = top_up(data, STD, default_settings())
    assert doc["topup_cost"] == pytest.approx(base.cost)
    if base.after.dimensions["resource"].passed:
        assert doc["cost"]["total"] <= base.cost + 1e-6  # never dearer than topping every school up


@pytest.fixture(scope="module")
def county_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("check")
    data = generate_county(schools=25, seed=7)
    book = write_county_workbook(data, folder / "县域数据.xlsx")
    plan = make_plan(data, STD, default_settings().with_time_limit(30))
    return data, book, plan, write_plan(plan, folder / "方案.xlsx")


def test_the_action_sheet_has_numbers_and_checks_clean(county_files):
    data, book, plan, path = county_files
    ws = openpyxl.load_workbook(path)["措施（第1年）"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:8] == ("年度", "学校标识码", "学校名称", "学段", "措施代码", "措施", "数量", "单位")
    assert len(rows) - 1 == len(document(plan)["actions"])
    assert all(isinstance(r[6], int | float) and isinstance(r[8], int | float) for r in rows[1:])
    assert sum(r[8] for r in rows[1:]) == pytest.approx(plan.actions.one_off)
    report = check_plan_file(path, book)
    assert report.passes and report.still_failing == [] and report.verdict.startswith("复核通过")
    assert report.one_off == pytest.approx(plan.actions.one_off)


def test_an_edited_plan_is_checked_again_and_says_what_fails(county_files, tmp_path):
    data, book, plan, path = county_files
    wb = openpyxl.load_workbook(path)
    ws = wb["措施（第1年）"]
    rows = list(ws.iter_rows(values_only=True))
    # keep only the transfers: the schools that needed building, equipment or new teachers fail again
    drop = [i for i, r in enumerate(rows[1:], start=2) if r[4] not in ("transfer", "exchange")]
    assert drop
    for i in reversed(drop):
        ws.delete_rows(i)
    edited = tmp_path / "方案-修改.xlsx"
    wb.save(edited)
    report = check_plan_file(edited, book)
    assert not report.passes and report.verdict.startswith("复核未通过")
    assert report.still_failing and all(isinstance(line, str) for line in report.still_failing)
    assert report.one_off < plan.actions.one_off


def test_a_wrong_row_is_named_and_nothing_is_checked(county_files, tmp_path):
    data, book, plan, path = county_files
    wb = openpyxl.load_workbook(path)
    ws = wb["措施（第1年）"]
    ws.cell(2, 2).value = "9999999999"
    ws.cell(3, 7).value = "很多"
    edited = tmp_path / "坏方案.xlsx"
    wb.save(edited)
    with pytest.raises(PlanFileError) as err:
        check_plan_file(edited, book)
    text = err.value.message
    assert "工作表「措施（第1年）」第 2 行「学校标识码」列（值：'9999999999'）：不是工作簿中的学校标识码" in text
    assert "第 3 行「数量」列（值：'很多'）：应为不小于 0 的数值" in text


# --- budgets around the bound–plan interval ----------------------------------------------


def tightened(standard, limit):
    res = standard.resource
    dispersion = res.dispersion.model_copy(update={"limits": {st: limit for st in res.stages}})
    return standard.model_copy(update={"resource": res.model_copy(update={"dispersion": dispersion})})


TIGHT = tightened(STD, 0.20)


@pytest.fixture(scope="module")
def loose():
    """A plan stopped early (mip_gap 30 %, CV limits 0.20): its cost sits above the proven bound."""
    data = generate_county(schools=30, seed=3)
    s = default_settings().with_time_limit(30)
    s = s.model_copy(update={"solver": s.solver.model_copy(update={"mip_gap": 0.3})})
    plan = make_plan(data, TIGHT, s)
    assert plan.status == "feasible" and plan.lower_bound < plan.cost
    ratio = plan.cost / plan.lower_bound
    assert plan_section(plan).status.startswith(f"费用不超过下界的 {ratio:.2%}（求解时间内未证明最低")
    return data, s, plan


def test_a_budget_above_the_plan_fits(loose):
    data, s, plan = loose
    fits = make_plan(data, TIGHT, s.with_budget(plan.cost + 1))
    assert fits.budget_fits is True and fits.cost <= plan.cost + 1
    assert plan_section(fits).status.startswith("预算内可行：")
    assert fits.resource_passes


def test_a_budget_below_the_bound_says_how_much_is_needed(loose):
    data, s, plan = loose
    short = make_plan(data, TIGHT, s.with_budget(plan.lower_bound * 0.5))
    assert short.status == "partial" and short.budget_fits is False
    assert short.needed == pytest.approx(plan.lower_bound, rel=1e-6)
    status = plan_section(short).status
    assert status.startswith(f"预算不足：至少需要 {plan.lower_bound:,.0f} 元")
    assert short.cost <= plan.lower_bound * 0.5 + 1e-6 and short.still_failing  # the best partial plan, and what fails
    assert evaluate(data, TIGHT).dimensions["resource"].passed is False


def test_a_budget_inside_the_interval_is_looked_at_again(loose):
    data, s, plan = loose
    budget = (plan.lower_bound + plan.cost) / 2
    inside = make_plan(data, TIGHT, s.with_budget(budget))
    text = plan_section(inside).status
    if inside.budget_fits:  # a plan within the budget exists and was found
        assert inside.cost <= budget + 1e-6 and inside.resource_passes and text.startswith("预算内可行")
    else:  # proven not to fit (never called short just because the first plan was dearer)
        assert inside.needed_above_budget or inside.needed is not None
        assert text.startswith("预算不足")


@hsettings(max_examples=int(os.environ.get("JUNHENG_PLAN_EXAMPLES", "8")), deadline=None,
           suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), mode=st.sampled_from(["required", "required", "preferred"]),
       classes=st.booleans())
def test_every_transfer_fills_a_subject_the_receiver_lacks(seed, mode, classes):
    """Property over generated counties whose teachers teach many subjects: the JSON's
    actions follow every rule (assert_rules, the subject rule included), the sender keeps
    a teacher of each subject it teaches, and the engine's re-evaluation confirms the plan."""
    data = random_county(random.Random(seed), subjects=True)
    if not classes:
        data.classes.clear()  # the fallback: a school lacks the subjects it has no teacher of
    s = default_settings().with_time_limit(20)
    s = s.model_copy(update={"limits": s.limits.model_copy(update={"match_subjects": mode})})
    plan = make_plan(data, STD, s)
    assert_rules(data, plan, document(plan))
    assert plan.warnings == []
    if plan.status in ("optimal", "feasible", "nothing_to_do"):
        assert plan.after.dimensions["resource"].passed is True and plan.still_failing == []
    after = evaluate(apply_actions(data, plan.actions, s), STD)
    assert [r.passed for r in after.schools] == [r.passed for r in plan.after.schools]
