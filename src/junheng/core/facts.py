"""Core facts: one county, one school year, as read from a workbook or a database.

Pure data. Intake builds these from Excel, storage from tables, the web from forms;
the evaluation engine only reads them. Every record remembers the Excel row it came
from (``row``; 0 when it did not come from a sheet) so that any number can be traced
back to its cells.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Stage(StrEnum):
    PRIMARY = "primary"
    JUNIOR = "junior"
    SENIOR = "senior"


STAGE_ZH: dict[Stage, str] = {Stage.PRIMARY: "小学", Stage.JUNIOR: "初中", Stage.SENIOR: "高中"}


class SchoolType(StrEnum):
    PRIMARY = "primary"
    JUNIOR = "junior"
    NINE_YEAR = "nine_year"
    TWELVE_YEAR = "twelve_year"
    COMPLETE_SECONDARY = "complete_secondary"
    TEACHING_POINT = "teaching_point"
    SPECIAL = "special"


SCHOOL_TYPE_ZH: dict[SchoolType, str] = {
    SchoolType.PRIMARY: "小学",
    SchoolType.JUNIOR: "初中",
    SchoolType.NINE_YEAR: "九年一贯制学校",
    SchoolType.TWELVE_YEAR: "十二年一贯制学校",
    SchoolType.COMPLETE_SECONDARY: "完全中学",
    SchoolType.TEACHING_POINT: "教学点",
    SchoolType.SPECIAL: "特殊教育学校",
}

# Which stages a school type may enrol (used by validation and by the split).
SCHOOL_TYPE_STAGES: dict[SchoolType, frozenset[Stage]] = {
    SchoolType.PRIMARY: frozenset({Stage.PRIMARY}),
    SchoolType.JUNIOR: frozenset({Stage.JUNIOR}),
    SchoolType.NINE_YEAR: frozenset({Stage.PRIMARY, Stage.JUNIOR}),
    SchoolType.TWELVE_YEAR: frozenset({Stage.PRIMARY, Stage.JUNIOR, Stage.SENIOR}),
    SchoolType.COMPLETE_SECONDARY: frozenset({Stage.JUNIOR, Stage.SENIOR}),
    SchoolType.TEACHING_POINT: frozenset({Stage.PRIMARY}),
    SchoolType.SPECIAL: frozenset({Stage.PRIMARY, Stage.JUNIOR, Stage.SENIOR}),
}


class UrbanRural(StrEnum):
    URBAN = "urban"  # 城区
    TOWN = "town"  # 镇区
    RURAL = "rural"  # 乡村


URBAN_RURAL_ZH = {UrbanRural.URBAN: "城区", UrbanRural.TOWN: "镇区", UrbanRural.RURAL: "乡村"}


class Ownership(StrEnum):
    PUBLIC = "public"  # 公办
    PRIVATE = "private"  # 民办


OWNERSHIP_ZH = {Ownership.PUBLIC: "公办", Ownership.PRIVATE: "民办"}


class Degree(StrEnum):
    POSTGRADUATE = "postgraduate"  # 研究生
    BACHELOR = "bachelor"  # 本科
    COLLEGE = "college"  # 专科
    HIGH_SCHOOL_OR_BELOW = "high_school_or_below"  # 高中阶段及以下


DEGREE_ZH = {
    Degree.POSTGRADUATE: "研究生",
    Degree.BACHELOR: "本科",
    Degree.COLLEGE: "专科",
    Degree.HIGH_SCHOOL_OR_BELOW: "高中阶段及以下",
}


class BackboneLevel(StrEnum):
    NONE = "none"
    COUNTY = "county"
    CITY = "city"
    PROVINCE = "province"
    NATIONAL = "national"


BACKBONE_ZH = {
    BackboneLevel.NONE: "无",
    BackboneLevel.COUNTY: "县级",
    BackboneLevel.CITY: "市级",
    BackboneLevel.PROVINCE: "省级",
    BackboneLevel.NATIONAL: "国家级",
}


class TeacherTitle(StrEnum):
    """专业技术职务 (2015 unified system for 中小学 teachers)."""

    PROFESSOR = "professor"  # 正高级
    SENIOR = "senior"  # 高级
    FIRST = "first"  # 一级 (中级)
    SECOND = "second"  # 二级
    THIRD = "third"  # 三级
    NONE = "none"  # 未定职级


TEACHER_TITLE_ZH = {
    TeacherTitle.PROFESSOR: "正高级",
    TeacherTitle.SENIOR: "高级",
    TeacherTitle.FIRST: "一级",
    TeacherTitle.SECOND: "二级",
    TeacherTitle.THIRD: "三级",
    TeacherTitle.NONE: "未定职级",
}


class RoomType(StrEnum):
    MUSIC = "music"
    ART = "art"


ROOM_TYPE_ZH = {RoomType.MUSIC: "音乐", RoomType.ART: "美术"}


@dataclass(frozen=True, slots=True)
class Ref:
    """Where a value came from: a sheet, an Excel row (1-based) and optionally a column."""

    sheet: str
    row: int
    column: str | None = None  # Excel column letter
    header: str | None = None

    def __str__(self) -> str:
        if self.row <= 0:  # not a cell: a computed source (the 社会认可度调查), described by header
            return f"{self.sheet}（{self.header}）" if self.header else self.sheet
        col = f" {self.column}列" if self.column else ""
        head = f"「{self.header}」" if self.header else ""
        return f"{self.sheet} 第{self.row}行{col}{head}"


@dataclass(slots=True)
class County:
    code: str
    name: str
    school_year: int
    city: str | None = None
    province: str | None = None
    basic_balance_year: int | None = None


@dataclass(slots=True)
class School:
    code: str
    name: str
    school_type: SchoolType
    urban_rural: UrbanRural
    ownership: Ownership
    boarding: bool
    primary_students: int
    junior_students: int
    teaching_area: float  # ㎡
    sports_area: float  # ㎡
    equipment_value: float  # 万元, as in the workbook
    multimedia_rooms: int
    public_funds_budget: float  # 万元
    training_budget: float  # 万元
    public_funds_allocated: float  # 万元
    senior_students: int = 0
    indoor_sports_area: float | None = None  # ㎡, part of teaching_area
    group: str | None = None  # 教育集团
    row: int = 0
    # Optional columns a template version may add (e.g. the planner's max_extra_teaching_area).
    extra: dict[str, Any] = field(default_factory=dict)

    def students(self, stage: Stage) -> int:
        if stage is Stage.PRIMARY:
            return self.primary_students
        if stage is Stage.JUNIOR:
            return self.junior_students
        return self.senior_students

    @property
    def compulsory_students(self) -> int:
        return self.primary_students + self.junior_students


@dataclass(slots=True)
class Teacher:
    teacher_id: str
    school_code: str
    stage: Stage
    degree: Degree
    backbone_level: BackboneLevel
    subject: str
    certified: bool
    training_hours_5y: float
    rotation_eligible: bool
    rotated: bool
    title: TeacherTitle | None = None  # optional column 专业技术职务 (2012 indicator 8)
    row: int = 0
    # Optional columns a template version may add (e.g. the planner's movable).
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class SchoolClass:
    school_code: str
    stage: Stage
    grade: int
    class_name: str
    students: int
    row: int = 0


@dataclass(slots=True)
class Room:
    school_code: str
    room_type: RoomType
    area: float
    row: int = 0


@dataclass(slots=True)
class CountyData:
    """Everything known about one county in one school year."""

    county: County
    schools: list[School]
    teachers: list[Teacher] = field(default_factory=list)
    classes: list[SchoolClass] = field(default_factory=list)
    rooms: list[Room] = field(default_factory=list)
    # 县级指标: key -> value (bool, int, float); missing keys are simply absent.
    facts: dict[str, Any] = field(default_factory=dict)
    # Where each county fact and county field came from.
    fact_refs: dict[str, Ref] = field(default_factory=dict)
    # Extra sheets of later template versions (e.g. kindergartens), by table name.
    # An optional sheet the workbook lacks is absent here (its data are unknown);
    # a sheet present without rows is an empty list.
    extra_tables: dict[str, list[Any]] = field(default_factory=dict)
    # Optional template columns the workbook did not have, per table name: their
    # values are unknown (a rule reading them is not evaluable), not blank.
    absent_columns: dict[str, frozenset[str]] = field(default_factory=dict)
    # For provenance: per table name, field key -> (sheet name, column letter, header).
    columns: dict[str, dict[str, tuple[str, str, str]]] = field(default_factory=dict)
    source: str | None = None  # file name the data came from

    def table(self, name: str) -> list[Any]:
        if name in ("schools", "teachers", "classes", "rooms"):
            return getattr(self, name)
        try:
            return self.extra_tables[name]
        except KeyError:
            raise KeyError(f"unknown table {name!r}") from None

    def ref(self, table: str, row: int, key: str | None = None) -> Ref:
        """The cell of ``key`` in ``row`` of ``table``, as precisely as known."""
        cols = self.columns.get(table, {})
        sheet_default = TABLE_SHEETS.get(table, table)
        if key is not None and key in cols:
            sheet, letter, header = cols[key]
            return Ref(sheet, row, letter, header)
        sheet = next(iter(cols.values()))[0] if cols else sheet_default
        return Ref(sheet, row)

    def school_map(self) -> dict[str, School]:
        return {s.code: s for s in self.schools}


# Canonical sheet of each table (TEMPLATE.md); used when no column map is known.
TABLE_SHEETS = {
    "county": "基本信息",
    "schools": "学校",
    "teachers": "教师",
    "classes": "班级",
    "rooms": "专用教室",
    "facts": "县级指标",
    "kindergartens": "幼儿园",
    "kindergarten_classes": "幼儿园班级",
    "projects": "项目台账",
    "health": "学生健康",
}
