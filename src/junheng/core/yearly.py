"""What one county-year keeps in history: the monitoring rules of the yearly figures
(monitoring.yaml) and a compact, JSON-able evaluation document stored at import time,
so that trends over years and city/province views never re-evaluate anything.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict

from junheng.core.facts import Degree, Stage
from junheng.core.result import Evaluation


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SizeRange(_Strict):
    min: int
    max: int | None = None

    def contains(self, n: int) -> bool:
        return n >= self.min and (self.max is None or n <= self.max)


class ClassSizeRules(_Strict):
    large: SizeRange
    super_large: SizeRange
    source: str | None = None


class RotationRules(_Strict):
    min_share: float
    min_backbone_share: float
    source: str | None = None


class MonitoringRules(_Strict):
    """Thresholds of the yearly monitoring (monitoring.yaml), kept out of the code."""

    id: str = "monitoring"
    class_size: ClassSizeRules
    standard_class_size: dict[Stage, int]
    above_required_degree: dict[Stage, frozenset[Degree]]
    rotation: RotationRules


def jsonable(value: Any) -> Any:
    """Plain JSON: NaN/inf become None, enums their value, tuples/sets lists."""
    if value is None or type(value) in (bool, str):
        return value
    if isinstance(value, str):  # StrEnum members become their plain value
        return str(value)
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [jsonable(v) for v in value]
    return str(value)


def evaluation_document(ev: Evaluation) -> dict[str, Any]:
    """The evaluation without per-cell provenance: TEMPLATE.md's JSON shape plus the
    Chinese findings, small enough to keep one per stored county-year."""
    return jsonable({
        "standard": ev.standard_id,
        "standard_version": ev.standard_version,
        "standard_title": ev.standard_title,
        "indicators": ev.indicator_meta,  # names, units and thresholds: no standard file needed to show it
        "county_code": ev.county_code,
        "county_name": ev.county_name,
        "school_year": ev.school_year,
        "recognised": ev.recognised,
        "dimensions": {
            k: {"name": d.name, "passed": d.passed, "evaluable": d.evaluable, "message": d.message}
            for k, d in ev.dimensions.items()
        },
        "difference_coefficients": {
            str(stage): {i: d.cv for i, d in per.items()} for stage, per in ev.dispersion.items()
        },
        "dispersion": {
            str(stage): {i: {"cv": d.cv, "limit": d.limit, "passed": d.passed} for i, d in per.items()}
            for stage, per in ev.dispersion.items()
        },
        "schools": [
            {
                "school_code": s.school_code, "name": s.name, "stage": str(s.stage),
                "students": s.students, "met": s.met, "passed": s.passed, "reason": s.reason,
                "indicators": {i: r.value for i, r in s.indicators.items()},
                "indicators_met": {i: r.met for i, r in s.indicators.items()},
            }
            for s in ev.schools
        ],
        "items": {
            i: {"name": r.name, "dimension": r.dimension, "passed": r.passed,
                "evaluable": r.evaluable, "value": r.value, "message": r.message}
            for i, r in ev.items.items()
        },
        "shortfalls": [
            {"item_id": s.item_id, "text": s.text, "school_code": s.school_code,
             "blocking": s.blocking}
            for s in ev.shortfalls
        ],
        "excluded": [{"school_code": e.school_code, "name": e.name, "reason": e.reason} for e in ev.excluded],
    })
