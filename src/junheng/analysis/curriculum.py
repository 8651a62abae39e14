"""The national curriculum's weekly periods per subject and grade (义务教育课程方案
2022), read from a data file: what the programme itself says (weeks, weekly totals,
nine-year ranges per group of subjects) and the weekly table junheng derives from it.

``weekly_hours(curriculum, method)`` gives periods per week per subject and grade:
``table`` reads the file's weekly table; ``midpoint`` takes each group's midpoint share
of the nine-year total, spread evenly over the weeks of the grades that group is
taught in (split between the group's subjects in the table's proportions).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

from junheng.core.errors import SupplySettingsError
from junheng.core.yamltext import load_yaml

GRADES = 9
Method = Literal["table", "midpoint"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Group(_Strict):
    name: str
    min: float = Field(ge=0, le=100)  # % of the nine-year total
    max: float = Field(ge=0, le=100)
    subjects: tuple[str, ...]


class Programme(_Strict):
    weeks: tuple[int, ...] = Field(min_length=GRADES, max_length=GRADES)
    weekly_total: tuple[int, ...] = Field(min_length=GRADES, max_length=GRADES)
    total_hours: int = Field(gt=0)
    groups: tuple[Group, ...]


class Subject(_Strict):
    name: str
    weekly: tuple[float, ...] = Field(min_length=GRADES, max_length=GRADES)
    aliases: tuple[str, ...] = ()
    staffed: bool = True  # False: taught by teachers of other subjects (兼任)


class Curriculum(_Strict):
    id: str
    title: str
    source: str
    year: int
    programme: Programme
    subjects: tuple[Subject, ...]
    _alias_map: dict[str, str] | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _consistent(self) -> Curriculum:
        names = [s.name for s in self.subjects]
        if len(set(names)) != len(names):
            raise ValueError("subjects 中有重复的科目名称")
        for g in self.programme.groups:
            for s in g.subjects:
                if s not in names:
                    raise ValueError(f"科目组「{g.name}」的科目「{s}」不在 subjects 中")
        seen: dict[str, str] = {}
        for s in self.subjects:
            for a in (s.name, *s.aliases):
                if seen.setdefault(a, s.name) != s.name:
                    raise ValueError(f"写法「{a}」同时属于「{seen[a]}」和「{s.name}」")
        return self

    def subject_for(self, written: str) -> str | None:
        """The curriculum subject a teacher's 任教学科 names (None: not one of them)."""
        return self.aliases().get(written.strip().replace(" ", ""))

    def aliases(self) -> dict[str, str]:
        """Every accepted spelling -> its subject (built once per curriculum object)."""
        if self._alias_map is None:
            self._alias_map = {a: s.name for s in self.subjects for a in (s.name, *s.aliases)}
        return self._alias_map

    def group_of(self, subject: str) -> Group | None:
        return next((g for g in self.programme.groups if subject in g.subjects), None)


@cache
def _packaged() -> Curriculum:
    text = files("junheng.analysis").joinpath("curriculum-2022.yaml").read_text(encoding="utf-8")
    return _build("curriculum-2022.yaml", text)


def load_curriculum(path: str | Path | None = None) -> Curriculum:
    if path is None:
        return _packaged()
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SupplySettingsError(f"找不到课时表文件：{p}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SupplySettingsError(f"无法读取课时表文件 {p.name}（{exc}）") from None
    return _build(p.name, text)


def _build(name: str, text: str) -> Curriculum:
    try:
        raw = load_yaml(text)
    except yaml.YAMLError as exc:
        raise SupplySettingsError(f"课时表文件 {name} 不是有效的 YAML：{exc}") from None
    try:
        return Curriculum.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "（顶层）"
        detail = str(first.get("msg", "")).removeprefix("Value error, ")
        raise SupplySettingsError(f"课时表文件 {name} 的 {where} 有误：{detail}") from None


def weekly_hours(c: Curriculum, method: Method = "table") -> dict[str, tuple[float, ...]]:
    """Periods per week of each subject in grades 1–9."""
    table = {s.name: tuple(float(h) for h in s.weekly) for s in c.subjects}
    if method == "table":
        return table
    weeks = c.programme.weeks
    out = dict(table)
    for g in c.programme.groups:
        grades = [i for i in range(GRADES) if any(table[s][i] > 0 for s in g.subjects)]
        span = sum(weeks[i] for i in grades)
        if not span:
            continue
        per_week = (g.min + g.max) / 200 * c.programme.total_hours / span  # the group's periods each week
        for i in range(GRADES):
            in_grade = sum(table[s][i] for s in g.subjects)
            for s in g.subjects:
                out_s = list(out[s])
                out_s[i] = per_week * table[s][i] / in_grade if in_grade else 0.0
                out[s] = tuple(out_s)
    return out


def nine_year_hours(c: Curriculum, hours: dict[str, tuple[float, ...]]) -> dict[str, float]:
    """Each subject's periods over the nine years (weekly × weeks)."""
    weeks = c.programme.weeks
    return {s: sum(h[i] * weeks[i] for i in range(GRADES)) for s, h in hours.items()}
