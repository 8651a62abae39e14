"""What a standard *is*: the declarative model of one official evaluation document.

A standard file (YAML, see ``junheng/standards/yzjh-2017.yaml``) is validated into a
:class:`Standard`. Thresholds, limits and every choice of
``shared/standards/README.md`` live in the file, never in Python. How a rule is
*run* is the business of :mod:`junheng.core.formulas` (item kinds) and
:mod:`junheng.core.quantity` (the small expression language for inputs).
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from junheng.core.facts import SchoolType, Stage


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def invalid(path: str, message: str) -> PydanticCustomError:
    """A semantic error of a standard file, in Chinese, at ``path`` below the model
    that raises it (the loader joins it to pydantic's location to find the YAML line)."""
    return PydanticCustomError("standard", message, {"path": path})


class ScopeSettings(_Strict):
    """Which schools enter the resource-allocation indicators and their CVs, and which
    teachers every teacher-based figure counts (:mod:`junheng.core.scope`)."""

    exclude_school_types: tuple[SchoolType, ...] = (SchoolType.SPECIAL,)
    teaching_point_min_students: int = 50  # a 教学点 with fewer students is left out
    include_private: bool = True
    # Teachers of these stages count in every teacher-based figure (R1–R3, G9, G11,
    # G12): 义务教育 only, so the 高中 teachers of 完全中学 and 十二年一贯制 are out.
    teacher_stages: tuple[Stage, ...] = (Stage.PRIMARY, Stage.JUNIOR)


class Settings(_Strict):
    """The choices of shared/standards/README.md. Every one is recorded in the result."""

    cv_weighting: Literal["student_weighted", "unweighted_population", "unweighted_sample"] = (
        "student_weighted"
    )
    # None: compare unrounded values (default). An integer: round half-up to that many
    # decimals before comparing (some provinces compare the printed value).
    compare_rounded_digits: int | None = None
    display_digits: int = 3
    # Relative tolerance for comparisons at a threshold, so that 450 ㎡ / 100 students
    # meets 4.5 even when binary floating point lands a hair below.
    tolerance: float = 1e-9
    # keep: the indoor gym stays in 教学及辅助用房 (national text silent);
    # move_to_sports: subtract it from R4 and add it to R5 (Shenyang practice).
    indoor_sports: Literal["keep", "move_to_sports"] = "keep"
    scope: ScopeSettings = ScopeSettings()
    # Weights for splitting shared resources of mixed schools, per school type and stage.
    split_weights: dict[SchoolType, dict[Stage, float]] = Field(default_factory=dict)


class ShortfallSpec(_Strict):
    text: str  # "缺体育艺术专任教师 {n} 名"
    unit: str
    decimals: int = 0  # rounding up to this many decimals


class IndicatorSpec(_Strict):
    id: str
    name: str
    short_name: str | None = None
    unit: str
    per: float = 1.0  # 100 for "每百名学生"
    scale: float = 1.0  # 10000 for 万元 -> 元
    # A quantity, or {primary: quantity, junior: quantity}.
    numerator: dict[str, Any]
    thresholds: dict[Stage, float]
    shortfall: ShortfallSpec | None = None
    source: str | None = None

    def numerator_for(self, stage: Stage) -> dict[str, Any]:
        if stage.value in self.numerator:
            return self.numerator[stage.value]
        return self.numerator


class SchoolPassSpec(_Strict):
    kind: Literal["min_met_with_floor", "all_met"] = "min_met_with_floor"
    min_met: int = 6
    floor_ratio: float = 0.85
    source: str | None = None


class DispersionSpec(_Strict):
    kind: Literal["each", "composite_mean"] = "each"
    limits: dict[Stage, float]
    source: str | None = None


class ResourceSpec(_Strict):
    dimension: str = "resource"
    stages: tuple[Stage, ...] = (Stage.PRIMARY, Stage.JUNIOR)
    indicators: tuple[IndicatorSpec, ...]
    school_pass: SchoolPassSpec | None = None
    dispersion: DispersionSpec | None = None

    @model_validator(mode="after")
    def _thresholds_cover_stages(self) -> ResourceSpec:
        for i, ind in enumerate(self.indicators):
            missing = [s.value for s in self.stages if s not in ind.thresholds]
            if missing:
                raise invalid(f"indicators[{i}].thresholds",
                              f"指标 {ind.id} 缺少学段 {missing} 的标准值")
        seen: set[str] = set()
        for i, ind in enumerate(self.indicators):
            if ind.id in seen:
                raise invalid(f"indicators[{i}].id", f"指标编号 {ind.id} 重复")
            seen.add(ind.id)
        if self.dispersion:
            missing = [s.value for s in self.stages if s not in self.dispersion.limits]
            if missing:
                raise invalid("dispersion.limits", f"差异系数缺少学段 {missing} 的上限")
        return self


class ItemSpec(_Strict):
    id: str
    name: str
    dimension: str
    kind: str
    params: dict[str, Any] = Field(default_factory=dict)
    evidence: bool = False  # judged on uploaded evidence (佐证材料)
    source: str | None = None


class DimensionSpec(_Strict):
    id: str
    name: str
    counts_for_verdict: bool = True
    description: str | None = None


class Standard(_Strict):
    id: str
    version: str
    title: str
    document: str | None = None
    issuer: str | None = None
    year: int | None = None
    based_on: str | None = None  # id of the standard a user's copy was made from
    settings: Settings = Settings()
    dimensions: tuple[DimensionSpec, ...]
    resource: ResourceSpec | None = None
    items: tuple[ItemSpec, ...] = ()

    @field_validator("items")
    @classmethod
    def _unique_ids(cls, items: tuple[ItemSpec, ...]) -> tuple[ItemSpec, ...]:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item.id in seen:
                raise invalid(f"[{i}].id", f"项目编号 {item.id} 重复")
            seen.add(item.id)
        return items

    @model_validator(mode="after")
    def _dimensions_known(self) -> Standard:
        known = {d.id for d in self.dimensions}
        listed = "、".join(sorted(known))
        for i, item in enumerate(self.items):
            if item.dimension not in known:
                raise invalid(f"items[{i}].dimension",
                              f"项目 {item.id} 的维度 {item.dimension!r} 未在 dimensions 中定义（已定义：{listed}）")
        if self.resource and self.resource.dimension not in known:
            raise invalid("resource.dimension",
                          f"维度 {self.resource.dimension!r} 未在 dimensions 中定义（已定义：{listed}）")
        return self

    def dimension(self, dim_id: str) -> DimensionSpec:
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(dim_id)

    def item(self, item_id: str) -> ItemSpec:
        for i in self.items:
            if i.id == item_id:
                return i
        raise KeyError(item_id)

    def indicator(self, ind_id: str) -> IndicatorSpec:
        assert self.resource is not None
        for i in self.resource.indicators:
            if i.id == ind_id:
                return i
        raise KeyError(ind_id)
