"""学位 (school places) and 大班额 (large classes): capacity per school, the shares of
large and super-large classes, and a cohort-progression forecast of the next years.

Pure: county data in, plain results out (STANDARDS.md §4.1, §4.2).

- Capacity of a school's stage = standard classes × standard class size (45 小学,
  50 初中). The standard class count is the optional column 小学/初中标准班数; where
  it is blank the school's current class count stands in (said so in the result).
- 大班额: 56–65 students, 超大班额: ≥ 66, per class.
- Forecast: every cohort moves up one grade a year and keeps its size (or a survival
  ratio per grade learnt from last year's workbook; see :func:`survival_ratios` for
  小升初). Pupils whose school has no next
  grade (小学 → 初中, a 教学点's top grade) are shared out over the schools that do,
  in proportion to their current enrolment in that grade (a 九年一贯制 school keeps
  its own grade 6 and takes no others). 特殊教育学校 are left out. Grade 1 takes the same
  intake as this year unless an intake is given. A school is flagged when its
  students exceed its capacity, or when the classes it needs at the standard size
  exceed its standard classes (then it must enlarge classes: 大班额).
- Building projects (项目台账, :mod:`junheng.core.projects`): a committed project's
  places count from its 竣工年份 on — the school's capacity grows by them and its
  standard classes by places ÷ standard class size (rounded down). Projects finished
  by this school year are already in the 学校 sheet. A 新建 school without a 标识码 has
  no pupils to roll forward: it is listed (``PlacesReport.new_schools``), not forecast.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from junheng.core.facts import CountyData, SchoolType, Stage
from junheng.core.projects import Project, future_places, new_schools, places_by_then, projects_of

STAGE_GRADES = {Stage.PRIMARY: range(1, 7), Stage.JUNIOR: range(7, 10)}
STANDARD_CLASSES = {Stage.PRIMARY: "primary_standard_classes", Stage.JUNIOR: "junior_standard_classes"}


@dataclass(frozen=True, slots=True)
class PlacesSettings:
    class_size: dict[Stage, int] = field(default_factory=lambda: {Stage.PRIMARY: 45, Stage.JUNIOR: 50})
    large_from: int = 56  # 大班额 56–65
    super_large_from: int = 66  # 超大班额 ≥ 66
    years: int = 3


@dataclass(slots=True)
class StageCapacity:
    school_code: str
    school_name: str
    stage: Stage
    students: int
    classes: int  # current classes
    standard_classes: int
    standard_from_workbook: bool  # False: current classes stood in for the standard count
    capacity: int

    @property
    def spare(self) -> int:
        return self.capacity - self.students


@dataclass(slots=True)
class LargeClasses:
    stage: Stage | None  # None: both stages
    classes: int
    large: int
    super_large: int

    @property
    def large_share(self) -> float:
        return self.large / self.classes if self.classes else 0.0

    @property
    def super_large_share(self) -> float:
        return self.super_large / self.classes if self.classes else 0.0


@dataclass(slots=True)
class ForecastRow:
    school_code: str
    school_name: str
    stage: Stage
    year: int  # school year
    students: int
    by_grade: dict[int, int]
    classes_needed: int  # at the standard class size, grade by grade
    standard_classes: int
    capacity: int
    over_capacity: bool
    too_few_classrooms: bool
    project_places: int = 0  # of ``capacity``: places of projects finished after the data's year


@dataclass(slots=True)
class PlacesReport:
    school_year: int
    capacities: list[StageCapacity]
    large: list[LargeClasses]
    large_by_school: dict[str, tuple[int, int]]  # code -> (大班额, 超大班额)
    forecast: list[ForecastRow]
    survival: dict[int, float]  # grade g → g+1 ratio used (1.0 unless learnt)
    added: dict[tuple[str, Stage], int] = field(default_factory=dict)  # capacity added since last year
    new_schools: list[Project] = field(default_factory=list)  # committed 新建 projects still to come

    def flagged(self) -> list[ForecastRow]:
        return [r for r in self.forecast if r.over_capacity or r.too_few_classrooms]


def _in_scope(data: CountyData) -> set[str]:
    """Schools whose places count: not 特殊教育学校 (other class sizes, no catchment)."""
    return {s.code for s in data.schools if s.school_type is not SchoolType.SPECIAL}


def _grades(data: CountyData) -> dict[str, dict[int, int]]:
    scope = _in_scope(data)
    out: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for c in data.classes:
        if c.school_code in scope:
            out[c.school_code][c.grade] += c.students
    return out


def _stage_of(grade: int) -> Stage:
    return Stage.PRIMARY if grade <= 6 else Stage.JUNIOR


def capacities(data: CountyData, settings: PlacesSettings) -> list[StageCapacity]:
    count: dict[tuple[str, Stage], int] = defaultdict(int)
    for c in data.classes:
        count[(c.school_code, c.stage)] += 1
    out = []
    for s in data.schools:
        if s.school_type is SchoolType.SPECIAL:
            continue
        for stage in (Stage.PRIMARY, Stage.JUNIOR):
            students, classes = s.students(stage), count.get((s.code, stage), 0)
            if students == 0 and classes == 0:
                continue
            given = s.extra.get(STANDARD_CLASSES[stage])
            standard = int(given) if given else classes
            out.append(StageCapacity(s.code, s.name, stage, students, classes, standard, bool(given),
                                     standard * settings.class_size[stage]))
    return out


def large_classes(data: CountyData, settings: PlacesSettings) -> tuple[list[LargeClasses], dict[str, tuple[int, int]]]:
    per_stage = {st: LargeClasses(st, 0, 0, 0) for st in (Stage.PRIMARY, Stage.JUNIOR)}
    total = LargeClasses(None, 0, 0, 0)
    by_school: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    scope = _in_scope(data)
    for c in data.classes:
        if c.school_code not in scope:
            continue
        for summary in (per_stage[c.stage], total):
            summary.classes += 1
            if c.students >= settings.super_large_from:
                summary.super_large += 1
            elif c.students >= settings.large_from:
                summary.large += 1
        if c.students >= settings.super_large_from:
            by_school[c.school_code][1] += 1
        elif c.students >= settings.large_from:
            by_school[c.school_code][0] += 1
    return [per_stage[Stage.PRIMARY], per_stage[Stage.JUNIOR], total], {k: (v[0], v[1]) for k, v in by_school.items()}


def survival_ratios(current: CountyData, previous: CountyData | None) -> dict[int, float]:
    """County ratio of grade g+1 now to grade g a year ago. Without last year's data:
    1.0 inside a stage, and for 小升初 (6 → 7) this year's 初一 over 六年级 — the share
    of leavers the county's junior schools take in, which a cohort ratio of 1.0 would
    overstate where pupils leave the county or go to schools outside the workbook."""
    ratios = {g: 1.0 for g in range(1, 9)}
    now = _county_grades(current)
    if previous is None:
        if now[6] > 0 and now[7] > 0:
            ratios[6] = now[7] / now[6]
        return ratios
    before = _county_grades(previous)
    for g in ratios:
        if before[g] > 0 and now[g + 1] > 0:
            ratios[g] = now[g + 1] / before[g]
    return ratios


def _county_grades(data: CountyData) -> dict[int, int]:
    totals: dict[int, int] = defaultdict(int)
    for by_grade in _grades(data).values():
        for g, n in by_grade.items():
            totals[g] += n
    return totals


def _step(grades: dict[str, dict[int, float]], has_grade: dict[str, set[int]], survival: dict[int, float],
          intake: dict[str, float]) -> dict[str, dict[int, float]]:
    """One year on: every cohort moves up; pupils without a next grade at their school
    are shared over the schools that have it, by their current size in that grade."""
    nxt: dict[str, dict[int, float]] = {code: defaultdict(float) for code in grades}
    pool: dict[int, float] = defaultdict(float)
    for code, by_grade in grades.items():
        for g, n in by_grade.items():
            if g >= 9 or n <= 0:
                continue  # grade 9 leaves the compulsory stages
            moved = n * survival.get(g, 1.0)
            if g + 1 in has_grade[code]:
                nxt[code][g + 1] += moved
            else:
                pool[g + 1] += moved
    for g, n in pool.items():
        # Schools that promote their own pupils into grade g (a 九年一贯制 school's
        # grade 6 → 7) take none from the pool, unless no other school teaches g.
        takers = [c for c in grades if g in has_grade[c] and g - 1 not in has_grade[c]]
        takers = takers or [c for c in grades if g in has_grade[c]]
        weights = {code: grades[code].get(g, 0.0) for code in takers}
        total = sum(weights.values())
        if total <= 0:
            continue  # nowhere in the county teaches that grade: the pupils leave the forecast
        for code, w in weights.items():
            nxt[code][g] += n * w / total
    for code, n in intake.items():
        nxt[code][1] += n
    return nxt


def forecast(data: CountyData, caps: list[StageCapacity], settings: PlacesSettings,
             survival: dict[int, float], intake: dict[str, float] | None = None) -> list[ForecastRow]:
    grades = {code: {g: float(n) for g, n in by.items()} for code, by in _grades(data).items()}
    has_grade = {code: {g for g, n in by.items() if n > 0} for code, by in grades.items()}
    entry = intake if intake is not None else {code: by.get(1, 0.0) for code, by in grades.items() if by.get(1)}
    cap = {(c.school_code, c.stage): c for c in caps}
    coming = future_places(projects_of(data) or [], data.county.school_year)
    rows: list[ForecastRow] = []
    state = grades
    for k in range(1, settings.years + 1):
        state = _step(state, has_grade, survival, entry)
        year = data.county.school_year + k
        for (code, stage), c in cap.items():
            if code not in state:
                continue  # no class list for this school: nothing to roll forward
            by = {g: round(state.get(code, {}).get(g, 0.0)) for g in STAGE_GRADES[stage]
                  if state.get(code, {}).get(g, 0.0) > 0}
            students = sum(by.values())
            size = settings.class_size[stage]
            needed = sum(math.ceil(n / size) for n in by.values())
            extra = places_by_then(coming.get((code, stage), {}), year)
            capacity, standard = c.capacity + extra, c.standard_classes + extra // size
            rows.append(ForecastRow(
                code, c.school_name, stage, year, students, by, needed, standard, capacity,
                over_capacity=students > capacity, too_few_classrooms=needed > standard, project_places=extra,
            ))
    return rows


def places_report(data: CountyData, previous: CountyData | None = None,
                  settings: PlacesSettings | None = None,
                  intake: dict[str, float] | None = None) -> PlacesReport:
    settings = settings or PlacesSettings()
    caps = capacities(data, settings)
    large, by_school = large_classes(data, settings)
    survival = survival_ratios(data, previous)
    rows = forecast(data, caps, settings, survival, intake)
    added: dict[tuple[str, Stage], int] = {}
    if previous is not None:
        before = {(c.school_code, c.stage): c.capacity for c in capacities(previous, settings)}
        for c in caps:
            added[(c.school_code, c.stage)] = c.capacity - before.get((c.school_code, c.stage), 0)
    return PlacesReport(data.county.school_year, caps, large, by_school, rows, survival, added,
                        new_schools(projects_of(data) or [], data.county.school_year))
