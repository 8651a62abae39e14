"""The workbook template as data: sheets, headers, aliases, types, units, enumerations.

One YAML file per template version (``county-v1.yaml``). The importer, the template
writer and the sample writer all read the same :class:`TemplateSpec`.
"""

from __future__ import annotations

import re
import unicodedata
from fractions import Fraction
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from junheng.core.yamltext import load_yaml

FieldType = Literal["text", "code", "int", "number", "bool", "enum"]


class FieldSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    header: str
    type: FieldType
    required: bool = False
    aliases: tuple[str, ...] = ()
    enum: str | None = None  # name of a mapping in TemplateSpec.enums
    digits: int | None = None  # codes: exact number of digits
    min: float | None = None
    max: float | None = None
    exclusive_min: bool = False
    unit: str | None = None
    note: str | None = None
    references: str | None = None  # table key whose school_code must exist
    feeds: str | None = None  # item id(s) this county fact feeds
    max_field: str | None = None  # value must not exceed this other field's value

    @property
    def display_header(self) -> str:
        """The header as written in the template: 面积（㎡）."""
        return f"{self.header}（{self.unit}）" if self.unit else self.header


class SheetSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    name: str
    layout: Literal["table", "key_value"]
    fields: tuple[FieldSpec, ...]
    unique: tuple[str, ...] = ()
    required: bool = True  # a missing sheet is an error (else a warning)
    # A supplementary sheet (kindergartens, …) may be left out without any issue: its
    # data are then unknown, and only the standards that need them say so.
    supplementary: bool = False
    min_rows: int = 0  # fewer data rows than this is an error
    key_header: str | None = None
    value_header: str | None = None

    def field(self, key: str) -> FieldSpec:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


class UnitFactor(BaseModel):
    """A value in ``source`` units times ``factor`` is the value in ``target`` units."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    source: str = Field(alias="from")
    target: str = Field(alias="to")
    factor: Fraction

    @field_validator("factor", mode="before")
    @classmethod
    def _fraction(cls, value: Any) -> Fraction:
        # "1/10000" stays exact (a float 0.0001 is not); 2000/3 (亩 → ㎡) too.
        try:
            factor = Fraction(str(value).replace(" ", ""))
        except (ValueError, ZeroDivisionError) as exc:
            raise ValueError(f"换算系数应为数或分数（如 1/10000）：{value}") from exc
        if factor <= 0:
            raise ValueError(f"换算系数应大于 0：{value}")
        return factor


class RangeGuard(BaseModel):
    """A cell outside [min, max] is implausible: an error until a user confirms it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sheet: str  # sheet key
    field: str
    min: float | None = None
    max: float | None = None


class PerStudentGuard(BaseModel):
    """A school's figure per student (小学+初中): ``field`` × ``scale`` / students, or
    its number of ``count`` records (teachers) × ``scale`` / students."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    label: str
    unit: str
    field: str | None = None  # a 学校 column; else ``count``
    count: Literal["teachers"] | None = None
    scale: float = 1
    min: float | None = None
    max: float | None = None
    min_students: int = 1  # smaller schools: no ratio worth judging
    except_types: tuple[str, ...] = ()  # school_type codes the ratio does not fit (special)

    @model_validator(mode="after")
    def _one_source(self) -> PerStudentGuard:
        if (self.field is None) == (self.count is None):
            raise ValueError(f"{self.key}: field 与 count 须且只须给出一个")
        return self


class PlausibilityGuards(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    ranges: tuple[RangeGuard, ...] = ()
    per_student: tuple[PerStudentGuard, ...] = ()
    # 生均一般公共预算教育经费 typed vs computed from 一般公共预算教育支出 ÷ 在校生: the
    # relative gap (to the typed number) above which intake warns; None: no check.
    per_student_spending_tolerance: float | None = 0.05


class TemplateSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    version: int
    title: str
    bool_true: tuple[str, ...]
    bool_false: tuple[str, ...]
    # Other spellings of the units used in headers: unit -> aliases (see importer).
    unit_aliases: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    unit_factors: tuple[UnitFactor, ...] = ()
    plausibility: PlausibilityGuards = Field(default_factory=PlausibilityGuards)
    enums: dict[str, dict[str, str]] = Field(default_factory=dict)
    sheets: tuple[SheetSpec, ...]

    @model_validator(mode="after")
    def _known_units(self) -> TemplateSpec:
        for f in self.unit_factors:
            for unit in (f.source, f.target):
                if unit not in self.unit_aliases:
                    raise ValueError(f"unit_factors: 单位「{unit}」不在 unit_aliases 中")
        keys = {s.key: {f.key for f in s.fields} for s in self.sheets}
        for g in self.plausibility.ranges:
            if g.field not in keys.get(g.sheet, ()):
                raise ValueError(f"plausibility.ranges: 没有 {g.sheet}.{g.field}")
        for p in self.plausibility.per_student:
            if p.field is not None and p.field not in keys.get("schools", ()):
                raise ValueError(f"plausibility.per_student: 没有 schools.{p.field}")
        return self

    def unit_factor(self, source: str, target: str) -> Fraction | None:
        """The factor from ``source`` to ``target`` units (1 for the same unit), or None."""
        if source == target:
            return Fraction(1)
        for f in self.unit_factors:
            if (f.source, f.target) == (source, target):
                return f.factor
            if (f.source, f.target) == (target, source):
                return 1 / f.factor
        return None

    def sheet(self, key: str) -> SheetSpec:
        for s in self.sheets:
            if s.key == key:
                return s
        raise KeyError(key)

    def enum_labels(self, name: str) -> list[str]:
        """Chinese labels of an enumeration, in template order (for dropdowns)."""
        return list(self.enums[name])

    def enum_label(self, name: str, code: str) -> str:
        """Chinese label of an enum code: ('school_type', 'nine_year') -> 九年一贯制学校."""
        for label, value in self.enums[name].items():
            if value == code:
                return label
        raise KeyError(f"{name}: {code}")


class TemplateSpecError(ValueError):
    """A template spec file is malformed (a bug in a shipped file or a user's own)."""


_UNIT_SUFFIX = re.compile(r"[（(][^（）()]*[)）]\s*$")


def normalize_header(text: Any) -> str:
    """Normalise a header for matching: NFKC (full-width → half-width), trim, drop a
    trailing bracketed unit and inner spaces. ``" 面积（㎡） "`` → ``"面积"``."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text)).strip()
    # NFKC maps ㎡ to "m2" and （ to (; drop one trailing "(unit)".
    s = _UNIT_SUFFIX.sub("", s).strip()
    return re.sub(r"\s+", "", s)


def load_template_spec(path: str | Path | None = None) -> TemplateSpec:
    """Load a template spec; the shipped ``county-v1.yaml`` by default."""
    if path is None:
        return _default_spec()
    return _parse(Path(path).read_text(encoding="utf-8"), str(path))


@lru_cache(maxsize=1)
def _default_spec() -> TemplateSpec:
    text = resources.files("junheng.templates").joinpath("county-v1.yaml").read_text("utf-8")
    return _parse(text, "county-v1.yaml")


def _parse(text: str, origin: str) -> TemplateSpec:
    try:
        raw = load_yaml(text)
        return TemplateSpec.model_validate(raw)
    except (yaml.YAMLError, ValidationError) as exc:
        raise TemplateSpecError(f"模板定义文件 {origin} 有误：{exc}") from exc
