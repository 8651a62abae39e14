"""双减: coverage, participation and reduction rates by hand, with trends."""

from __future__ import annotations

import pytest

from junheng.analysis.afterschool import afterschool_report
from junheng.core.facts import SchoolType

from ..core.builders import county, school


def afterschool_county(year=2025, *, c_offers=False, c_students=0, offline_now=4, online_now=1):
    """A (400 pupils, 360 take part), B (200 + 100 junior, 240), C (100, offers nothing),
    a special school (left out); tutoring 线下 80 → 4, 线上 10 → 1."""
    schools = [
        school("3504040001", SchoolType.PRIMARY, primary=400, afterschool=True, afterschool_students=360),
        school("3504040002", SchoolType.NINE_YEAR, primary=200, junior=100, afterschool=True,
               afterschool_students=240),
        school("3504040003", SchoolType.TEACHING_POINT, primary=100, afterschool=c_offers,
               afterschool_students=c_students),
        school("3504040009", SchoolType.SPECIAL, primary=40, afterschool=False),
    ]
    return county(schools, facts={"tutoring_offline_before": 80, "tutoring_online_before": 10,
                                  "tutoring_offline_now": offline_now, "tutoring_online_now": online_now},
                  school_year=year)


def test_rates_by_hand():
    now = afterschool_report([afterschool_county()]).current
    assert [s.school_code for s in now.schools] == ["3504040001", "3504040002", "3504040003"]
    assert now.coverage == pytest.approx(2 / 3)
    assert now.participation == pytest.approx((360 + 240) / (400 + 300 + 100))  # 75 %
    assert now.schools[1].participation == pytest.approx(0.8)
    offline, online, both = now.reductions
    assert offline.rate == pytest.approx((80 - 4) / 80)  # 95 %
    assert online.rate == pytest.approx(0.9)
    assert (both.before, both.now) == (90, 5) and both.rate == pytest.approx(85 / 90)


def test_blank_cells_are_unknown_and_an_absent_column_is_not_zero():
    data = afterschool_county()
    del data.schools[0].extra["afterschool"]
    now = afterschool_report([data]).current
    assert [s.school_code for s in now.unknown] == ["3504040001"]
    assert now.coverage == pytest.approx(1 / 2)  # B of B and C
    data.absent_columns = {"schools": frozenset({"afterschool", "afterschool_students"})}
    for s in data.schools:
        s.extra.clear()
    now = afterschool_report([data]).current
    assert now.coverage is None and now.participation is None
    data.facts = {}
    assert [r.rate for r in afterschool_report([data]).current.reductions] == [None, None, None]


def test_trend_over_years_oldest_first():
    years = [afterschool_county(2025, c_offers=True, c_students=70, offline_now=4, online_now=1),
             afterschool_county(2023, offline_now=20, online_now=3)]
    report = afterschool_report(years)
    assert [y.school_year for y in report.years] == [2023, 2025]
    assert [y.coverage for y in report.years] == [pytest.approx(2 / 3), 1.0]
    assert report.current.participation == pytest.approx(670 / 800)
    assert [y.reductions[0].rate for y in report.years] == [0.75, 0.95]
