"""The figures of one county-year that the annual report (年度答卷) compares.

Computed from the facts (:class:`CountyData`) and the evaluation of that year; the
optional columns and facts of the template (标准班数, 课后服务, 教育集团, 校外培训机构,
幼儿园) give a figure only when the workbook has them, else ``None`` and the report
leaves the line out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from junheng.analysis.afterschool import afterschool_year
from junheng.analysis.places import PlacesSettings, capacities, large_classes
from junheng.core.facts import CountyData, SchoolType, Stage
from junheng.core.result import Evaluation
from junheng.core.scope import scope_from, teachers_in_scope

STAGES = (Stage.PRIMARY, Stage.JUNIOR)


@dataclass(slots=True)
class YearData:
    """One county-year: its facts, its evaluation and (optionally) its preschool evaluation."""

    evaluation: Evaluation
    data: CountyData
    preschool: Evaluation | None = None


@dataclass(slots=True)
class AnnualData:
    """Two or more years of one county, oldest first; the report compares the last two."""

    years: list[YearData]

    def __post_init__(self) -> None:
        self.years.sort(key=lambda y: y.evaluation.school_year)

    @property
    def current(self) -> YearData:
        return self.years[-1]

    @property
    def previous(self) -> YearData:
        return self.years[-2]


@dataclass(slots=True)
class YearFigures:
    school_year: int
    recognised: bool
    schools: int
    students: dict[Stage, int]
    teachers: dict[Stage, int]
    classes: dict[Stage, int]
    places: dict[Stage, int]  # 按标准班额核算的学位数
    places_from_standard: bool  # True when every school filled 标准班数
    large_classes: int  # 大班额 56–65
    huge_classes: int  # 超大班额 ≥ 66
    over_standard: int  # > 45 / 50
    backbone: int
    rotated: int
    rotation_eligible: int
    rotated_backbone: int
    spending: float | None  # 一般公共预算教育支出，万元
    per_student_spending: float | None  # 元/生
    cvs: dict[Stage, dict[str, float | None]] = field(default_factory=dict)
    passing: dict[Stage, tuple[int, int]] = field(default_factory=dict)  # (passed, total)
    groups: int | None = None
    group_schools: int | None = None
    afterschool_schools: int | None = None
    afterschool_students: int | None = None
    tutoring_now: int | None = None
    tutoring_before: int | None = None
    preschool: dict[str, float | None] = field(default_factory=dict)  # X1–X3 ratios

    @property
    def total_students(self) -> int:
        return sum(self.students.values())

    @property
    def total_classes(self) -> int:
        return sum(self.classes.values())

    @property
    def total_teachers(self) -> int:
        return sum(self.teachers.values())

    def share(self, part: int | None, whole: int | None) -> float | None:
        if part is None or not whole:
            return None
        return part / whole


def year_figures(year: YearData) -> YearFigures:
    data, ev = year.data, year.evaluation
    compulsory = [s for s in data.schools if s.compulsory_students > 0 and s.school_type is not SchoolType.SPECIAL]
    teachers = teachers_in_scope(data.teachers, scope_from(ev.settings.get("scope")))
    classes = [c for c in data.classes if c.stage in STAGES]
    settings = PlacesSettings()
    caps = capacities(data, settings)
    large = large_classes(data, settings)[0][-1]  # the last entry counts both stages
    facts = data.facts
    spending = _number(facts.get("edu_spending"))
    students_total = _number(facts.get("students_total"))
    per_student = spending * 10000 / students_total if spending is not None and students_total else None
    fig = YearFigures(
        school_year=ev.school_year,
        recognised=ev.recognised,
        schools=len(compulsory),
        students={st: sum(s.students(st) for s in data.schools) for st in STAGES},
        teachers={st: sum(1 for t in teachers if t.stage is st) for st in STAGES},
        classes={st: sum(1 for c in classes if c.stage is st) for st in STAGES},
        places={st: sum(c.capacity for c in caps if c.stage is st) for st in STAGES},
        places_from_standard=all(c.standard_from_workbook for c in caps),
        large_classes=large.large,
        huge_classes=large.super_large,
        over_standard=sum(1 for c in classes if c.students > settings.class_size[c.stage]),
        backbone=sum(1 for t in teachers if str(t.backbone_level) != "none"),
        rotated=sum(1 for t in teachers if t.rotated),
        rotation_eligible=sum(1 for t in teachers if t.rotation_eligible),
        rotated_backbone=sum(1 for t in teachers if t.rotated and str(t.backbone_level) != "none"),
        spending=spending,
        per_student_spending=per_student,
        cvs={st: {i: d.cv for i, d in table.items()} for st, table in ev.dispersion.items()},
        passing={st: (sum(1 for s in ev.schools if s.stage is st and s.passed),
                      sum(1 for s in ev.schools if s.stage is st)) for st in ev.dispersion},
    )
    _groups(fig, data)
    _double_reduction(fig, data)
    if year.preschool is not None:
        fig.preschool = {i: _number(year.preschool.items[i].value)
                         for i in ("X1", "X2", "X3") if i in year.preschool.items}
    return fig


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _groups(fig: YearFigures, data: CountyData) -> None:
    named = [s for s in data.schools if s.group]
    if named:
        fig.groups = len({s.group for s in named})
        fig.group_schools = len(named)


def _double_reduction(fig: YearFigures, data: CountyData) -> None:
    year = afterschool_year(data)
    if year.columns_present and year.known:
        fig.afterschool_schools = year.offering
        fig.afterschool_students = year.participants
    total = year.reductions[-1]  # 线下 + 线上
    fig.tutoring_now, fig.tutoring_before = total.now, total.before
