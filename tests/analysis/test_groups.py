"""集团化办学: members against the lead school, the group's own CV, and the trend."""

from __future__ import annotations

import math

import pytest

from junheng.analysis.groups import group_schools, group_trends
from junheng.core.engine import evaluate
from junheng.core.facts import Stage
from junheng.standards import load_standard

from ..core.builders import county, good_primary


def group_county(c_area=300.0, school_year=2025):
    """Group 城关教育集团: A (lead, 200 pupils, 1000 ㎡ → 5.0), B (100, 400 ㎡ → 4.0),
    C (100, c_area ㎡); D outside any group (100, 800 ㎡ → 8.0)."""
    parts = [good_primary("3504040001", 200, teaching_area=1000, group="城关教育集团", group_lead=True),
             good_primary("3504040002", 100, teaching_area=400, group="城关教育集团", group_lead=False),
             good_primary("3504040003", 100, teaching_area=c_area, group="城关教育集团"),
             good_primary("3504040004", 100, teaching_area=800)]
    data = county(parts, school_year=school_year)
    for s in data.schools:
        s.group = s.extra.pop("group", None)
    return data


@pytest.fixture(scope="module")
def std():
    return load_standard("yzjh-2017")


def test_members_against_the_lead_and_the_group_cv(std):
    data = group_county()
    report = group_schools(data, evaluate(data, std))
    (g,) = report.groups
    assert (g.name, g.lead_code, g.lead_note) == ("城关教育集团", "3504040001", None)
    assert report.ungrouped == 1
    (st,) = g.stages
    assert st.stage is Stage.PRIMARY
    ratios = {m.school_code: m.to_lead["R4"] for m in st.members}
    assert ratios == {"3504040001": 1.0, "3504040002": pytest.approx(0.8), "3504040003": pytest.approx(0.6)}
    # weighted over 200/100/100 pupils: mean 1700/400 = 4.25,
    # variance (200·0.75² + 100·0.25² + 100·1.25²) / 400 = 0.6875
    assert st.cvs["R4"] == pytest.approx(math.sqrt(0.6875) / 4.25)
    # the county adds D (8 ㎡): mean 2500/500 = 5, variance (200·0 + 100·1 + 100·4 + 100·9)/500 = 2.8
    assert st.county_cvs["R4"] == pytest.approx(math.sqrt(2.8) / 5)
    assert st.mean_cv == pytest.approx(sum(st.cvs.values()) / 7)


def test_without_a_flagged_lead_the_biggest_school_leads(std):
    data = group_county()
    data.schools[0].extra["group_lead"] = False
    data.schools[2].primary_students = 300  # C becomes the biggest
    (g,) = group_schools(data, evaluate(data, std)).groups
    assert g.lead_code == "3504040003" and "未标明牵头学校" in g.lead_note


def test_the_gap_narrows_over_the_years(std):
    years = [group_county(c_area, year) for c_area, year in ((200.0, 2023), (250.0, 2024), (300.0, 2025))]
    reports = [group_schools(d, evaluate(d, std)) for d in years]
    (trend,) = group_trends(reports)
    assert trend.years == [2023, 2024, 2025]
    r4 = trend.by_indicator["R4"]
    assert r4[0] > r4[1] > r4[2]
    assert trend.narrowing is True
    (back,) = group_trends(list(reversed([group_schools(d, evaluate(d, std)) for d in reversed(years)])))
    assert back.narrowing is True  # order of the reports does not matter
    widening = [group_schools(d, evaluate(d, std)) for d in (group_county(300.0, 2024), group_county(200.0, 2025))]
    assert group_trends(widening)[0].narrowing is False
