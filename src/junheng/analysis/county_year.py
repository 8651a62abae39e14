"""The yearly figures of one county-year (班额, 学位, teachers, funding, rotation,
evaluation counts), computed once when it is stored; trends and region views read
only these. 学位 and 大班额 use the same definitions as :mod:`junheng.analysis.places`.
"""

from __future__ import annotations

from typing import Any

from junheng.analysis.factsheet import build_factsheet
from junheng.analysis.factsheet_funding import STAGE_FUNDING_IDS, declared_prev
from junheng.analysis.factsheet_health import TREND_IDS as HEALTH_TREND_IDS
from junheng.analysis.measures import upgrade_figures
from junheng.analysis.places import PlacesSettings
from junheng.analysis.scopes import scoped_figures
from junheng.core.facts import CountyData, Stage
from junheng.core.result import Evaluation
from junheng.core.yearly import MonitoringRules, jsonable

COMPULSORY = (Stage.PRIMARY, Stage.JUNIOR)
PRESCHOOL_STANDARD = "xqpp-2020"


def places_settings(rules: MonitoringRules) -> PlacesSettings:
    return PlacesSettings(
        class_size={st: rules.standard_class_size[st] for st in COMPULSORY},
        large_from=rules.class_size.large.min,
        super_large_from=rules.class_size.super_large.min,
    )


def _fact_number(facts: dict[str, Any], key: str) -> float | None:
    v = facts.get(key)
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


def summarise(data: CountyData, ev: Evaluation, rules: MonitoringRules, *,
              keep_scoped: bool = False) -> dict[str, Any]:
    """The yearly figures of one county-year (counts, not shares: shares are derived).

    The figures of each group and township (:func:`year_scoped_figures`) cost more than
    the evaluation itself and only targets read them, so they are made when asked for,
    from the stored rows (services.targets). ``keep_scoped`` stores them with the year
    instead: for a user's own standard, which cannot be loaded again later."""
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

    # Counts come from the fact sheet, so trends, dashboards and reports print one figure.
    places = places_settings(rules)
    fs = build_factsheet(data, ev, preschool_evaluation(data), places=places)
    n = fs.count
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
        "schools": n("schools"),
        "students": n("students"),
        "classes": n("classes"),
        "large_classes": n("large_classes"),
        "super_large_classes": n("super_large_classes"),
        "capacity": n("capacity"),
        "teachers": n("teachers"),
        "backbone_teachers": n("backbone_teachers"),
        "above_degree_teachers": n("above_degree_teachers"),
        "rotation": {"eligible": n("rotation_eligible"), "rotated": n("rotated"),
                     "backbone_rotated": n("rotated_backbone")},
        "spending": fs.value("spending"),
        "spending_prev_declared": _fact_number(facts, "edu_spending_prev"),
        "students_total": _fact_number(facts, "students_total"),
        "students_total_prev_declared": _fact_number(facts, "students_total_prev"),
        # Every figure of the year's fact sheet (issue 15: targets and progress read these;
        # they are never computed a second way).
        "figures": {fid: f.value for fid, f in fs.figures.items()},
        "figure_names": {fid: f.definition.name for fid, f in fs.figures.items()
                         if fid.startswith(("cv.", "indicator.", "item."))},
        # 学生健康 rates as the fact sheet has them (None without the sheet)
        "health": {k: fs.value(k) for k in HEALTH_TREND_IDS},
        # 分学段生均经费 (F3, F4) as the fact sheet has them, and this year's declared 上年 numbers
        "stage_funding": {k: fs.value(k) for k in STAGE_FUNDING_IDS},
        "stage_funding_prev_declared": declared_prev(data),
    } | ({"scoped_figures": year_scoped_figures(data, ev, rules)} if keep_scoped else {}))


def year_scoped_figures(data: CountyData, ev: Evaluation, rules: MonitoringRules) -> dict[str, dict[str, Any]]:
    """``{scope: {figure id: value}}`` of every group and township of the county-year:
    the year's fact sheet made on each part (:func:`junheng.analysis.scopes.scoped_figures`)."""
    places = places_settings(rules)
    return jsonable(scoped_figures(data, ev, lambda d, e: build_factsheet(d, e, places=places)))


def with_stage_funding(summary: dict[str, Any]) -> dict[str, Any]:
    """A stored summary with ``stage_funding`` for the trends: one stored before it was
    kept takes it from its ``figures`` (under today's ids: ``measures.upgrade_figures``)."""
    if "stage_funding" in summary:
        return summary
    figures = upgrade_figures(summary.get("figures") or {})
    return {**summary, "stage_funding": {k: figures.get(k) for k in STAGE_FUNDING_IDS}}


def preschool_evaluation(data: CountyData) -> Evaluation | None:
    """The xqpp-2020 evaluation when the 幼儿园 sheet is filled (毛入园率, 普惠率 figures)."""
    if not data.extra_tables.get("kindergartens"):
        return None
    from junheng.core.engine import evaluate
    from junheng.standards import load_standard

    return evaluate(data, load_standard(PRESCHOOL_STANDARD))
