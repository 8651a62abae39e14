"""The 社会认可度 survey's design: its groups, questionnaire and settings (data files),
the sample size of each group for a margin of error and a confidence (with the finite
population correction), and the allocation of each group's sample to the schools.

Groups are those of the 2017 method (教督〔2017〕6号 第九条): 学生、家长、教师、校长
are sampled school by school; 人大代表、政协委员、其他群众 at county level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from statistics import NormalDist
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from junheng.core.errors import StandardError
from junheng.core.facts import CountyData, SchoolType, Stage
from junheng.core.yamltext import load_yaml

GROUPS: dict[str, str] = {
    "students": "学生", "parents": "家长", "teachers": "教师", "principals": "校长",
    "deputies": "人大代表", "cppcc": "政协委员", "public": "其他群众",
}
SCHOOL_GROUPS = ("students", "parents", "teachers", "principals")
GROUP_BY_ZH = {v: k for k, v in GROUPS.items()}
COUNTY_LEVEL = ""  # the school code of a county-level group's sampling unit
COUNTY_LEVEL_ZH = "全县（不按学校）"

GroupId = Literal["students", "parents", "teachers", "principals", "deputies", "cppcc", "public"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ScaleAnswer(_Strict):
    value: int
    label: str


class Item(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")
    dimension: str
    text: str
    student_text: str | None = None
    groups: tuple[GroupId, ...] | None = None  # None: every group

    def asked_of(self, group: str) -> bool:
        return self.groups is None or group in self.groups

    def text_for(self, group: str) -> str:
        return self.student_text if group == "students" and self.student_text else self.text


class Questionnaire(_Strict):
    id: str
    title: str
    intro: str = ""
    scale: tuple[ScaleAnswer, ...]
    items: tuple[Item, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Questionnaire:
        ids = [i.id for i in self.items]
        dup = sorted({i for i in ids if ids.count(i) > 1})
        if dup:
            raise ValueError(f"题目编号重复：{'、'.join(dup)}")
        values = [a.value for a in self.scale]
        if len(set(values)) != len(values) or len(values) < 2:
            raise ValueError("scale 的分值必须各不相同，且至少两个")
        return self

    def items_for(self, group: str) -> list[Item]:
        return [i for i in self.items if i.asked_of(group)]

    def answer_value(self, text: object) -> int | None:
        """An answer as typed in a cell: its value (5) or its label (非常满意)."""
        if isinstance(text, bool):
            return None
        if isinstance(text, (int, float)) and float(text).is_integer():
            return int(text) if int(text) in {a.value for a in self.scale} else None
        s = str(text).strip()
        for a in self.scale:
            if s == a.label or s == str(a.value):
                return a.value
        return None


class SurveySettings(_Strict):
    margin: float = Field(0.05, gt=0, lt=0.5)
    confidence: float = Field(0.95, gt=0.5, lt=1)
    expected_share: float = Field(0.5, gt=0, lt=1)
    response_rate: float = Field(0.8, gt=0, le=1)
    recognised_answers: tuple[int, ...] = (5, 4)
    min_answered_share: float = Field(0.8, gt=0, le=1)
    weights: Literal["equal", "population"] = "equal"
    groups: tuple[GroupId, ...] = tuple(GROUPS)  # type: ignore[assignment]
    populations: dict[GroupId, int | None] = Field(default_factory=dict)
    student_min_grade: int = Field(4, ge=1, le=9)

    @field_validator("groups")
    @classmethod
    def _some_group(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if not v:
            raise ValueError("至少要有一个调查群体")
        return v

    @property
    def z(self) -> float:
        return NormalDist().inv_cdf(0.5 + self.confidence / 2)


def _parse(model: type[BaseModel], name: str, raw: object) -> BaseModel:
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        path = ".".join(str(p) for p in err["loc"])
        raise StandardError(name, path, str(err["msg"]).replace("Value error, ", "")) from None


@cache
def _packaged(name: str) -> str:
    return files("junheng.analysis").joinpath(name).read_text(encoding="utf-8")


def packaged_text(kind: Literal["questionnaire", "settings"]) -> str:
    return _packaged(f"survey-{kind}.yaml")


def load_questionnaire(path: str | Path | None = None) -> Questionnaire:
    name, text = ("survey-questionnaire.yaml", packaged_text("questionnaire")) if path is None else (
        Path(path).name, Path(path).read_text(encoding="utf-8"))
    return _parse(Questionnaire, name, load_yaml(text))  # type: ignore[return-value]


def load_survey_settings(path: str | Path | None = None) -> SurveySettings:
    name, text = ("survey-settings.yaml", packaged_text("settings")) if path is None else (
        Path(path).name, Path(path).read_text(encoding="utf-8"))
    return _parse(SurveySettings, name, load_yaml(text))  # type: ignore[return-value]


def sample_size(population: int | None, settings: SurveySettings) -> int:
    """n₀ = z²·p(1−p)/e², and with a known population N: n = n₀ / (1 + (n₀ − 1)/N),
    rounded up and never more than N (a small group is surveyed whole)."""
    p, e = settings.expected_share, settings.margin
    n0 = settings.z ** 2 * p * (1 - p) / e ** 2
    if population is None:
        return math.ceil(n0 - 1e-9)
    if population <= 0:
        return 0
    n = n0 / (1 + (n0 - 1) / population)
    return min(population, math.ceil(n - 1e-9))


def codes_to_issue(sample: int, population: int | None, settings: SurveySettings) -> int:
    """Sample ÷ expected response rate, rounded up, never more than the population."""
    n = math.ceil(sample / settings.response_rate - 1e-9)
    return n if population is None else min(population, n)


def allocate(total: int, sizes: dict[str, int]) -> dict[str, int]:
    """Split ``total`` over units in proportion to their sizes (largest remainder;
    ties to the larger unit, then the code); no unit gets more than its size."""
    whole = sum(sizes.values())
    if whole <= 0 or total <= 0:
        return {k: 0 for k in sizes}
    total = min(total, whole)
    quotas = {k: total * v / whole for k, v in sizes.items()}
    out = {k: min(sizes[k], math.floor(q)) for k, q in quotas.items()}
    left = total - sum(out.values())
    order = sorted(sizes, key=lambda k: (-(quotas[k] - math.floor(quotas[k])), -sizes[k], k))
    while left > 0:
        moved = False
        for k in order:
            if left and out[k] < sizes[k]:
                out[k] += 1
                left -= 1
                moved = True
        if not moved:
            break
    return out


@dataclass(slots=True)
class SchoolPopulation:
    school_code: str  # COUNTY_LEVEL for a county-level group
    school_name: str
    group: str
    population: int | None


@dataclass(slots=True)
class PlanRow:
    """One line of the sampling list: a school (or the county) and a group."""

    school_code: str
    school_name: str
    group: str
    population: int | None
    sample: int  # valid questionnaires wanted
    codes: int  # codes to hand out (sample ÷ expected response rate)


@dataclass(slots=True)
class GroupPlan:
    group: str
    population: int | None
    sample: int
    codes: int


@dataclass(slots=True)
class SurveyDesign:
    county_code: str
    county_name: str
    school_year: int
    settings: SurveySettings
    groups: list[GroupPlan]
    rows: list[PlanRow]

    def group(self, gid: str) -> GroupPlan | None:
        return next((g for g in self.groups if g.group == gid), None)


def populations(data: CountyData, settings: SurveySettings) -> list[SchoolPopulation]:
    """Who could answer, school by school: students of the surveyed grades, one parent
    per compulsory-stage student, the school's 义务教育 teachers and its principal;
    county-level groups as the settings give them."""
    out: list[SchoolPopulation] = []
    schools = [s for s in data.schools if s.compulsory_students > 0 and s.school_type is not SchoolType.SPECIAL]
    by_grade: dict[str, int] = {}
    has_classes: set[str] = set()
    for c in data.classes:
        if c.stage in (Stage.PRIMARY, Stage.JUNIOR):
            has_classes.add(c.school_code)
            if c.grade >= settings.student_min_grade:
                by_grade[c.school_code] = by_grade.get(c.school_code, 0) + c.students
    teachers: dict[str, int] = {}
    for t in data.teachers:
        if t.stage in (Stage.PRIMARY, Stage.JUNIOR):
            teachers[t.school_code] = teachers.get(t.school_code, 0) + 1
    for g in settings.groups:
        if g not in SCHOOL_GROUPS:
            out.append(SchoolPopulation(COUNTY_LEVEL, COUNTY_LEVEL_ZH, g, settings.populations.get(g)))
            continue
        for s in schools:
            if g == "students":
                n = by_grade.get(s.code, 0) if s.code in has_classes else s.compulsory_students
            elif g == "parents":
                n = s.compulsory_students
            elif g == "teachers":
                n = teachers.get(s.code, 0)
            else:
                n = 1
            out.append(SchoolPopulation(s.code, s.name, g, n))
    return out


def design_survey(data: CountyData, settings: SurveySettings) -> SurveyDesign:
    """Each group's sample for the margin and confidence, spread over the schools in
    proportion to their populations."""
    pops = populations(data, settings)
    groups: list[GroupPlan] = []
    rows: list[PlanRow] = []
    for g in settings.groups:
        mine = [p for p in pops if p.group == g]
        known = all(p.population is not None for p in mine)
        total = sum(p.population or 0 for p in mine) if known else None
        n = sample_size(total, settings)
        if len(mine) == 1:
            shares = {mine[0].school_code: n}
        else:
            shares = allocate(n, {p.school_code: p.population or 0 for p in mine})
        # Each school hands out codes for its own share (so no school with a share has none).
        mine_rows = [PlanRow(p.school_code, p.school_name, g, p.population, shares[p.school_code],
                             codes_to_issue(shares[p.school_code], p.population, settings)) for p in mine]
        groups.append(GroupPlan(g, total, n, sum(r.codes for r in mine_rows)))
        rows += mine_rows
    return SurveyDesign(data.county.code, data.county.name, data.county.school_year, settings, groups, rows)
