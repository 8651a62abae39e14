"""What the dashboards show, read from the evaluation stored with each county-year
(never re-evaluated on a page view): the verdict and its dimensions, the CVs against
their limits, the school × indicator matrix, the schools furthest from passing, the
trend over years, one school's page, and a city or province overview.

A stored county-year never changes (a re-import is a new version), so a view built
from one is cached by its id.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, select

from junheng.core.errors import NotFoundError
from junheng.core.facts import STAGE_ZH, Stage
from junheng.core.standard import Standard
from junheng.reports import numbers as fmt
from junheng.services.accounts import Principal, Role, require
from junheng.services.trends import region_view
from junheng.standards import load_standard, shipped_standards
from junheng.storage import repository as repo
from junheng.storage.engine import read_connection
from junheng.storage.models import CountyYear

FURTHEST = 10  # schools listed as furthest from passing
# Who reads county lists and regions (a clerk its school only, a 安全审计员 the audit log only).
READER_ROLES = (Role.ADMIN, Role.SUPERVISOR, Role.COUNTY_ADMIN, Role.VIEWER)


def _stage_zh(stage: str) -> str:
    try:
        return STAGE_ZH[Stage(stage)]
    except ValueError:
        return stage


def _standard(standard_id: str) -> Standard | None:
    try:
        return load_standard(standard_id)
    except Exception:  # noqa: BLE001 - a user's standard file gone since: show without thresholds
        return None


def county_years(engine: Engine, actor: Principal, county_code: str) -> list[repo.VersionInfo]:
    require(actor.can_read_county(county_code), "查看该县区")
    with read_connection(engine) as conn:
        return repo.county_years(conn, county_code)


def county_dashboard(engine: Engine, actor: Principal, county_code: str,
                     school_year: int | None = None) -> dict[str, Any]:
    require(actor.can_read_county(county_code), "查看该县区的数据")
    with read_connection(engine) as conn:
        years = repo.county_years(conn, county_code)
        if not years:
            raise NotFoundError(f"数据库中还没有县区 {county_code} 的数据")
        info = years[-1] if school_year is None else next(
            (y for y in years if y.school_year == school_year), None)
        if info is None:
            raise NotFoundError(f"数据库中没有县区 {county_code} {school_year} 学年的数据")
    view = _cached_view(engine, info.id)
    trend = [_trend_point(engine, y.id) for y in years]
    return {**view, "years": [y.school_year for y in years], "trend": trend,
            "imported_at": info.imported_at.isoformat(), "imported_by": info.imported_by}


@lru_cache(maxsize=4096)
def _trend_point(engine: Engine, county_year_id: int) -> dict[str, Any]:
    """One stored year's point of the dashboard trend (a stored version never changes)."""
    with read_connection(engine) as conn:
        s = repo.load_summary(conn, county_year_id)
    return {"school_year": s.school_year, "version": s.version, "recognised": s.recognised,
            "schools_total": s.summary["schools_total"], "schools_passed": s.summary["schools_passed"],
            "failing_items": len(s.summary["failing_items"]), "cv": s.summary.get("cv", {})}


@lru_cache(maxsize=256)
def _cached_view(engine: Engine, county_year_id: int) -> dict[str, Any]:
    with read_connection(engine) as conn:
        snap = repo.load_snapshot(conn, county_year_id)
        version = conn.execute(select(CountyYear.version).where(CountyYear.id == county_year_id)).scalar_one()
    return build_view(snap.result, {"county_year_id": county_year_id, "version": version})


def build_view(doc: dict[str, Any], meta: dict[str, Any]) -> dict[str, Any]:
    """The dashboard of one stored evaluation document (core.yearly.evaluation_document)."""
    stored = doc.get("indicators")  # kept with the evaluation since a user's standard may be gone
    std = None if stored is not None else _standard(doc["standard"])  # older snapshots
    if stored is None and std is not None and std.resource is not None:
        stored = {ind.id: {"name": ind.name, "short_name": ind.short_name or ind.name, "unit": ind.unit,
                           "thresholds": {str(k): v for k, v in ind.thresholds.items()}}
                  for ind in std.resource.indicators}
    indicators = [{"id": i, "name": m["name"], "short_name": m.get("short_name") or m["name"],
                   "unit": m.get("unit"), "thresholds": m.get("thresholds", {})}
                  for i, m in (stored or {}).items()]
    thresholds: dict[str, dict[str, float]] = {i["id"]: i["thresholds"] for i in indicators}
    dispersion = []
    for stage, per in doc.get("dispersion", {}).items():
        dispersion.append({
            "stage": stage, "stage_zh": _stage_zh(stage),
            "limit": next((d["limit"] for d in per.values() if d["limit"] is not None), None),
            "indicators": [{"id": i, "cv": d["cv"], "limit": d["limit"], "passed": d["passed"]}
                           for i, d in per.items()],
        })
    schools = []
    for s in doc.get("schools", []):
        cells = []
        deficit = 0.0
        for ind_id, value in s["indicators"].items():
            limit = thresholds.get(ind_id, {}).get(s["stage"])
            ratio = None if value is None or not limit else value / limit
            met = s["indicators_met"].get(ind_id)
            if met is False and ratio is not None:
                deficit += max(0.0, 1 - ratio)
            cells.append({"id": ind_id, "value": value, "threshold": limit, "ratio": ratio, "met": met})
        schools.append({"code": s["school_code"], "name": s["name"], "stage": s["stage"],
                        "stage_zh": _stage_zh(s["stage"]), "students": s["students"], "met": s["met"],
                        "passed": s["passed"], "reason": s["reason"], "cells": cells,
                        "deficit": deficit})
    furthest = sorted((s for s in schools if not s["passed"]),
                      key=lambda s: (s["met"], -s["deficit"], s["code"]))[:FURTHEST]
    items = [{"id": i, **r} for i, r in doc.get("items", {}).items()]
    return {
        "county_code": doc["county_code"], "county_name": doc["county_name"],
        "school_year": doc["school_year"], "standard": doc["standard"],
        "standard_title": doc.get("standard_title") or (std.title if std else doc["standard"]),
        "standard_version": doc.get("standard_version"),
        # snapshots stored before the origin was recorded: a shipped id is a shipped standard
        "standard_custom": doc.get("standard_custom", doc["standard"] not in shipped_standards()),
        "standard_based_on": doc.get("standard_based_on"),
        "recognised": doc["recognised"], "version": meta["version"],
        "county_year_id": meta["county_year_id"],
        "dimensions": [{"id": k, **d} for k, d in doc.get("dimensions", {}).items()],
        "dispersion": dispersion, "indicators": indicators, "schools": schools,
        "schools_total": len(schools), "schools_passed": sum(1 for s in schools if s["passed"]),
        "furthest": furthest, "items": items,
        "failing_items": [i for i in items if i["passed"] is False],
        "not_evaluable_items": [i for i in items if not i["evaluable"]],
        "shortfalls": doc.get("shortfalls", []), "excluded": doc.get("excluded", []),
    }


def school_page(engine: Engine, actor: Principal, county_code: str, school_code: str,
                school_year: int | None = None) -> dict[str, Any]:
    """One school: its parts' indicators, its shortfalls, and its history over years."""
    require(actor.can_read_school(county_code, school_code), "查看该学校的数据")
    with read_connection(engine) as conn:
        years = repo.county_years(conn, county_code)
    if not years:
        raise NotFoundError(f"数据库中还没有县区 {county_code} 的数据")
    history = []
    current = None
    for info in years:
        view = _cached_view(engine, info.id)
        parts = [s for s in view["schools"] if s["code"] == school_code]
        shortfalls = [f for f in view["shortfalls"] if f.get("school_code") == school_code]
        if parts or shortfalls:
            history.append({"school_year": info.school_year, "passed": all(p["passed"] for p in parts),
                            "parts": parts, "shortfalls": shortfalls})
        if school_year is None or info.school_year == school_year:
            current = (info, view, parts, shortfalls)
    if current is None or not (current[2] or current[3]):
        raise NotFoundError(f"县区 {county_code} 没有学校 {school_code} 的评估数据")
    info, view, parts, shortfalls = current
    return {"county_code": county_code, "county_name": view["county_name"],
            "school_code": school_code, "name": parts[0]["name"] if parts else school_code,
            "school_year": info.school_year, "parts": parts, "shortfalls": shortfalls,
            "indicators": view["indicators"], "history": history}


def region_overview(engine: Engine, actor: Principal, code: str,
                    school_year: int | None = None) -> dict[str, Any]:
    """Counties of a city or province by verdict and by distance to passing."""
    require(actor.role in READER_ROLES, "查看地区概览")
    view = region_view(engine, code, school_year)
    require(actor.can_read_region(view.code), "查看该地区")
    return {
        "code": view.code, "level": view.level, "name": view.name, "school_year": view.school_year,
        "counties": [{"county_code": c.county_code, "county_name": c.county_name,
                      "recognised": c.recognised, "distance": c.distance,
                      "schools_total": c.schools_total, "schools_passed": c.schools_passed,
                      "failing_items": c.failing_items, "cv_failures": c.cv_failures}
                     for c in view.counties],
        "item_failures": [{"id": i, "name": view.item_names.get(i, i), "counties": n}
                          for i, n in view.item_failures],
        "recognised": len(view.recognised), "total": len(view.counties),
    }


def _rounded(value: float | None, kind: str) -> float | None:
    """A chart figure rounded as every output prints it (:func:`junheng.reports.numbers.rounded`:
    half-up, places per kind) — 0.0445 is 0.045 in the chart, the tooltip and the reports."""
    return None if value is None else float(fmt.rounded(value, fmt.places(kind)))


def chart_data(view: dict[str, Any]) -> dict[str, Any]:
    """The series the dashboard's charts draw (CVs against limits, the trend)."""
    labels = [i["short_name"] for i in view["indicators"]] or [
        c["id"] for c in (view["dispersion"][0]["indicators"] if view["dispersion"] else [])]
    trend = view.get("trend", [])
    return {
        "cv": {"labels": labels, "stages": [
            {"name": st["stage_zh"], "limit": st["limit"],
             "values": [{"cv": _rounded(c["cv"], "cv"), "passed": c["passed"]}
                        for c in st["indicators"]]}
            for st in view["dispersion"]]},
        "trend": {
            "years": [str(t["school_year"]) for t in trend],
            "pass_rate": [_rounded(100 * t["schools_passed"] / t["schools_total"], "percent")
                          if t["schools_total"] else None
                          for t in trend],
            "failing_items": [t["failing_items"] for t in trend],
            "recognised": [t["recognised"] for t in trend],
        },
    }


def all_counties(engine: Engine, actor: Principal) -> list[dict[str, Any]]:
    """Every stored county's latest year that the user may read (an admin: all)."""
    require(actor.role in READER_ROLES, "查看县区列表")
    prefix = None if actor.is_admin else (actor.region_code or "-")
    with read_connection(engine) as conn:
        latest: dict[str, repo.StoredSummary] = {}
        for s in repo.current_summaries(conn, prefix=prefix):
            latest[s.county_code] = s  # ordered by county then year: the last is the newest
    return [{"county_code": s.county_code, "county_name": s.county_name, "school_year": s.school_year,
             "recognised": s.recognised, "schools_total": s.summary["schools_total"],
             "schools_passed": s.summary["schools_passed"],
             "failing_items": s.summary["failing_items"]} for s in latest.values()]
