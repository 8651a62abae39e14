"""What one county-year contributes to history: a compact evaluation document and a
summary of the yearly monitoring figures (班额, 学位, teachers, funding, rotation).

Both are plain JSON-able dicts, computed once when a county-year is stored, so that
trends over years and city/province views never re-evaluate anything.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict

from junheng.core.facts import BackboneLevel, CountyData, Degree, Stage
from junheng.core.result import Evaluation

COMPULSORY = (Stage.PRIMARY, Stage.JUNIOR)


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


def _fact_number(facts: dict[str, Any], key: str) -> float | None:
    v = facts.get(key)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


def summarise(data: CountyData, ev: Evaluation, rules: MonitoringRules) -> dict[str, Any]:
    """The yearly figures of one county-year (counts, not shares: shares are derived)."""
    indicator_failures: dict[str, int] = {}
    for s in ev.schools:
        for i, r in s.indicators.items():
            if not r.met:
                indicator_failures[i] = indicator_failures.get(i, 0) + 1
    cv_failures = [
        f"{stage}.{i}" for stage, per in ev.dispersion.items() for i, d in per.items() if d.passed is False
    ]
    cv_passed = {
        str(stage): (None if any(d.passed is None for d in per.values())
                     else all(d.passed for d in per.values()))
        for stage, per in ev.dispersion.items()
    }

    classes = [c for c in data.classes if c.stage in COMPULSORY]
    large = sum(1 for c in classes if rules.class_size.large.contains(c.students))
    super_large = sum(1 for c in classes if rules.class_size.super_large.contains(c.students))
    capacity = sum(rules.standard_class_size.get(c.stage, 0) for c in data.classes)

    teachers = [t for t in data.teachers if t.stage in COMPULSORY]
    above = sum(1 for t in teachers if t.degree in rules.above_required_degree.get(t.stage, ()))
    backbone = sum(1 for t in teachers if t.backbone_level is not BackboneLevel.NONE)
    eligible = sum(1 for t in data.teachers if t.rotation_eligible)
    rotated = [t for t in data.teachers if t.rotated]
    rotated_backbone = sum(1 for t in rotated if t.backbone_level is not BackboneLevel.NONE)

    facts = data.facts
    return jsonable({
        "recognised": ev.recognised,
        "standard": ev.standard_id,
        "dimensions": {k: d.passed for k, d in ev.dimensions.items()},
        "cv": {str(stage): {i: d.cv for i, d in per.items()} for stage, per in ev.dispersion.items()},
        "cv_limit": {str(stage): next((d.limit for d in per.values()), None) for stage, per in ev.dispersion.items()},
        "cv_passed": cv_passed,
        "cv_failures": cv_failures,
        "schools_total": len(ev.schools),
        "schools_passed": sum(1 for s in ev.schools if s.passed),
        "failing_schools": [[s.school_code, str(s.stage)] for s in ev.schools if not s.passed],
        "indicator_failures": indicator_failures,
        "failing_items": sorted(i for i, r in ev.items.items() if r.passed is False),
        "not_evaluable_items": sorted(i for i, r in ev.items.items() if not r.evaluable),
        "schools_in_workbook": len(data.schools),
        "students": sum(s.compulsory_students for s in data.schools),
        "classes": len(classes),
        "large_classes": large,
        "super_large_classes": super_large,
        "capacity": capacity,
        "teachers": len(teachers),
        "backbone_teachers": backbone,
        "above_degree_teachers": above,
        "rotation": {"eligible": eligible, "rotated": len(rotated), "backbone_rotated": rotated_backbone},
        "spending": _fact_number(facts, "edu_spending"),
        "spending_prev_declared": _fact_number(facts, "edu_spending_prev"),
        "students_total": _fact_number(facts, "students_total"),
        "students_total_prev_declared": _fact_number(facts, "students_total_prev"),
    })
