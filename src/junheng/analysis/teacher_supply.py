"""Teacher supply by subject and 编制 (issue 16 §3): what each school needs under the
national curriculum against the teachers it has, its posts, and who retires soon.

For each school and stage (小学 grades 1–6, 初中 7–9) and each subject the curriculum
staffs:

* 周课时 = Σ over grades (classes in that grade × the subject's weekly periods);
* 需配教师 = ceil(周课时 ÷ 标准课时量 − tolerance) — the workload norm is a setting per
  stage (and per subject where set); ``tolerance`` is the share of one norm a teacher
  may take on before another teacher is needed;
* 现有教师 = the school's teachers of that stage whose 任教学科 names the subject;
* 缺 = max(0, 需配 − 现有) (the subject is 紧缺 there), 余 = max(0, 现有 − 需配).

County figures are sums over schools (a surplus in one school does not fill a gap in
another until a teacher moves). 编制: 核定编制数 (学校) against 在编 and 编外 teachers
(教师「编制类型」); 有编不补 is read by the same function as the 2017 veto V6
(``core.formulas_staffing.flagged_schools``), so both name the same schools.
Retirements: from the optional 出生年份 and 性别 columns and the settings' ages.

Pure: county data and settings in, plain results out.
"""

from __future__ import annotations

import math
import os
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from junheng.analysis.curriculum import GRADES, Curriculum, Method, load_curriculum, weekly_hours
from junheng.core.errors import SupplySettingsError
from junheng.core.facts import CountyData, SchoolType, Stage, Teacher
from junheng.core.formulas_staffing import flagged_schools
from junheng.core.yamltext import load_yaml

STAGES = (Stage.PRIMARY, Stage.JUNIOR)
STAGE_GRADES = {Stage.PRIMARY: range(1, 7), Stage.JUNIOR: range(7, 10)}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CurriculumChoice(_Strict):
    file: str | None = None
    method: Method = "table"


class Workload(_Strict):
    primary: float = Field(gt=0, le=40)
    junior: float = Field(gt=0, le=40)
    by_subject: dict[str, float] = {}

    def norm(self, stage: Stage, subject: str) -> float:
        return float(self.by_subject.get(subject) or (self.primary if stage is Stage.PRIMARY else self.junior))


class Retirement(_Strict):
    male: int = Field(ge=40, le=75)
    female: int = Field(ge=40, le=75)
    unknown_gender: int = Field(ge=40, le=75)
    delayed_2025: bool = True
    horizon_years: int = Field(default=5, ge=1, le=20)


class SupplySettings(_Strict):
    curriculum: CurriculumChoice = CurriculumChoice()
    workload: Workload
    tolerance: float = Field(default=0.1, ge=0, lt=1)
    retirement: Retirement


@cache
def _defaults_raw() -> dict[str, Any]:
    return load_yaml(files("junheng.analysis").joinpath("teacher-supply.yaml").read_text(encoding="utf-8"))


def default_settings() -> SupplySettings:
    return SupplySettings.model_validate(_defaults_raw())


ENV = "JUNHENG_TEACHER_SUPPLY"


def load_supply_settings(path: str | Path | None = None) -> SupplySettings:
    """The shipped defaults, with a user's file merged over them (only what it changes).
    Without ``path``, the file named by ``JUNHENG_TEACHER_SUPPLY`` if set: one setting for
    every output (the fact sheet, reports, ``junheng teachers``, the web page), so that
    they never show two different figures."""
    if path is None:
        path = os.environ.get(ENV) or None
    if path is None:
        return default_settings()
    p = Path(path)
    try:
        own = load_yaml(p.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise SupplySettingsError(f"找不到教师配备设置文件：{p}") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SupplySettingsError(f"无法读取教师配备设置文件 {p.name}（{exc}）") from None
    if not isinstance(own, dict):
        raise SupplySettingsError(f"教师配备设置文件 {p.name} 应为“项目: 值”的映射")
    try:
        return SupplySettings.model_validate(_merge(_defaults_raw(), own))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or "（顶层）"
        detail = str(first.get("msg", "")).removeprefix("Value error, ")
        raise SupplySettingsError(f"教师配备设置文件 {p.name} 的 {where} 有误：{detail}"
                                  f"（值：{first.get('input')!r}）") from None


def _merge(base: dict[str, Any], own: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in own.items():
        out[k] = _merge(base[k], v) if isinstance(v, dict) and isinstance(base.get(k), dict) else v
    return out


# --- retirement ---

def retirement_age_months(birth_year: int, base_age: int, delayed: bool) -> int:
    """Statutory retirement age in months for someone born in July of ``birth_year``:
    the 2024 decision delays a base age of 60 (men) or 55 (women) by one month for every
    four months of birth from January (2025 − base), at most 36 months."""
    months = base_age * 12
    if not delayed or base_age not in (55, 60):
        return months
    since = (birth_year - (2025 - base_age)) * 12 + 6  # born in July
    return months if since < 0 else months + min(36, since // 4 + 1)


def retirement_year(birth_year: int, gender: str | None, r: Retirement) -> int:
    base = {"male": r.male, "female": r.female}.get(gender or "", r.unknown_gender)
    months = retirement_age_months(birth_year, base, r.delayed_2025)
    return birth_year + (6 + months) // 12


# --- results ---

@dataclass(slots=True)
class SubjectSupply:
    subject: str
    periods: float = 0.0  # periods a week
    fte: float = 0.0  # periods ÷ norm
    needed: int = 0
    have: int = 0
    established: int = 0  # 在编 among ``have``
    contract: int = 0  # 编外
    retiring: int = 0  # within the horizon

    @property
    def shortage(self) -> int:
        return max(0, self.needed - self.have)

    @property
    def surplus(self) -> int:
        return max(0, self.have - self.needed)

    def add(self, other: SubjectSupply) -> None:
        self.periods += other.periods
        self.fte += other.fte
        self.needed += other.needed
        self.have += other.have
        self.established += other.established
        self.contract += other.contract
        self.retiring += other.retiring


@dataclass(slots=True)
class SchoolSupply:
    school_code: str
    name: str
    township: str | None
    stage: Stage
    classes: dict[int, int]  # grade -> classes
    subjects: list[SubjectSupply]
    other: dict[str, int] = field(default_factory=dict)  # teachers of subjects the curriculum does not staff

    @property
    def shortage(self) -> int:
        return sum(s.shortage for s in self.subjects)

    @property
    def surplus(self) -> int:
        return sum(s.surplus for s in self.subjects)

    def short_subjects(self) -> list[SubjectSupply]:
        return [s for s in self.subjects if s.shortage]


@dataclass(slots=True)
class SchoolStaffing:
    school_code: str
    name: str
    quota: int | None  # 核定编制数
    established: int
    contract: int
    unknown: int  # 编制类型 blank
    unfilled: bool  # 有编不补 (the school V6 flags)

    @property
    def vacant(self) -> int | None:
        return None if self.quota is None else max(0, self.quota - self.established)


@dataclass(slots=True)
class Retiree:
    teacher_id: str
    school_code: str
    stage: Stage
    subject: str  # the curriculum subject, or the 任教学科 as written
    year: int


@dataclass(slots=True)
class TeacherSupplyReport:
    county_code: str
    county_name: str
    school_year: int
    curriculum: str  # title and source
    method: str
    settings: dict[str, Any]
    hours: dict[str, tuple[float, ...]]  # subject -> weekly periods in grades 1–9
    schools: list[SchoolSupply]
    county: dict[str, list[SubjectSupply]]  # stage -> per subject, summed over schools
    staffing: list[SchoolStaffing]
    staffing_known: bool  # the 编制类型 column is filled
    quota_known: bool  # some school has a 核定编制数
    retirees: list[Retiree]
    retirements_known: bool  # the 出生年份 column is filled
    overdue: int = 0  # teachers already past retirement age
    classes_known: bool = True
    unmapped: dict[str, int] = field(default_factory=dict)  # 任教学科 as written -> teachers
    notes: list[str] = field(default_factory=list)

    # County totals: what the fact sheet shows.
    @property
    def needed(self) -> int:
        return sum(s.needed for rows in self.county.values() for s in rows)

    @property
    def have(self) -> int:
        return sum(s.have for rows in self.county.values() for s in rows)

    @property
    def shortage(self) -> int:
        return sum(s.shortage for s in self.schools)

    @property
    def surplus(self) -> int:
        return sum(s.surplus for s in self.schools)

    def short_subjects(self) -> list[tuple[Stage, str, int]]:
        """(stage, subject, teachers short summed over schools), largest first."""
        per: Counter[tuple[Stage, str]] = Counter()
        for sch in self.schools:
            for s in sch.subjects:
                per[(sch.stage, s.subject)] += s.shortage
        out = [(st, subj, n) for (st, subj), n in per.items() if n > 0]
        return sorted(out, key=lambda x: (-x[2], x[0].value, x[1]))

    @property
    def shortage_schools(self) -> int:
        return len({s.school_code for s in self.schools if s.shortage})

    @property
    def quota(self) -> int | None:
        known = [s.quota for s in self.staffing if s.quota is not None]
        return sum(known) if known else None

    @property
    def vacant(self) -> int | None:
        known = [s.vacant for s in self.staffing if s.vacant is not None]
        return sum(known) if known and self.staffing_known else None

    @property
    def unfilled(self) -> int | None:
        """有编不补数: the vacant posts of the schools that leave them vacant while employing 编外 teachers."""
        if not (self.staffing_known and self.quota_known):
            return None
        return sum(s.vacant or 0 for s in self.staffing if s.unfilled)

    @property
    def unfilled_schools(self) -> int | None:
        return sum(1 for s in self.staffing if s.unfilled) if self.staffing_known and self.quota_known else None

    def retiring_by_subject(self) -> dict[str, int]:
        return dict(Counter(r.subject for r in self.retirees).most_common())

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``junheng teachers --format json`` and the web API: every row and the
        county totals (the fact sheet's figures), unknown totals as null."""
        known = self.classes_known

        def subject(x: SubjectSupply) -> dict[str, Any]:
            return {**asdict(x), "shortage": x.shortage, "surplus": x.surplus}

        return {
            "county_code": self.county_code, "county_name": self.county_name, "school_year": self.school_year,
            "curriculum": self.curriculum, "method": self.method, "settings": self.settings,
            "totals": {
                "needed": self.needed if known else None, "have": self.have if known else None,
                "shortage": self.shortage if known else None, "surplus": self.surplus if known else None,
                "shortage_schools": self.shortage_schools if known else None,
                "short_subjects": [{"stage": st.value, "subject": subj, "shortage": n}
                                   for st, subj, n in self.short_subjects()],
                "staff_quota": self.quota,
                "established": sum(s.established for s in self.staffing) if self.staffing_known else None,
                "contract": sum(s.contract for s in self.staffing) if self.staffing_known else None,
                "vacant": self.vacant if self.quota_known else None,
                "unfilled": self.unfilled, "unfilled_schools": self.unfilled_schools,
                "retiring": len(self.retirees) if self.retirements_known else None,
                "retiring_by_subject": self.retiring_by_subject() if self.retirements_known else None,
                "overdue": self.overdue if self.retirements_known else None,
            },
            "schools": [{"school_code": s.school_code, "name": s.name, "township": s.township,
                         "stage": s.stage.value, "classes": s.classes, "shortage": s.shortage,
                         "surplus": s.surplus, "subjects": [subject(x) for x in s.subjects], "other": s.other}
                        for s in self.schools],
            "county": {st: [subject(x) for x in rows] for st, rows in self.county.items()},
            "staffing": [{"school_code": s.school_code, "name": s.name, "staff_quota": s.quota,
                          "established": s.established, "contract": s.contract, "unknown": s.unknown,
                          "vacant": s.vacant, "unfilled": s.unfilled} for s in self.staffing],
            "retirees": [{**asdict(x), "stage": x.stage.value} for x in self.retirees],
            "hours": self.hours, "unmapped": self.unmapped, "notes": self.notes,
        }


def _counts(teachers: list[Teacher]) -> tuple[int, int]:
    kinds = Counter(t.extra.get("staffing") for t in teachers)
    return kinds["established"], kinds["contract"]


def teacher_supply(data: CountyData, settings: SupplySettings | None = None,
                   curriculum: Curriculum | None = None) -> TeacherSupplyReport:
    settings = settings or load_supply_settings()
    cur = curriculum or load_curriculum(settings.curriculum.file)
    hours = weekly_hours(cur, settings.curriculum.method)
    staffed = frozenset(s.name for s in cur.subjects if s.staffed)
    order = [s.name for s in cur.subjects if s.staffed]
    year = data.county.school_year
    r = settings.retirement
    absent_t = data.absent_columns.get("teachers", frozenset())
    births_known = "birth_year" not in absent_t and any(t.extra.get("birth_year") for t in data.teachers)
    last_year = year + r.horizon_years - 1

    classes: dict[tuple[str, Stage], Counter[int]] = defaultdict(Counter)
    for c in data.classes:
        if c.stage in STAGES:
            classes[(c.school_code, c.stage)][c.grade] += 1
    teachers: dict[tuple[str, Stage], list[Teacher]] = defaultdict(list)
    for t in data.teachers:
        if t.stage in STAGES:
            teachers[(t.school_code, t.stage)].append(t)

    schools: list[SchoolSupply] = []
    retirees: list[Retiree] = []
    unmapped: Counter[str] = Counter()
    overdue = 0
    special = [s.name for s in data.schools if s.school_type is SchoolType.SPECIAL]
    subjects: dict[str, str | None] = {}  # 任教学科 as written -> curriculum subject
    retire: dict[tuple[Any, Any], int] = {}
    for s in data.schools:
        if s.school_type is SchoolType.SPECIAL:
            continue  # 特殊教育学校 follow their own curricula (培智、聋、盲), not this one
        for st in STAGES:
            here = teachers.get((s.code, st), [])
            grades = classes.get((s.code, st), Counter())
            if not here and not grades:
                continue
            by_subject: dict[str, list[Teacher]] = defaultdict(list)
            other: Counter[str] = Counter()
            first = len(retirees)
            for t in here:
                subj = subjects.get(t.subject)
                if subj is None and t.subject not in subjects:
                    subj = subjects[t.subject] = cur.subject_for(t.subject)
                if subj is not None and subj in staffed:
                    by_subject[subj].append(t)
                else:
                    other[t.subject.strip()] += 1
                    unmapped[t.subject.strip()] += 1
                born = t.extra.get("birth_year")
                if births_known and born:
                    gender = t.extra.get("gender")
                    when = retire.get((born, gender))
                    if when is None:
                        when = retire[(born, gender)] = retirement_year(int(born), gender, r)
                    if when < year:
                        overdue += 1
                    if when <= last_year:
                        retirees.append(Retiree(t.teacher_id, s.code, st, subj or t.subject.strip(), when))
            leaving = Counter(x.subject for x in retirees[first:])
            rows = []
            for subj in order:
                periods = sum(n * hours[subj][g - 1] for g, n in grades.items() if g in STAGE_GRADES[st])
                mine = by_subject.get(subj, [])
                if periods <= 0 and not mine:
                    continue
                fte = periods / settings.workload.norm(st, subj)
                needed = max(0, math.ceil(fte - settings.tolerance - 1e-9)) if periods > 0 else 0
                est, con = _counts(mine)
                retiring = leaving[subj]
                rows.append(SubjectSupply(subj, periods, fte, needed, len(mine), est, con, retiring))
            schools.append(SchoolSupply(s.code, s.name, s.extra.get("township"), st, dict(sorted(grades.items())),
                                        rows, dict(other)))

    county: dict[str, list[SubjectSupply]] = {}
    for st in STAGES:
        total: dict[str, SubjectSupply] = {}
        for sch in schools:
            if sch.stage is st:
                for row in sch.subjects:
                    total.setdefault(row.subject, SubjectSupply(row.subject)).add(row)
        if total:
            county[st.value] = [total[x] for x in order if x in total]

    staffing, staffing_known, quota_known = _staffing(data)
    notes = []
    if not data.classes:
        notes.append("「班级」表为空：无法按课程方案测算各校需配教师数")
    if special:
        notes.append("特殊教育学校按培智、聋、盲学校课程方案另行配备教师，未按本课程方案测算："
                     + "、".join(special[:5]) + (f" 等 {len(special)} 所" if len(special) > 5 else ""))
    if unmapped:
        notes.append("以下任教学科不在课程方案单独配备教师的科目之列，未计入学科需求："
                     + "、".join(f"{k} {v} 人" for k, v in unmapped.most_common()))
    return TeacherSupplyReport(
        data.county.code, data.county.name, year, f"{cur.title}（{cur.source}）", settings.curriculum.method,
        settings.model_dump(mode="json"), hours, schools, county, staffing, staffing_known, quota_known,
        sorted(retirees, key=lambda x: (x.year, x.school_code, x.teacher_id)), births_known, overdue,
        bool(data.classes), dict(unmapped.most_common()), notes)


def _staffing(data: CountyData) -> tuple[list[SchoolStaffing], bool, bool]:
    by_school: dict[str, list[Teacher]] = defaultdict(list)
    for t in data.teachers:
        by_school[t.school_code].append(t)
    absent_t = data.absent_columns.get("teachers", frozenset())
    absent_s = data.absent_columns.get("schools", frozenset())
    known = "staffing" not in absent_t and any(t.extra.get("staffing") for t in data.teachers)
    quota_known = "staff_quota" not in absent_s and any(s.extra.get("staff_quota") is not None for s in data.schools)
    found = flagged_schools(data, "unfilled_posts", 1)
    flagged = {f["school_code"] for f in found[0]} if found else set()
    rows = []
    for s in data.schools:
        mine = by_school.get(s.code, [])
        est, con = _counts(mine)
        quota = s.extra.get("staff_quota")
        rows.append(SchoolStaffing(s.code, s.name, None if quota is None else int(quota), est, con,
                                   len(mine) - est - con, s.code in flagged))
    return rows, known, quota_known


def grade_check(hours: dict[str, tuple[float, ...]]) -> list[float]:
    """Weekly periods of all subjects per grade (the programme's 26/30/34)."""
    return [sum(h[i] for h in hours.values()) for i in range(GRADES)]
