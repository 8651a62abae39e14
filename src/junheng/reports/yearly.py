"""The figures of one county-year that the annual report (年度答卷) compares.

Computed from the facts (:class:`CountyData`) and the evaluation of that year; the
optional columns and facts of the template (标准班数, 课后服务, 教育集团, 校外培训机构,
幼儿园) give a figure only when the workbook has them, else ``None`` and the report
leaves the line out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from junheng.core.facts import CountyData, SchoolType, Stage
from junheng.core.result import Evaluation

STAGES = (Stage.PRIMARY, Stage.JUNIOR)
# 标准班额 used for places (学位) and the "over the standard" share: G5's limits.
STANDARD_CLASS = {Stage.PRIMARY: 45, Stage.JUNIOR: 50}
LARGE_CLASS = 56  # 大班额: 56 人及以上 (教育部口径)
HUGE_CLASS = 66  # 超大班额: 66 人及以上
STANDARD_CLASSES_FIELD = {Stage.PRIMARY: "primary_standard_classes", Stage.JUNIOR: "junior_standard_classes"}


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
    large_classes: int  # ≥ 56
    huge_classes: int  # ≥ 66
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
    teachers = [t for t in data.teachers if t.stage in STAGES]
    classes = [c for c in data.classes if c.stage in STAGES]
    places, from_standard = _places(data)
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
        places=places,
        places_from_standard=from_standard,
        large_classes=sum(1 for c in classes if c.students >= LARGE_CLASS),
        huge_classes=sum(1 for c in classes if c.students >= HUGE_CLASS),
        over_standard=sum(1 for c in classes if c.students > STANDARD_CLASS[c.stage]),
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


def _places(data: CountyData) -> tuple[dict[Stage, int], bool]:
    """学位 = 标准班数 × 标准班额 where the school filled it, else its current classes."""
    current: dict[tuple[str, Stage], int] = {}
    for c in data.classes:
        current[(c.school_code, c.stage)] = current.get((c.school_code, c.stage), 0) + 1
    places = dict.fromkeys(STAGES, 0)
    every = True
    for s in data.schools:
        for st in STAGES:
            if s.students(st) == 0 and (s.code, st) not in current:
                continue
            standard = s.extra.get(STANDARD_CLASSES_FIELD[st])
            if isinstance(standard, int):
                n = standard
            else:
                every = False
                n = current.get((s.code, st), 0)
            places[st] += n * STANDARD_CLASS[st]
    return places, every


def _groups(fig: YearFigures, data: CountyData) -> None:
    named = [s for s in data.schools if s.group]
    if named:
        fig.groups = len({s.group for s in named})
        fig.group_schools = len(named)


def _double_reduction(fig: YearFigures, data: CountyData) -> None:
    flags = [s.extra.get("afterschool") for s in data.schools if s.compulsory_students > 0]
    if any(f is not None for f in flags):
        fig.afterschool_schools = sum(1 for f in flags if f is True)
    counts = [s.extra.get("afterschool_students") for s in data.schools]
    if any(isinstance(n, int) for n in counts):
        fig.afterschool_students = sum(n for n in counts if isinstance(n, int))
    facts = data.facts
    now = [facts.get("tutoring_offline_now"), facts.get("tutoring_online_now")]
    before = [facts.get("tutoring_offline_before"), facts.get("tutoring_online_before")]
    if any(isinstance(n, int) for n in now):
        fig.tutoring_now = sum(n for n in now if isinstance(n, int))
    if any(isinstance(n, int) for n in before):
        fig.tutoring_before = sum(n for n in before if isinstance(n, int))
