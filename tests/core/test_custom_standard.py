"""A made-up standard, written only with the registered formula kinds and data fields,
goes through the same engine as the shipped ones — and the engine names no standard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from junheng.core.engine import evaluate
from junheng.core.facts import SchoolType, Stage
from junheng.standards import parse_standard

from .builders import classes, county, school, teachers

MADE_UP = """
id: demo-county-2030
version: "1"
title: 某县体艺与班额自评办法（虚构，仅供测试）
settings: {scope: {exclude_school_types: [special], teaching_point_min_students: 0}}
dimensions:
  - {id: staff, name: 师资}
  - {id: size, name: 班额}
  - {id: info, name: 参考, counts_for_verdict: false}
resource:
  dimension: staff
  stages: [primary]
  school_pass: {kind: all_met}
  dispersion: {kind: each, limits: {primary: 0.30}}
  indicators:
    - id: A1
      name: 每百名学生体育教师数
      unit: 人/百生
      per: 100
      numerator: {count: teachers, where: {subject: 体育}}
      thresholds: {primary: 1.0}
      shortfall: {text: "缺体育教师 {n} 名", unit: 名}
items:
  - id: K1
    name: 所有班级不超过 40 人
    dimension: size
    kind: each_record
    params:
      table: classes
      label: 班级
      checks: [{name: 班额, value: students, op: "<=", threshold: 40,
                shortfall: {text: "需分流 {n} 人", unit: 人}}]
  - id: K2
    name: 生师比不高于 20
    dimension: staff
    kind: ratio
    params:
      numerator: {sum: schools.primary_students}
      denominator: {count: teachers}
      op: "<="
      threshold: 20
      display: one_to
      shortfall: {text: "缺教师 {n} 名", unit: 名}
  - id: K3
    name: 有体育教师的学校占比（参考）
    dimension: info
    kind: ratio
    params:
      numerator: {distinct: teachers.school_code, where: {subject: 体育}}
      denominator: {count: schools}
      op: ">="
      threshold: 1.0
"""


def demo_county():
    a = school("3504040001", SchoolType.PRIMARY, primary=200)
    b = school("3504040002", SchoolType.PRIMARY, primary=100)
    return county([
        (a, teachers(a.code, Stage.PRIMARY, 8, pe_art=2), classes(a.code, Stage.PRIMARY, [40, 40, 40, 41, 39]), []),
        (b, teachers(b.code, Stage.PRIMARY, 6, pe_art=1), classes(b.code, Stage.PRIMARY, [50, 50]), []),
    ], facts={})


@pytest.fixture(scope="module")
def std():
    return parse_standard(MADE_UP, "demo.yaml")


def test_made_up_standard_evaluates(std):
    ev = evaluate(demo_county(), std)
    a, b = ev.schools
    # A1: 2 PE teachers / 200 = 1.0 per 100 (meets, exactly); 1 / 100 = 1.0 (meets)
    assert a.indicators["A1"].value == pytest.approx(1.0) and a.passed
    assert b.indicators["A1"].value == pytest.approx(1.0) and b.passed
    assert ev.dispersion[Stage.PRIMARY]["A1"].cv == pytest.approx(0.0)
    # K1: classes 41, 50, 50 are over 40 → 4/7 pass, every class must
    k1 = ev.items["K1"]
    assert k1.passed is False and k1.value == pytest.approx(4 / 7)
    assert sorted(f["value"] for f in k1.failures) == [41, 50, 50]
    assert sorted(s.quantity for s in ev.shortfalls if s.item_id == "K1") == [1, 10, 10]
    # K2: 300 students / 14 teachers = 21.43 > 20 → short of ceil(300/20 − 14) = 1 teacher
    k2 = ev.items["K2"]
    assert k2.passed is False and k2.value == pytest.approx(300 / 14)
    assert "1:21.43" in k2.message and "1:20" in k2.message
    assert [s.quantity for s in ev.shortfalls if s.item_id == "K2"] == [1]
    # K3: both schools have a PE teacher; it does not count for the verdict anyway
    assert ev.items["K3"].passed is True and ev.items["K3"].value == 1.0
    assert ev.dimensions["size"].passed is False and not ev.recognised


def test_made_up_standard_boundaries(std):
    data = demo_county()
    data.teachers += teachers("3504040002", Stage.PRIMARY, 1)  # 300 / 15 = 20 exactly
    for c in data.classes:
        c.students = min(c.students, 40)  # 40 exactly
    ev = evaluate(data, std)
    assert ev.items["K2"].passed is True and ev.items["K1"].passed is True
    assert ev.recognised


def test_no_standard_is_named_in_the_engine():
    """Adding a standard adds data and formula kinds, never a branch on its id."""
    core = Path(__file__).resolve().parents[2] / "src" / "junheng" / "core"
    pattern = re.compile(r"(yzjh|jbjh|xqpp)-|\.id\s*[=!]=|\bid\s+in\s")
    engine = ["engine.py", "quantity.py", "dispersion.py", "split.py", *[p.name for p in core.glob("formulas*.py")]]
    hits = [f"{p.name}:{i}" for p in (core / name for name in engine)
            for i, line in enumerate(p.read_text("utf-8").splitlines(), 1)
            if pattern.search(line) and not line.lstrip().startswith("#")]
    assert hits == []


SHARE_ITEM = """  - id: K9
    name: 有体育教师的学校占比
    dimension: size
    kind: ratio
    params:
      numerator: {distinct: teachers.school_code, where: {subject: 体育}}
      denominator: {count: schools}
      op: ">="
      threshold: THRESHOLD
"""


@pytest.mark.parametrize(("threshold", "shown", "passed"), [
    (0.25, "28.6%", True),    # 2 / 7 = 28.571…%: one place, as the fact sheet and the reports print a share
    (0.286, "28.57%", False),  # 28.6% would read as met beside a 否: one more place
    (0.2857, "28.6%", True),
])
def test_a_ratio_share_prints_one_place_unless_that_contradicts_its_verdict(threshold, shown, passed):
    std = parse_standard(MADE_UP.rstrip("\n") + "\n" + SHARE_ITEM.replace("THRESHOLD", str(threshold)), "share.yaml")
    parts = []
    for i in range(7):
        s = school(f"35040400{i + 1:02d}", SchoolType.PRIMARY, primary=100)
        parts.append((s, teachers(s.code, Stage.PRIMARY, 5, pe_art=1 if i < 2 else 0), [], []))
    k9 = evaluate(county(parts, facts={}), std).items["K9"]
    assert k9.passed is passed
    assert k9.message.startswith(f"2 / 7 = {shown}，要求不低于 ")
