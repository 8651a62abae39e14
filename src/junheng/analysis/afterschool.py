"""双减: after-school services (课后服务) in the county's compulsory schools and the
reduction of subject-tutoring institutions (学科类校外培训机构), with trends.

Pure. Formulas (STANDARDS.md §4.6):

    课后服务覆盖率 = 开展课后服务的义务教育学校数 / 义务教育学校数
    课后服务参与率 = 参加课后服务的学生数 / 在校学生数
    学科类培训机构压减率 = (双减前机构数 − 现有机构数) / 双减前机构数   (线下、线上分别计算)

Every compulsory school is taken to have demand (the national target is 100 %);
特殊教育学校 are left out. A school whose 开展课后服务 cell is blank is unknown: it is
listed and left out of the coverage, never counted as offering.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from junheng.core.facts import CountyData, SchoolType


@dataclass(slots=True)
class SchoolService:
    school_code: str
    name: str
    students: int
    offers: bool | None  # None: not filled in
    participants: int | None

    @property
    def participation(self) -> float | None:
        if self.participants is None or not self.students:
            return None
        return self.participants / self.students


@dataclass(slots=True)
class Reduction:
    channel: str  # 线下 / 线上 / 合计
    before: int | None
    now: int | None

    @property
    def rate(self) -> float | None:
        if self.before is None or self.now is None or not self.before:
            return None
        return (self.before - self.now) / self.before


@dataclass(slots=True)
class AfterschoolYear:
    school_year: int
    schools: list[SchoolService]
    columns_present: bool  # False: the workbook has no 开展课后服务 column at all
    reductions: list[Reduction]

    @property
    def known(self) -> list[SchoolService]:
        return [s for s in self.schools if s.offers is not None]

    @property
    def unknown(self) -> list[SchoolService]:
        return [s for s in self.schools if s.offers is None]

    @property
    def offering(self) -> int:
        return sum(1 for s in self.schools if s.offers)

    @property
    def coverage(self) -> float | None:
        known = self.known
        return self.offering / len(known) if known else None

    @property
    def participants(self) -> int:
        return sum(s.participants or 0 for s in self.schools)

    @property
    def students(self) -> int:
        return sum(s.students for s in self.schools)

    @property
    def participation(self) -> float | None:
        if not self.columns_present or not self.students:
            return None
        return self.participants / self.students


@dataclass(slots=True)
class AfterschoolReport:
    current: AfterschoolYear
    years: list[AfterschoolYear] = field(default_factory=list)  # oldest first, current last


def _int(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def afterschool_year(data: CountyData) -> AfterschoolYear:
    absent = data.absent_columns.get("schools", frozenset())
    present = "afterschool" not in absent
    schools = []
    for s in data.schools:
        if s.school_type is SchoolType.SPECIAL or s.compulsory_students <= 0:
            continue
        offers = s.extra.get("afterschool")
        participants = _int(s.extra.get("afterschool_students"))
        if offers is False and participants is None:
            participants = 0
        schools.append(SchoolService(s.code, s.name, s.compulsory_students, offers, participants))
    f = data.facts
    off = Reduction("线下", _int(f.get("tutoring_offline_before")), _int(f.get("tutoring_offline_now")))
    on = Reduction("线上", _int(f.get("tutoring_online_before")), _int(f.get("tutoring_online_now")))
    both = Reduction("合计", None if off.before is None or on.before is None else off.before + on.before,
                     None if off.now is None or on.now is None else off.now + on.now)
    return AfterschoolYear(data.county.school_year, schools, present, [off, on, both])


def afterschool_report(years: list[CountyData]) -> AfterschoolReport:
    """``years``: one or more school years of the county; the latest is the current one."""
    ordered = [afterschool_year(d) for d in sorted(years, key=lambda d: d.county.school_year)]
    return AfterschoolReport(ordered[-1], ordered)
