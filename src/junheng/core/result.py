"""The evaluation result: one object that every output renders.

Every number keeps its provenance — the standard's threshold, the formula kind, the
inputs and the cells (``Ref``) they came from — so that any figure on any page can be
explained. Values are unrounded; renderers round half-up for display only
(:func:`display_round`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from junheng.core.facts import Ref, Stage


def display_round(value: float | None, digits: int = 3) -> float | None:
    """Round half-up for display (0.0005 -> 0.001), never used for comparisons."""
    if value is None:
        return None
    q = Decimal(1).scaleb(-digits)
    return float(Decimal(repr(value)).quantize(q, rounding=ROUND_HALF_UP))


@dataclass(slots=True)
class Provenance:
    formula: str  # formula kind id, e.g. "per_students"
    inputs: dict[str, Any] = field(default_factory=dict)  # named input values
    refs: list[Ref] = field(default_factory=list)  # cells the inputs came from
    note: str | None = None  # Chinese explanation, e.g. the split share used

    def to_dict(self) -> dict[str, Any]:
        return {
            "formula": self.formula,
            "inputs": self.inputs,
            "refs": [
                {"sheet": r.sheet, "row": r.row, "column": r.column, "header": r.header}
                for r in self.refs
            ],
            "note": self.note,
        }


@dataclass(slots=True)
class Shortfall:
    """One thing to fix, in real units: "缺体育艺术专任教师 2 名"."""

    item_id: str  # "R3", "G3", "G5" ...
    text: str  # Chinese sentence in real units
    quantity: float  # how much is missing (teachers, ㎡, 元, rooms, students over)
    unit: str  # 名, ㎡, 万元, 间, 人 ...
    school_code: str | None = None  # None for county-level shortfalls
    school_name: str | None = None
    stage: Stage | None = None
    blocking: bool = True  # False: below threshold but the school still passes (6/7 + 85 %)


@dataclass(slots=True)
class IndicatorResult:
    """One resource indicator (R1–R7) of one school part."""

    indicator_id: str
    value: float | None  # None when the part has no students
    threshold: float
    met: bool
    numerator: float
    denominator: float  # students of the part
    provenance: Provenance

    @property
    def ratio(self) -> float | None:
        """value / threshold, e.g. 0.849 for the 85 % clause."""
        if self.value is None or not self.threshold:
            return None
        return self.value / self.threshold


@dataclass(slots=True)
class SchoolResult:
    """One school part in the resource-allocation scope (a 九年一贯制 school gives two)."""

    school_code: str
    name: str
    school_type: str  # SchoolType value
    stage: Stage
    students: int
    indicators: dict[str, IndicatorResult]
    met: int
    passed: bool
    reason: str  # Chinese: why it passes or fails
    urban_rural: str | None = None
    ownership: str | None = None
    share: float = 1.0  # share of shared resources attributed to this part
    row: int = 0


@dataclass(slots=True)
class ExcludedSchool:
    school_code: str
    name: str
    reason: str  # Chinese


@dataclass(slots=True)
class DispersionResult:
    """The 差异系数 of one indicator in one stage."""

    stage: Stage
    indicator_id: str
    cv: float | None  # None when not computable (no schools, zero mean)
    limit: float | None  # None for single CVs under a composite rule (2012)
    passed: bool | None
    county_mean: float | None
    std: float | None
    schools: int  # number of school parts
    students: int
    method: str  # cv_weighting setting used


@dataclass(slots=True)
class ItemResult:
    """A government-guarantee, quality, social or veto item (or any other rule)."""

    item_id: str
    name: str
    dimension: str
    evaluable: bool
    passed: bool | None  # None when not evaluable
    value: Any = None
    threshold: Any = None
    comparison: str | None = None
    message: str = ""  # Chinese: the finding
    provenance: Provenance | None = None
    failures: list[dict[str, Any]] = field(default_factory=list)  # per school/class details
    missing: list[str] = field(default_factory=list)  # keys of missing inputs


@dataclass(slots=True)
class DimensionResult:
    dimension_id: str
    name: str
    passed: bool | None  # None when not evaluable (some item lacks data)
    evaluable: bool
    items: list[str]  # item ids
    message: str = ""
    counts_for_verdict: bool = True  # False: reported but outside 认定 (两个只增不减)


@dataclass(slots=True)
class Evaluation:
    standard_id: str
    standard_version: str
    standard_title: str
    county_code: str
    county_name: str
    school_year: int
    recognised: bool
    dimensions: dict[str, DimensionResult]
    schools: list[SchoolResult]
    dispersion: dict[Stage, dict[str, DispersionResult]]
    items: dict[str, ItemResult]
    shortfalls: list[Shortfall]
    excluded: list[ExcludedSchool]
    settings: dict[str, Any]  # the choices used (README decisions)
    indicator_meta: dict[str, dict[str, Any]]  # id -> name, unit, thresholds per stage
    source: str | None = None
    city: str | None = None
    province: str | None = None
    standard_document: str | None = None  # 文号, e.g. 教督〔2017〕6号
    # The school pass rule used (kind, min_met, floor_ratio, source); renderers need the
    # floor of the 85 % clause to mark cells between it and the threshold.
    school_pass: dict[str, Any] | None = None

    def failing_schools(self) -> list[SchoolResult]:
        return [s for s in self.schools if not s.passed]

    def not_evaluable(self) -> list[ItemResult]:
        return [i for i in self.items.values() if not i.evaluable]
