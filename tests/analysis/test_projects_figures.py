"""Projects in the places forecast and the fact sheet; funding figures in the fact
sheet — all by hand."""

from __future__ import annotations

import pytest

from junheng.analysis.factsheet import build_factsheet
from junheng.analysis.places import places_report
from junheng.core.engine import evaluate
from junheng.core.facts import Stage
from junheng.core.projects import Project, ProjectKind, ProjectStatus
from junheng.standards import load_standard

from ..core.builders import county, good_primary
from .test_places import hand_county, row

K, S = ProjectKind, ProjectStatus


def p(name, code, kind=K.EXPANSION, status=S.BUILDING, start=2024, finish=2026, **kw) -> Project:
    return Project(name=name, kind=kind, start_year=start, finish_year=finish, status=status, school_code=code,
                   **kw)


def test_forecast_counts_a_project_from_its_finish_year():
    """B (540 places, 12 standard classes) is over capacity in 2028 (560). Two classes
    of places (90) finishing in 2027 lift it to 630 places and 14 classes from 2027."""
    data = hand_county()
    data.extra_tables["projects"] = [
        p("B扩建", "3504040002", primary_places=90, finish=2027),
        p("C规划", "3504040003", status=S.PLANNED, junior_places=500, finish=2026),  # not committed: ignored
        p("城东新校", None, K.NEW_SCHOOL, S.APPROVED, finish=2027, school_name="城东学校", primary_places=1620),
    ]
    report = places_report(data)
    b = [row(report, "3504040002", Stage.PRIMARY, y) for y in (2026, 2027, 2028)]
    assert [(r.capacity, r.standard_classes, r.project_places) for r in b] == [(540, 12, 0), (630, 14, 90),
                                                                                (630, 14, 90)]
    assert [r.over_capacity for r in b] == [False, False, False]  # 560 ≤ 630 in 2028
    # 2027: grades 100, 100, 100, 80, 80, 80 need 3 + 3 + 3 + 2 + 2 + 2 = 15 classes > 14
    assert (b[1].classes_needed, b[1].too_few_classrooms) == (15, True)
    c = row(report, "3504040003", Stage.JUNIOR, 2026)
    assert (c.capacity, c.project_places, c.over_capacity) == (450, 0, True)
    assert [x.name for x in report.new_schools] == ["城东新校"]
    # the capacity of this year is the workbook's: projects to come are not in it
    assert {c.capacity for c in report.capacities if c.school_code == "3504040002"} == {540}


@pytest.fixture(scope="module")
def std():
    return load_standard("yzjh-2017")


def test_project_figures_of_the_school_year(std):
    data = county([good_primary("3504040001", 100), good_primary("3504040002", 200)])  # 学年 2025
    data.extra_tables["projects"] = [
        p("a", "3504040001", status=S.COMPLETED, start=2024, finish=2025, primary_places=90, beds=120,
          invest_county=500, invest_province=100),
        p("b", "3504040002", finish=2027, primary_places=90, invest_county=800),
        p("c", "3504040002", status=S.PLANNED, finish=2026, primary_places=45, invest_county=300),
        p("d", None, K.NEW_SCHOOL, S.APPROVED, start=2025, finish=2027, school_name="城东学校", primary_places=1620,
          junior_places=900, invest_central=2000, invest_county=7000),
        p("e", "3504040001", status=S.COMPLETED, start=2022, finish=2023, primary_places=45, invest_county=50),
    ]
    fs = build_factsheet(data, evaluate(data, std))
    got = {k: fs.value(k) for k in ("projects", "projects.committed", "projects.completed", "projects.ongoing",
                                    "places_added", "places_added.primary", "places_added.junior",
                                    "places_coming", "beds_added", "kg_places_added", "projects.investment",
                                    "projects.investment.central", "projects.investment.province",
                                    "projects.investment.county")}
    assert got == {"projects": 5, "projects.committed": 4, "projects.completed": 1, "projects.ongoing": 2,
                   "places_added": 90, "places_added.primary": 90, "places_added.junior": 0,
                   "places_coming": 90 + 1620 + 900, "beds_added": 120, "kg_places_added": 0,
                   "projects.investment": 600 + 800 + 9000, "projects.investment.central": 2000,
                   "projects.investment.province": 100, "projects.investment.county": 500 + 800 + 7000}


def test_without_a_ledger_the_project_figures_are_unknown(std):
    data = county([good_primary("3504040001", 100)])
    fs = build_factsheet(data, evaluate(data, std))
    assert fs.value("places_added") is None and fs.value("projects") is None
    data.extra_tables["projects"] = []  # the sheet is there and empty: none
    fs = build_factsheet(data, evaluate(data, std))
    assert (fs.value("projects"), fs.value("places_added")) == (0, 0)


def test_funding_figures(std):
    data = county([good_primary("3504040001", 100)])  # 教育支出 52000 万元, 教师工资 98000 元
    data.facts.update(general_spending=260000, contract_teacher_avg_pay=58800, contract_teacher_pay_total=312.5,
                      budget_per_student_senior=21000)
    fs = build_factsheet(data, evaluate(data, std))
    share = fs["edu_spending_share"]
    assert (share.value, share.numerator, share.denominator) == (0.2, 52000, 260000)
    assert fs.value("contract_teacher_pay_ratio") == pytest.approx(0.6)
    assert fs.value("contract_teacher_pay_total") == 312.5
    assert (fs.value("per_student_spending.primary"), fs.value("per_student_spending.senior"),
            fs.value("per_student_spending.preschool")) == (13500, 21000, None)
    assert fs.value("public_funds_per_student.junior") == 4100
    del data.facts["general_spending"]
    assert build_factsheet(data, evaluate(data, std)).value("edu_spending_share") is None
