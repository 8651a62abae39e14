"""The engine on small hand-checked counties."""

from __future__ import annotations

import pytest

from junheng.core.engine import evaluate
from junheng.core.facts import Stage
from junheng.standards import load_standard

from .builders import county, good_primary


@pytest.fixture(scope="module")
def std():
    return load_standard("yzjh-2017")


def test_all_good_county_is_recognised(std):
    data = county([good_primary(f"35040400{i:02d}", 100 + 10 * i) for i in range(5)])
    ev = evaluate(data, std)
    failing = {k: (v.message) for k, v in ev.items.items() if v.passed is not True}
    assert failing == {}
    assert all(s.passed for s in ev.schools)
    assert ev.recognised, {k: d.message for k, d in ev.dimensions.items()}


def test_indicator_values_hand_checked(std):
    s, t, c, r = good_primary("3504040001", 200)
    ev = evaluate(county([(s, t, c, r)]), std)
    (part,) = ev.schools
    ind = part.indicators
    assert ind["R1"].value == pytest.approx(100 * 12 / 200)  # 12 teachers with the degree
    assert ind["R4"].value == pytest.approx(5.0)
    assert ind["R6"].value == pytest.approx(0.25 * 200 * 10000 / 200)  # 万元 → 元
    assert part.stage is Stage.PRIMARY and part.students == 200
    # one school in the stage: the CV is 0
    assert ev.dispersion[Stage.PRIMARY]["R4"].cv == 0.0


def test_missing_fact_is_not_evaluable_never_passed(std):
    facts = dict(county([]).facts)
    del facts["satisfaction_pct"]
    ev = evaluate(county([good_primary("3504040001")], facts), std)
    s1 = ev.items["S1"]
    assert s1.evaluable is False and s1.passed is None and s1.missing == ["satisfaction_pct"]
    assert ev.dimensions["social"].passed is None
    assert not ev.recognised


def test_veto_blocks_recognition(std):
    facts = dict(county([]).facts, veto_key_school=True)
    ev = evaluate(county([good_primary("3504040001")], facts), std)
    assert ev.items["V3"].passed is False
    assert ev.dimensions["veto"].passed is False
    assert not ev.recognised


def test_precondition_three_years_inclusive(std):
    ok = evaluate(county([good_primary("3504040001")], basic_balance_year=2022, school_year=2025), std)
    short = evaluate(county([good_primary("3504040001")], basic_balance_year=2023, school_year=2025), std)
    assert ok.items["P1"].passed is True and ok.items["P1"].value == 3
    assert short.items["P1"].passed is False


def test_funding_dimension_does_not_count_for_verdict(std):
    facts = dict(county([]).facts, edu_spending=40000)  # spending fell
    ev = evaluate(county([good_primary("3504040001")], facts), std)
    assert ev.items["F1"].passed is False
    assert ev.dimensions["funding"].passed is False
    assert ev.recognised


@pytest.mark.parametrize(("pct", "shown", "passed"), [
    (89.8333333, "89.8%", True),   # a survey's share: as the reports print it
    (84.96, "84.96%", False),      # never 85.0% beside a 否
    (84.9996, "84.9996%", False),  # three places are not enough either: 85.000% would read as met
    (85.0, "85.0%", True),         # fixed places, as the fact sheet prints it
])
def test_a_share_item_prints_its_value_as_the_reports_do_without_contradicting_the_verdict(std, pct, shown, passed):
    facts = dict(county([]).facts) | {"satisfaction_pct": pct}
    s1 = evaluate(county([good_primary("3504040001")], facts), std).items["S1"]
    assert s1.passed is passed
    assert s1.message.startswith(f"{shown}，要求不低于 85%")
