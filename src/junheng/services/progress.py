"""Progress against the county's targets (issue 15 §3): for each current target, the value
of its measure in every stored year, the value expected on the path, the status and the
gap — read from the stored fact-sheet figures, never computed a second way.

Statuses compare the values as every output prints them (``reports.numbers``: 24.96 %
printed 25.0 % has reached a 25 % target), so a report never shows equal figures under
「未达成」.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from junheng.analysis.measures import Measure, canonical, measure_value
from junheng.analysis.progress import BEHIND, MISSED, STATUSES, Target, standing
from junheng.core.errors import NotFoundError
from junheng.reports import numbers as fmt
from junheng.services.targets import YearFigures, current_targets, measures_for, stored_years
from junheng.storage import targets as store


@dataclass(slots=True)
class TargetProgress:
    target: Target
    measure: Measure
    actual: dict[int, float | None]  # every stored year
    missing: dict[int, str]  # year -> why there is no value
    year: int  # the year the status is for
    expected: float | None
    status: str
    gap: float | None  # still to go to the target (measure's unit; ≤ 0: reached)
    behind: float | None  # short of the expected value
    source: str

    @property
    def lagging(self) -> bool:
        return self.status in (BEHIND, MISSED)

    def to_dict(self) -> dict[str, Any]:
        t, m = self.target, self.measure
        return {
            "measure": m.id, "measure_name": m.name, "scope": t.scope, "unit": m.unit, "kind": m.kind,
            "direction": m.direction, "baseline_year": t.baseline_year, "baseline": t.baseline,
            "baseline_from_data": t.baseline_from_data, "target": t.target, "target_year": t.target_year,
            "milestones": {str(y): v for y, v in sorted(t.milestones.items())},
            "actual": {str(y): v for y, v in sorted(self.actual.items())},
            "missing": {str(y): why for y, why in sorted(self.missing.items())},
            "year": self.year, "expected": self.expected, "status": self.status, "gap": self.gap,
            "behind": self.behind, "basis": t.basis, "department": t.department, "note": t.note,
            "source": self.source,
        }


@dataclass(slots=True)
class CountyProgress:
    county_code: str
    county_name: str
    school_year: int
    targets_version: store.TargetSetInfo
    years: list[int]
    rows: list[TargetProgress] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUSES, 0)
        for r in self.rows:
            out[r.status] += 1
        return out

    def to_dict(self) -> dict[str, Any]:
        v = self.targets_version
        return {"county_code": self.county_code, "county_name": self.county_name, "school_year": self.school_year,
                "years": self.years, "targets_version": {"version": v.version, "imported_by": v.imported_by,
                                                         "imported_at": v.imported_at.isoformat(),
                                                         "file_name": v.file_name},
                "counts": self.counts(), "targets": [r.to_dict() for r in self.rows]}


def shown_number(value: float | None, kind: str) -> float | None:
    """``value`` as printed (the one rounding rule), as a number: 0.24962 % → 0.25 (25.0 %)."""
    if value is None:
        return None
    if kind == "percent":
        n = fmt.places("percent")
        return float(fmt.rounded(Decimal(repr(float(value))) * 100, n) / 100)
    return float(fmt.rounded(value, fmt.places(kind)))


def county_progress(engine: Engine, county_code: str, school_year: int | None = None) -> CountyProgress:
    info, targets = current_targets(engine, county_code)
    years = stored_years(engine, county_code)
    if not years:
        raise NotFoundError(f"数据库中没有县区 {county_code} 的县域数据；请先导入各学年的工作簿")
    if school_year is None:
        school_year = years[-1].school_year
    elif school_year not in {y.school_year for y in years}:
        have = "、".join(str(y.school_year) for y in years)
        raise NotFoundError(f"数据库中没有县区 {county_code} {school_year} 学年的数据；已有 {have} 学年")
    measures = measures_for(engine, county_code, years)
    rows = [_progress(t, measures, years, school_year) for t in targets if t.measure in measures]
    return CountyProgress(county_code, years[-1].county_name, school_year, info,
                          [y.school_year for y in years], rows)


def _progress(t: Target, measures: dict[str, Measure], years: list[YearFigures], year: int) -> TargetProgress:
    m = measures[t.measure]
    actual: dict[int, float | None] = {}
    missing: dict[int, str] = {}
    for i, y in enumerate(years):
        prev = (years[i - 1].figures, years[i - 1].scoped) if i else None
        value, why = measure_value(m, t.scope, y.figures, y.scoped, prev)
        actual[y.school_year] = value
        if value is None:
            missing[y.school_year] = why
    def r(v: float | None) -> float | None:  # the one rounding rule, as printed
        return shown_number(v, m.kind)

    shown_target = Target(t.measure, t.scope, r(t.target), t.target_year, t.baseline_year, r(t.baseline),
                          {y: r(v) for y, v in t.milestones.items()})
    s = standing(shown_target, m.direction, year, r(actual.get(year)), r)
    version = next(y.version for y in years if y.school_year == year)
    source = f"{year} 学年县域年度数据表（第 {version} 版）「{m.name}」"
    return TargetProgress(t, m, actual, missing, year, s.expected, s.status, s.gap, s.behind, source)


@dataclass(slots=True)
class RegionRow:
    """One county's value of a measure in a region view, and its target on it (if any)."""

    county_code: str
    county_name: str
    school_year: int | None
    value: float | None
    missing: str
    progress: TargetProgress | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"county_code": self.county_code, "county_name": self.county_name, "school_year": self.school_year,
                "value": self.value, "missing": self.missing,
                "target": None if self.progress is None else self.progress.to_dict()}


def region_progress(engine: Engine, prefix: str, measure_id: str, school_year: int | None = None,
                    scope: str = "全县") -> tuple[Measure, list[RegionRow]]:
    """Every county under ``prefix`` (2 digits: a province, 4: a city) side by side for one
    measure: its value in ``school_year`` (each county's latest stored year when None) and,
    where the county set a target on the measure for ``scope``, the target's progress."""
    from junheng.storage import repository as repo
    from junheng.storage.engine import read_connection

    with read_connection(engine) as conn:
        codes = sorted({s.county_code for s in repo.current_summaries(conn, prefix=prefix)})
        with_targets = set(store.counties_with_targets(conn, prefix))
    if not codes:
        raise NotFoundError(f"数据库中没有代码以 {prefix} 开头的县区的数据")
    measures = measures_for(engine, codes[0])
    measure_id = canonical(measure_id)
    if measure_id not in measures:
        raise NotFoundError(f"没有编号为 {measure_id} 的指标；可用的指标编号见 docs/targets.md 或 junheng targets template "
                            "生成的工作簿「指标一览」表")
    measure = measures[measure_id]
    out = []
    for code in codes:
        years = stored_years(engine, code)
        year = school_year if school_year is not None else years[-1].school_year
        at = [i for i, y in enumerate(years) if y.school_year == year]
        if not at:
            out.append(RegionRow(code, years[-1].county_name, None, None, f"没有 {year} 学年的数据"))
            continue
        i = at[0]
        prev = (years[i - 1].figures, years[i - 1].scoped) if i else None
        value, why = measure_value(measure, scope, years[i].figures, years[i].scoped, prev)
        row = None
        if code in with_targets:
            p = county_progress(engine, code, year)
            row = next((r for r in p.rows if r.measure.id == measure_id and r.target.scope == scope), None)
        out.append(RegionRow(code, years[-1].county_name, year, value, why, row))
    return measure, out
