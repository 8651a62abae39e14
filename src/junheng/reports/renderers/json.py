"""The evaluation as JSON (``junheng evaluate --format json``).

The keys of TEMPLATE.md's "The evaluation result" come first with exactly its names
and meanings (unrounded values, stages as "primary"/"junior"); everything else —
names, thresholds, limits, findings, shortfalls, excluded schools, the settings and
the provenance of every figure, and (``figures``) the county-year fact sheet — is added next to them, so a program that reads only
the required keys never sees a difference.
"""

from __future__ import annotations

import json as _json
from typing import Any

from junheng.analysis.factsheet import FactSheet
from junheng.core.result import Evaluation, IndicatorResult, ItemResult, SchoolResult
from junheng.core.yearly import jsonable
from junheng.reports import numbers as fmt

FORMAT_VERSION = 1


def evaluation_to_dict(ev: Evaluation) -> dict[str, Any]:
    return jsonable({
        # Required by TEMPLATE.md.
        "standard": ev.standard_id,
        "county_code": ev.county_code,
        "school_year": ev.school_year,
        "recognised": ev.recognised,
        "dimensions": {
            k: {"passed": d.passed, "name": d.name, "evaluable": d.evaluable,
                "counts_for_verdict": d.counts_for_verdict, "items": d.items, "message": d.message}
            for k, d in ev.dimensions.items()
        },
        "difference_coefficients": {
            str(stage): {i: d.cv for i, d in per.items()} for stage, per in ev.dispersion.items()
        },
        "schools": [_school(s) for s in ev.schools],
        "items": {i: _item(r) for i, r in ev.items.items()},
        # Added.
        "format_version": FORMAT_VERSION,
        "standard_version": ev.standard_version,
        "standard_title": ev.standard_title,
        "standard_document": ev.standard_document,
        "county_name": ev.county_name,
        "city": ev.city,
        "province": ev.province,
        "source": ev.source,
        "dispersion": {
            str(stage): {
                i: {"cv": d.cv, "limit": d.limit, "passed": d.passed, "county_mean": d.county_mean,
                    "std": d.std, "schools": d.schools, "students": d.students, "method": d.method}
                for i, d in per.items()
            }
            for stage, per in ev.dispersion.items()
        },
        "indicators": ev.indicator_meta,
        "school_pass": ev.school_pass,
        "shortfalls": [
            {"item_id": s.item_id, "text": s.text, "quantity": s.quantity, "unit": s.unit,
             "school_code": s.school_code, "school_name": s.school_name, "stage": s.stage,
             "blocking": s.blocking}
            for s in ev.shortfalls
        ],
        "excluded": [{"school_code": e.school_code, "name": e.name, "reason": e.reason}
                     for e in ev.excluded],
        "settings": ev.settings,
    })


def facts_to_dict(facts: FactSheet) -> dict[str, Any]:
    """The fact sheet's figures: unrounded ``value`` and the ``shown`` text every report prints."""
    return jsonable({k: {**f.to_dict(), "shown": fmt.shown(f)} for k, f in facts.figures.items()})


def evaluation_to_json(ev: Evaluation, indent: int | None = 2, *, plan: dict[str, Any] | None = None,
                       trend: dict[str, Any] | None = None, facts: FactSheet | None = None) -> str:
    """UTF-8 text with the Chinese as typed (ensure_ascii off); NaN never appears.
    ``plan``: a plan section's dict (``PlanSection.as_dict()``), kept under "plan";
    ``trend``: the county's years (``TrendSection.as_dict()``), kept under "trend"."""
    doc = evaluation_to_dict(ev)
    if facts is not None:
        doc["figures"] = facts_to_dict(facts)
    if trend is not None:
        doc["trend"] = trend
    if plan is not None:
        doc["plan"] = plan
    return _json.dumps(doc, ensure_ascii=False, indent=indent, allow_nan=False)


def _school(s: SchoolResult) -> dict[str, Any]:
    return {
        "school_code": s.school_code,
        "stage": s.stage,
        "students": s.students,
        "indicators": {i: r.value for i, r in s.indicators.items()},
        "met": s.met,
        "passed": s.passed,
        "name": s.name,
        "school_type": s.school_type,
        "urban_rural": s.urban_rural,
        "ownership": s.ownership,
        "share": s.share,
        "row": s.row or None,
        "reason": s.reason,
        "indicator_details": {i: _indicator(r) for i, r in s.indicators.items()},
    }


def _indicator(r: IndicatorResult) -> dict[str, Any]:
    return {"value": r.value, "threshold": r.threshold, "met": r.met, "ratio": r.ratio,
            "numerator": r.numerator, "denominator": r.denominator,
            "provenance": r.provenance.to_dict()}


def _item(r: ItemResult) -> dict[str, Any]:
    return {
        "passed": r.passed,
        "evaluable": r.evaluable,
        "value": r.value,
        "name": r.name,
        "dimension": r.dimension,
        "threshold": r.threshold,
        "comparison": r.comparison,
        "message": r.message,
        "missing": r.missing,
        "failures": r.failures,
        "provenance": r.provenance.to_dict() if r.provenance else None,
    }
