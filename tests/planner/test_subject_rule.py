"""The subject rule (limits.match_subjects: required): every transfer moves a teacher of
a subject the receiving school lacks, else the plan hires; hires are named by the
receiver's most-short subject. Hand-checked on two small schools."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema_rs
import openpyxl

from junheng.planner.solve import make_plan
from junheng.reports.documents.plan_section import plan_section
from junheng.services.planning import write_plan
from junheng.standards import load_standard

from ..core.builders import county
from .test_cases import settings
from .test_subjects import moved_subjects, primary

STD = load_standard()
RULE = "调入的教师须为调入学校紧缺学科的教师"
SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "plan.schema.json").read_text(encoding="utf-8"))


def with_match(mode: str):
    s = settings()
    return s.model_copy(update={"limits": s.limits.model_copy(update={"match_subjects": mode})})


def short_of_qualified(**b_subjects):
    """A: 100 pupils, 3 语文 + 1 体育 teachers (R1 4 per 100: 85 % of 4.2 but not 4.2) and
    teaching area 4.0 ㎡ each (89 % of 4.5): two indicators short, so A fails. One more
    qualified teacher (8,000 元 moved, 120,000 元 hired) is cheaper than 60 ㎡ (210,000 元).
    A's six classes need 3 语文 teachers (40 periods ÷ 14) — it has them — and 2 数学 (26 ÷
    14), of which it has none: 数学 is its most short subject. B passes with spare teachers."""
    a = primary("3504040001", subjects={"语文": 3, "体育": 1})
    a[0].teaching_area = 4.0 * 100
    b = primary("3504040002", subjects=b_subjects or {"语文": 7, "体育": 1})
    return county([a, b])


def test_a_teacher_of_a_subject_the_receiver_has_enough_of_is_not_moved_it_hires_instead():
    data = short_of_qualified()
    off = make_plan(data, STD, with_match("off"))
    assert off.cost == 8000 and [x[2] for x in moved_subjects(off, data)] == ["语文"]  # the wrong transfer
    assert RULE not in "".join(off.rules)
    plan = make_plan(data, STD, with_match("required"))
    assert plan.status == "optimal" and plan.cost == 120000 and plan.actions.transfers == []
    (hire,) = plan.actions.hires
    assert (hire.school_code, hire.kind, hire.count, hire.subject) == ("3504040001", "qualified", 1, "数学")
    assert all(r.passed for r in plan.after.schools)
    assert any(RULE in r for r in plan.rules)  # the bound is proven under the rule, and says so
    assert plan.lower_bound == 120000


def test_preferred_still_moves_the_teacher_when_no_better_one_exists():
    data = short_of_qualified()
    plan = make_plan(data, STD, with_match("preferred"))
    assert plan.cost == 8000 and [x[2] for x in moved_subjects(plan, data)] == ["语文"]


def test_a_spare_teacher_of_the_lacking_subject_is_moved():
    data = short_of_qualified(语文=4, 数学=3, 体育=1)  # B needs 2 数学: one is spare
    plan = make_plan(data, STD, settings())  # the default: required
    assert plan.cost == 8000 and plan.actions.hires == []
    assert moved_subjects(plan, data) == [("3504040002", "3504040001", "数学", "数学")]


def test_without_class_data_a_school_lacks_the_subjects_it_has_no_teacher_of():
    data = short_of_qualified(语文=4, 数学=3, 体育=1)
    data.classes.clear()  # no teacher-supply figures: A has 语文, not 数学
    plan = make_plan(data, STD, settings())
    assert [x[2] for x in moved_subjects(plan, data)] == ["数学"]
    only_chinese = short_of_qualified()
    only_chinese.classes.clear()
    plan = make_plan(only_chinese, STD, settings())
    # every subject A has no teacher of lacks one: ties in the curriculum's order (道德与法治 first)
    assert plan.actions.transfers == [] and [h.subject for h in plan.actions.hires] == ["道德与法治"]


def test_the_hire_names_its_subject_in_text_json_and_workbook(tmp_path):
    plan = make_plan(short_of_qualified(), STD, settings())
    section = plan_section(plan)
    (row,) = [a for a in section.document["actions"] if a["measure"].startswith("hire:")]
    assert row["subject"] == "数学" and row["annual_cost"] == 120000
    school_row = next(r for r in section.tables[0].rows if r[0] == "3504040001")
    assert "新聘本科学历教师 1 名（小学，数学）" in school_row[4]
    book = openpyxl.load_workbook(write_plan(plan, tmp_path / "plan.xlsx"), read_only=True)
    sheet = next(ws for ws in book.worksheets if ws.title.startswith("措施"))
    rows = list(sheet.iter_rows(values_only=True))
    col = rows[0].index("学科")
    assert [r[col] for r in rows[1:] if r[col]] == ["数学"]


def test_the_schema_requires_a_hires_subject():
    validator = jsonschema_rs.validator_for(SCHEMA)
    doc = plan_section(make_plan(short_of_qualified(), STD, settings())).document
    validator.validate(doc)
    hire = next(a for a in doc["actions"] if a["measure"].startswith("hire:"))
    for wrong in ("", None):
        hire["subject"] = wrong
        assert not validator.is_valid(doc)
    del hire["subject"]
    assert not validator.is_valid(doc)
