"""The web app's 目标进展 page and its actions (issue 15 §4): who may see and change a
county's targets, the page's data (the same CountyProgress the CLI prints), the chart
data, and uploading a targets workbook or editing one target — both through the same
import (the same validation, version, audit) as `junheng targets import`.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from junheng.analysis.measures import scoped_name
from junheng.core.errors import InvalidRequestError, NotFoundError
from junheng.intake.archive import ArchiveLimits, check_archive
from junheng.reports import numbers as fmt
from junheng.services.accounts import Principal, require
from junheng.services.evidence import safe_name
from junheng.services.progress import CountyProgress, county_progress
from junheng.services.targets import (
    current_targets,
    import_targets,
    measures_for,
    scope_choices,
    stored_years,
    target_history,
)

TONE = {"已达成": "ok", "按期推进": "ok", "滞后": "warn", "未达成": "bad", "无数据": "none"}


def _shown(v: float | None, kind: str) -> str:
    return fmt.by_kind(v, kind)


def targets_page(engine: Engine, actor: Principal, county_code: str, school_year: int | None = None) -> dict[str, Any]:
    require(actor.can_read_county(county_code), "查看该县区的行动方案目标")
    years = stored_years(engine, county_code)
    measures = measures_for(engine, county_code, years)
    progress: CountyProgress | None
    try:
        progress = county_progress(engine, county_code, school_year)
    except NotFoundError:
        progress = None
    rows = []
    for r in progress.rows if progress else []:
        t, m = r.target, r.measure
        rows.append({
            "name": scoped_name(m, t.scope), "measure": m.id, "scope": t.scope, "unit": m.unit,
            "baseline": _shown(t.baseline, m.kind), "baseline_year": t.baseline_year,
            "target": _shown(t.target, m.kind), "target_year": t.target_year,
            "actual": [_shown(r.actual.get(y), m.kind) for y in progress.years],
            "expected": _shown(r.expected, m.kind), "status": r.status, "tone": TONE[r.status],
            "gap": fmt.target_gap(r.gap, m.kind), "basis": t.basis or "", "department": t.department or "",
            "missing": r.missing.get(progress.school_year, ""), "baseline_from_data": t.baseline_from_data,
            "milestones": "；".join(f"{y}: {_shown(v, m.kind)}" for y, v in sorted(t.milestones.items())),
        })
    return {
        "county_code": county_code, "county_name": years[-1].county_name if years else county_code,
        "years": [y.school_year for y in years], "progress": progress, "rows": rows,
        "counts": progress.counts() if progress else {}, "can_edit": actor.can_manage_county(county_code),
        "versions": target_history(engine, county_code) if actor.can_manage_county(county_code) else [],
        "measures": [(m.id, m.name, m.unit) for m in measures.values()],  # the catalogue's order
        "scopes": scope_choices(years), "chart": chart_data(progress) if progress else None,
    }


def chart_data(p: CountyProgress) -> dict[str, Any]:
    """One line chart per target: actual values, the path and the target (percent ×100)."""
    charts = []
    for r in p.rows:
        t, m = r.target, r.measure
        k = 100.0 if m.kind == "percent" else 1.0
        years = sorted(set(p.years) | {y for y, _ in t.path()} | {t.target_year})
        charts.append({
            "title": f"{scoped_name(m, t.scope)}（{t.scope}）" if t.scope != "全县" else scoped_name(m, t.scope),
            "unit": m.unit, "years": [str(y) for y in years], "status": r.status,
            "actual": [None if r.actual.get(y) is None else r.actual[y] * k for y in years],
            "path": [None if t.expected(y) is None else t.expected(y) * k for y in years],
            "target": t.target * k, "lower_is_better": m.direction == "lower",
            "decimals": fmt.places(m.kind),
        })
    return {"charts": charts}


def upload_targets(engine: Engine, actor: Principal, county_code: str, content: bytes, file_name: str,
                   limits: ArchiveLimits) -> dict[str, Any]:
    """A targets workbook uploaded on the page: checked like any upload, then imported
    exactly as `junheng targets import` does (errors: nothing stored, located messages)."""
    require(actor.can_manage_county(county_code), "修改该县区的行动方案目标")
    if len(content) > limits.max_bytes:
        raise InvalidRequestError(f"文件太大：不能超过 {limits.max_bytes / (1 << 20):g} MB", code="too-large")
    name = safe_name(file_name)
    with tempfile.TemporaryDirectory(prefix="junheng-targets-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        check_archive(path, limits, name=name)
        result = import_targets(engine, path, county_code, by=actor.actor,
                                file_hash=hashlib.sha256(content).hexdigest())
    return _outcome(result, name)


def edit_target(engine: Engine, actor: Principal, county_code: str, form: dict[str, str],
                index: int | None) -> dict[str, Any]:
    """Add (``index`` None) or change one target from the page's form: the current
    targets with that row, written as a targets workbook and imported — the very same
    validation and messages as a workbook (the row numbers are the workbook's)."""
    from junheng.reports.renderers.targets_workbook import write_targets_workbook

    require(actor.can_manage_county(county_code), "修改该县区的行动方案目标")
    try:
        _, targets = current_targets(engine, county_code)
    except NotFoundError:
        targets = []
    years = stored_years(engine, county_code)
    measures = measures_for(engine, county_code, years)
    with tempfile.TemporaryDirectory(prefix="junheng-targets-") as folder:
        path = Path(folder) / "网页修改.xlsx"
        write_targets_workbook(path, measures, scope_choices(years), _as_typed(targets))
        _replace_row(path, form, len(targets) + 1 if index is None else index + 1)
        result = import_targets(engine, path, county_code, by=actor.actor)
    return _outcome(result, "网页修改")


def delete_target(engine: Engine, actor: Principal, county_code: str, index: int) -> dict[str, Any]:
    from junheng.reports.renderers.targets_workbook import write_targets_workbook

    require(actor.can_manage_county(county_code), "修改该县区的行动方案目标")
    _, targets = current_targets(engine, county_code)
    if not 0 <= index < len(targets):
        raise NotFoundError("没有这个目标（可能已被他人修改，请刷新页面）")
    kept = [t for i, t in enumerate(targets) if i != index]
    if not kept:
        raise InvalidRequestError("至少要保留一个目标；要重新制定目标，请上传新的目标工作簿")
    years = stored_years(engine, county_code)
    with tempfile.TemporaryDirectory(prefix="junheng-targets-") as folder:
        path = Path(folder) / "网页修改.xlsx"
        # values as stored (the 基线值 filled from the data stays as it was)
        write_targets_workbook(path, measures_for(engine, county_code, years), scope_choices(years),
                               _as_typed(kept))
        result = import_targets(engine, path, county_code, by=actor.actor)
    return _outcome(result, "网页修改")


def _as_typed(targets: list[Any]) -> list[Any]:
    """The targets as the bureau typed them: a 基线值 filled from the data is left blank,
    so the import fills it again (the same value) and keeps saying where it came from."""
    return [replace(t, baseline=None) if t.baseline_from_data else t for t in targets]


FORM_FIELDS = ("measure", "scope", "baseline_year", "baseline", "target", "target_year", "milestones", "basis",
               "department", "note")


def _replace_row(path: Path, form: dict[str, str], row: int) -> None:
    """Row ``row`` of the 目标 sheet (1: header) set to the form's values, as typed."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["目标"]
    for c, key in enumerate(FORM_FIELDS, start=1):
        text = (form.get(key) or "").strip()
        cell = ws.cell(row + 1, c)
        cell.value = text or None
        cell.number_format = "General"
    wb.save(path)


def _outcome(result: Any, name: str) -> dict[str, Any]:
    if result.stored is None:
        errors = result.report.errors
        raise InvalidRequestError(f"{name}有 {len(errors)} 处错误，没有保存任何目标", [
            {"message": i.message, "sheet": i.sheet, "row": i.row, "column": i.column} for i in errors],
            "targets-invalid")
    return {"version": result.stored.version, "targets": len(result.targets), "filled": len(result.filled)}


# --- downloads --------------------------------------------------------------------------


def _xlsx(write: Any) -> bytes:
    with tempfile.TemporaryDirectory(prefix="junheng-targets-") as folder:
        path = Path(folder) / "out.xlsx"
        write(path)
        return path.read_bytes()


def template_bytes(engine: Engine, actor: Principal, county_code: str) -> bytes:
    from junheng.services.targets import write_template

    require(actor.can_read_county(county_code), "查看该县区的行动方案目标")
    return _xlsx(lambda path: write_template(path, engine, county_code))


def export_bytes(engine: Engine, actor: Principal, county_code: str) -> bytes:
    from junheng.services.targets import export_targets

    require(actor.can_read_county(county_code), "查看该县区的行动方案目标")
    return _xlsx(lambda path: export_targets(engine, county_code, path))


def progress_bytes(engine: Engine, actor: Principal, county_code: str, school_year: int | None) -> bytes:
    from junheng.reports.renderers.progress_sheet import write_progress_workbook

    require(actor.can_read_county(county_code), "查看该县区的行动方案目标")
    p = county_progress(engine, county_code, school_year)
    return _xlsx(lambda path: write_progress_workbook(p, path))


def progress_json(engine: Engine, actor: Principal, county_code: str, school_year: int | None) -> dict[str, Any]:
    require(actor.can_read_county(county_code), "查看该县区的行动方案目标")
    return county_progress(engine, county_code, school_year).to_dict()


def lagging_tiles(engine: Engine, actor: Principal, county_code: str, school_year: int | None) -> list[dict[str, str]]:
    """The dashboard's tiles: each lagging or missed target of the year (none without targets)."""
    if not actor.can_read_county(county_code):
        return []
    try:
        p = county_progress(engine, county_code, school_year)
    except NotFoundError:
        return []
    return [{"name": scoped_name(r.measure, r.target.scope), "status": r.status, "tone": TONE[r.status],
             "value": _shown(r.actual.get(p.school_year), r.measure.kind),
             "expected": _shown(r.expected, r.measure.kind),
             "target": f"{_shown(r.target.target, r.measure.kind)}（{r.target.target_year}）",
             "gap": fmt.target_gap(r.gap, r.measure.kind)} for r in p.rows if r.lagging]
