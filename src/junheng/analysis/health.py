"""学生健康: 体质健康达标率和优良率, 近视率 by stage, 心理健康教育教师配备, and the
体育与健康 and 劳动 lessons taught each week against the national programme, per school
and for the county, with the years before.

Pure. Formulas (docs/health.md):

    体质健康达标率 = Σ达标人数 ÷ Σ测试人数          (schools that gave both)
    体质健康优良率 = Σ优良人数 ÷ Σ测试人数
    近视率（小学/初中） = Σ近视人数 ÷ Σ视力筛查人数   (per stage; 合计 = both stages pooled)
    配备专职心理健康教育教师的学校占比 = 专职 ≥ 1 的学校 ÷ 填报专职人数的学校
    体育课时达标学校比例 = 每个所开年级段都达到课时的学校 ÷ 能判断的学校

County rates are pooled from counts, never a mean of school rates: a school of 2,000
pupils weighs 2,000 times a pupil, as the national statistics do. A rate given without
its count is turned into one (``core.health.count_from_rate``). 特殊教育学校 follow
their own programme and are left out of the lesson checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from junheng.core.errors import StandardError
from junheng.core.facts import CountyData, SchoolType, Stage
from junheng.core.health import SchoolHealth
from junheng.core.yamltext import load_yaml

STAGES = (Stage.PRIMARY, Stage.JUNIOR)
# 体育 bands: (record field, norm key, Chinese name, stage whose students make it apply)
PE_BANDS = (("pe_hours_lower", "lower", "小学1—2年级", Stage.PRIMARY),
            ("pe_hours_upper", "upper", "小学3—6年级", Stage.PRIMARY),
            ("pe_hours_junior", "junior", "初中", Stage.JUNIOR))
LABOUR_BANDS = (("labour_hours_primary", "primary", "小学", Stage.PRIMARY),
                ("labour_hours_junior", "junior", "初中", Stage.JUNIOR))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PeHours(_Strict):
    lower: float
    upper: float
    junior: float
    source: str = ""


class LabourHours(_Strict):
    primary: float
    junior: float
    source: str = ""


class PsychNorm(_Strict):
    min_full_time: int = 1
    source: str = ""


class HealthNorms(_Strict):
    id: str = "health-norms"
    pe_hours: PeHours
    labour_hours: LabourHours
    psych: PsychNorm = PsychNorm()


@cache
def _packaged() -> HealthNorms:
    return _build("health.yaml", load_yaml(files("junheng.analysis").joinpath("health.yaml").read_text("utf-8")))


def load_health_norms(path: str | Path | None = None) -> HealthNorms:
    if path is None:
        return _packaged()
    p = Path(path)
    return _build(p.name, load_yaml(p.read_text(encoding="utf-8")))


def _build(name: str, raw: dict) -> HealthNorms:
    try:
        return HealthNorms.model_validate(raw)
    except ValueError as exc:
        raise StandardError(name, "", str(exc)) from None


@dataclass(frozen=True, slots=True)
class LessonShort:
    band: str  # 小学1—2年级
    taught: float
    norm: float


@dataclass(slots=True)
class SchoolHealthRow:
    code: str
    name: str
    school_type: SchoolType
    primary_students: int
    junior_students: int
    record: SchoolHealth
    pe_short: list[LessonShort] = field(default_factory=list)
    pe_ok: bool | None = None  # None: no band the school has was filled, or a 特殊教育学校
    labour_short: list[LessonShort] = field(default_factory=list)
    labour_ok: bool | None = None

    @property
    def tested(self) -> int | None:
        return self.record.fitness_tested

    @property
    def pass_rate(self) -> float | None:
        return _rate(self.record.passed, self.record.fitness_tested)

    @property
    def good_rate(self) -> float | None:
        return _rate(self.record.good, self.record.fitness_tested)

    def myopia_rate(self, stage: Stage | None = None) -> float | None:
        if stage is not None:
            return _rate(self.record.myopic(stage), self.record.screened(stage))
        pairs = [(self.record.myopic(s), self.record.screened(s)) for s in STAGES]
        known = [(m, n) for m, n in pairs if m is not None and n]
        return _rate(sum(m for m, _ in known), sum(n for _, n in known)) if known else None

    @property
    def psych_full_time(self) -> int | None:
        return self.record.psych_full_time


def _rate(part: int | None, whole: int | None) -> float | None:
    return part / whole if part is not None and whole else None


@dataclass(frozen=True, slots=True)
class Pooled:
    """Σ part ÷ Σ whole over the schools that gave both."""

    part: int
    whole: int
    schools: int

    @property
    def rate(self) -> float | None:
        return self.part / self.whole if self.whole else None


@dataclass(slots=True)
class HealthYear:
    school_year: int
    present: bool  # False: the workbook has no 学生健康 sheet
    schools: list[SchoolHealthRow]  # schools with a row, in the 学校 sheet's order
    missing: list[tuple[str, str]]  # (code, name) of compulsory schools without a row
    norms: HealthNorms

    def pooled(self, part: str, whole: str) -> Pooled:
        pairs = [(getattr(s.record, part) if part in ("passed", "good") else s.record.count(part),
                  getattr(s.record, whole)) for s in self.schools]
        known = [(p, w) for p, w in pairs if p is not None and w is not None]
        return Pooled(sum(p for p, _ in known), sum(w for _, w in known), len(known))

    @property
    def fitness_passed(self) -> Pooled:
        return self.pooled("passed", "fitness_tested")

    @property
    def fitness_good(self) -> Pooled:
        return self.pooled("good", "fitness_tested")

    @property
    def tested(self) -> int | None:
        values = [s.record.fitness_tested for s in self.schools if s.record.fitness_tested is not None]
        return sum(values) if values else None

    def myopia(self, stage: Stage | None = None) -> Pooled:
        if stage is Stage.PRIMARY:
            return self.pooled("myopia_primary", "screened_primary")
        if stage is Stage.JUNIOR:
            return self.pooled("myopia_junior", "screened_junior")
        a, b = self.myopia(Stage.PRIMARY), self.myopia(Stage.JUNIOR)
        return Pooled(a.part + b.part, a.whole + b.whole, len({s.code for s in self.schools if
                                                               s.myopia_rate() is not None}))

    def psych(self) -> tuple[int | None, int | None, int, int, int]:
        """(专职 total, 兼职 total, schools that filled 专职, schools with ≥ norm 专职,
        schools with a 专职 or 兼职 teacher)."""
        full = [s.record.psych_full_time for s in self.schools if s.record.psych_full_time is not None]
        part = [s.record.psych_part_time for s in self.schools if s.record.psych_part_time is not None]
        staffed = sum(1 for s in self.schools if (s.record.psych_full_time or 0) >= self.norms.psych.min_full_time)
        either = sum(1 for s in self.schools if s.record.psych_full_time is not None
                     and ((s.record.psych_full_time or 0) + (s.record.psych_part_time or 0)) > 0)
        return (sum(full) if full else None, sum(part) if part else None, len(full), staffed, either)

    def lessons(self, kind: str) -> tuple[int, int]:
        """(schools meeting the norm, schools that could be judged) for ``pe`` or ``labour``."""
        flags = [s.pe_ok if kind == "pe" else s.labour_ok for s in self.schools]
        judged = [f for f in flags if f is not None]
        return sum(1 for f in judged if f), len(judged)

    def ranking(self) -> list[SchoolHealthRow]:
        """Schools by 体质健康达标率, best first; schools without one last, by name order."""
        rated = sorted((s for s in self.schools if s.pass_rate is not None),
                       key=lambda s: (-s.pass_rate, -(s.good_rate or 0), s.code))  # type: ignore[operator]
        return rated + [s for s in self.schools if s.pass_rate is None]


@dataclass(slots=True)
class HealthReport:
    current: HealthYear
    years: list[HealthYear] = field(default_factory=list)  # oldest first, current last


def _lessons(record: SchoolHealth, school_students: dict[Stage, int], bands, norms: dict[str, float]
             ) -> tuple[bool | None, list[LessonShort]]:
    """Whether every band the school teaches that was filled meets its norm; None when no
    band of a stage the school has was filled (unknown, not failing)."""
    short: list[LessonShort] = []
    judged_stages: set[Stage] = set()
    needed = {st for st, n in school_students.items() if n > 0}
    for attr, key, zh, stage in bands:
        taught = getattr(record, attr)
        if stage not in needed or taught is None:
            continue
        judged_stages.add(stage)
        if taught < norms[key] - 1e-9:
            short.append(LessonShort(zh, float(taught), norms[key]))
    if not needed or judged_stages != needed:
        return None, short
    return not short, short


def health_year(data: CountyData, norms: HealthNorms | None = None) -> HealthYear:
    norms = norms or load_health_norms()
    records = data.extra_tables.get("health")
    present = records is not None
    by_code = {r.school_code: r for r in records or [] if isinstance(r, SchoolHealth)}
    pe = {"lower": norms.pe_hours.lower, "upper": norms.pe_hours.upper, "junior": norms.pe_hours.junior}
    labour = {"primary": norms.labour_hours.primary, "junior": norms.labour_hours.junior}
    rows, missing = [], []
    for s in data.schools:
        record = by_code.get(s.code)
        if record is None:
            if present and s.compulsory_students > 0:
                missing.append((s.code, s.name))
            continue
        row = SchoolHealthRow(s.code, s.name, s.school_type, s.primary_students, s.junior_students, record)
        if s.school_type is not SchoolType.SPECIAL:
            students = {Stage.PRIMARY: s.primary_students, Stage.JUNIOR: s.junior_students}
            row.pe_ok, row.pe_short = _lessons(record, students, PE_BANDS, pe)
            row.labour_ok, row.labour_short = _lessons(record, students, LABOUR_BANDS, labour)
        rows.append(row)
    return HealthYear(data.county.school_year, present, rows, missing, norms)


def health_report(years: list[CountyData], norms: HealthNorms | None = None) -> HealthReport:
    """``years``: one or more school years of the county; the latest is the current one."""
    ordered = [health_year(d, norms) for d in sorted(years, key=lambda d: d.county.school_year)]
    return HealthReport(ordered[-1], ordered)
