"""Building projects (项目台账): the records of the optional sheet 项目台账 and what they
add to a county's schools, year by year.

A project is a school's 改扩建, 加层, 运动场, 宿舍 or 幼儿园 work, or a 新建 school (no
学校标识码 yet, only a name). It adds places (学位) by stage, 宿位, 幼儿园学位 and
floor area by kind in its 竣工年份, and is paid for from five sources.

Years: a workbook's 学年 2025 is the 2025—2026 school year, counted in September 2025.
A project finished in calendar year Y is in use from the school year Y (it opens in
September): so the 学校 sheet of school year S already contains every project finished
in a year ≤ S, and the projects finishing after S are the capacity still to come.

Committed projects (已立项, 在建, 已竣工) count as done in their 竣工年份: the places
forecast and the planner add them then. 规划 and 停建 projects are listed, never counted.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from junheng.core.facts import CountyData, School, Stage

TABLE = "projects"


class ProjectKind(StrEnum):
    NEW_SCHOOL = "new_school"  # 新建
    EXPANSION = "expansion"  # 改扩建
    EXTRA_FLOOR = "extra_floor"  # 加层
    SPORTS_GROUND = "sports_ground"  # 运动场
    DORMITORY = "dormitory"  # 宿舍
    KINDERGARTEN = "kindergarten"  # 幼儿园


PROJECT_KIND_ZH = {ProjectKind.NEW_SCHOOL: "新建", ProjectKind.EXPANSION: "改扩建", ProjectKind.EXTRA_FLOOR: "加层",
                   ProjectKind.SPORTS_GROUND: "运动场", ProjectKind.DORMITORY: "宿舍",
                   ProjectKind.KINDERGARTEN: "幼儿园"}


class ProjectStatus(StrEnum):
    PLANNED = "planned"  # 规划：not yet approved or funded
    APPROVED = "approved"  # 已立项
    BUILDING = "building"  # 在建
    COMPLETED = "completed"  # 已竣工
    SUSPENDED = "suspended"  # 停建


PROJECT_STATUS_ZH = {ProjectStatus.PLANNED: "规划", ProjectStatus.APPROVED: "已立项",
                     ProjectStatus.BUILDING: "在建", ProjectStatus.COMPLETED: "已竣工",
                     ProjectStatus.SUSPENDED: "停建"}
COMMITTED = frozenset({ProjectStatus.APPROVED, ProjectStatus.BUILDING, ProjectStatus.COMPLETED})

# investment sources (万元), in the order of the sheet
SOURCES = ("invest_central", "invest_province", "invest_city", "invest_county", "invest_other")
SOURCE_ZH = {"invest_central": "中央", "invest_province": "省级", "invest_city": "市级", "invest_county": "县级",
             "invest_other": "其他"}
PLACE_FIELDS = {Stage.PRIMARY: "primary_places", Stage.JUNIOR: "junior_places", Stage.SENIOR: "senior_places"}
# a project's area by kind (㎡) → the 学校 column it adds to from its 竣工年份 (None: no such column)
AREA_FIELDS = {"teaching_area": "teaching_area", "sports_area": "sports_area", "dorm_area": None,
               "other_area": None}


@dataclass(slots=True)
class Project:
    name: str  # 项目名称
    kind: ProjectKind
    start_year: int  # 开工年份
    finish_year: int  # 竣工年份 (planned, or actual once 已竣工)
    status: ProjectStatus
    school_code: str | None = None  # blank for a 新建 school without a 标识码 yet
    school_name: str | None = None  # the new school's name (or the school's, for reading)
    primary_places: int = 0  # 新增小学学位
    junior_places: int = 0
    senior_places: int = 0
    beds: int = 0  # 新增宿位
    kg_places: int = 0  # 新增幼儿园学位
    teaching_area: float = 0.0  # 新增教学及辅助用房面积 ㎡
    sports_area: float = 0.0  # 新增体育运动场馆面积 ㎡
    dorm_area: float = 0.0  # 新增学生宿舍面积 ㎡
    other_area: float = 0.0  # 其他新增建筑面积 ㎡
    invest_central: float = 0.0  # 万元
    invest_province: float = 0.0
    invest_city: float = 0.0
    invest_county: float = 0.0
    invest_other: float = 0.0
    progress: str | None = None  # 进展情况 (free text, printed in the 重点项目进展 table)
    row: int = 0

    @property
    def committed(self) -> bool:
        return self.status in COMMITTED

    @property
    def investment(self) -> float:
        """总投资 (万元): the sum of the five sources."""
        return sum(getattr(self, k) for k in SOURCES)

    @property
    def places(self) -> int:
        """义务教育 and 高中 places (not 幼儿园学位, not 宿位)."""
        return self.primary_places + self.junior_places + self.senior_places

    def places_for(self, stage: Stage) -> int:
        return getattr(self, PLACE_FIELDS[stage])

    def finishes_in(self, school_year: int) -> bool:
        return self.finish_year == school_year

    def future(self, school_year: int) -> bool:
        """Still to come for the data of ``school_year``: finishes in a later year."""
        return self.finish_year > school_year


def projects_of(data: CountyData) -> list[Project] | None:
    """The county's projects; None when the workbook has no 项目台账 sheet (unknown)."""
    rows = data.extra_tables.get(TABLE)
    return None if rows is None else list(rows)


def future_places(projects: list[Project], school_year: int) -> dict[tuple[str, Stage], dict[int, int]]:
    """Places committed projects add to existing schools after ``school_year``: per
    (school code, stage), the places by 竣工年份."""
    out: dict[tuple[str, Stage], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for p in projects:
        if not p.committed or not p.future(school_year) or not p.school_code:
            continue
        for stage in PLACE_FIELDS:
            if n := p.places_for(stage):
                out[(p.school_code, stage)][p.finish_year] += n
    return {k: dict(v) for k, v in out.items()}


def places_by_then(by_year: dict[int, int], year: int) -> int:
    """Places of projects finished by ``year`` (from :func:`future_places`)."""
    return sum(n for y, n in by_year.items() if y <= year)


def new_schools(projects: list[Project], school_year: int) -> list[Project]:
    """Committed 新建 projects still to come that have no school in the workbook yet."""
    return [p for p in projects if p.committed and p.future(school_year) and not p.school_code]


@dataclass(slots=True)
class Applied:
    """What :func:`with_projects` added: the projects and the area per school."""

    projects: list[Project]
    areas: dict[str, dict[str, float]]  # school code → 学校 column → ㎡ added
    not_applied: list[Project]  # committed but not attached to a school in the workbook (新建)


def with_projects(data: CountyData, through_year: int) -> tuple[CountyData, Applied]:
    """``data`` as it will be once the committed projects finishing after its school
    year and by ``through_year`` are done: their 教学及辅助用房 and 体育运动场馆 areas
    added to their schools (the quantities the planner reads). ``data`` is left as it
    is; schools no project touches are shared, not copied."""
    year = data.county.school_year
    projects = projects_of(data) or []
    due = [p for p in projects if p.committed and year < p.finish_year <= through_year]
    codes = {s.code for s in data.schools}
    attached = [p for p in due if p.school_code in codes]
    areas: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for p in attached:
        for key, column in AREA_FIELDS.items():
            if column and (a := getattr(p, key)):
                areas[p.school_code][column] += a
    areas = {k: dict(v) for k, v in areas.items() if v}
    applied = Applied([p for p in attached if p.school_code in areas], areas,
                      [p for p in due if p.school_code not in codes])
    if not areas:
        return data, applied
    schools: list[School] = []
    for s in data.schools:
        add = areas.get(s.code)
        if add:
            s = dataclasses.replace(s, extra=dict(s.extra), **{k: getattr(s, k) + v for k, v in add.items()})
        schools.append(s)
    return dataclasses.replace(data, schools=schools), applied
