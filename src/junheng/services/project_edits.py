"""Use case: the bureau adds, changes or deletes one project of its 项目台账 on the web.

The ledger is the county bureau's (its administrators and the system admin change it;
supervisors and viewers read it; school clerks do not see it). A change is checked by
the importer exactly as the 项目台账 sheet of a county workbook is — the form's project
and the county-year's other projects are laid out as that sheet and read by
:func:`junheng.intake.read_county_rows` with the template cut to 基本信息 and 项目台账,
so the messages are those of ``junheng validate`` (sheet, row, column, value); a
school code not among the stored year's schools is refused with the importer's
``unknown-school`` message. Nothing is stored while anything is wrong.

A valid change is stored as a new version of the county-year (``import_county_data``,
as closing a survey does): evaluated again, its summary (新增学位、重点项目进展) made
anew, the 整改台账 followed — so every page that reads projects (the projects page,
the places forecast, the plan) shows it, and the versions keep the history. The
change is audited (project name, old and new cells). A collection round of the same
county-year takes the edited ledger too, so publishing it later keeps the edit.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Engine, select, update

from junheng.core.errors import ConflictError, InvalidRequestError, JunhengError, NotFoundError
from junheng.core.facts import CountyData
from junheng.core.standard import Standard
from junheng.intake import read_county_rows
from junheng.intake.headers import column_letter
from junheng.intake.recorder import IssueRecorder
from junheng.services import submission_forms as sf
from junheng.services.accounts import Principal, require
from junheng.services.audit import record
from junheng.services.evaluation import chosen_standard, resolve_standard
from junheng.services.history import import_county_data
from junheng.storage import repository as repo
from junheng.storage.engine import read_connection, write_transaction
from junheng.storage.web_models import CollectionRound
from junheng.templates.spec import TemplateSpec

KEY = sf.PROJECTS_KEY
FILE = "网页修改"
STALE = "项目台账已被他人修改（数据库中已有更新的版本），请刷新页面后再修改（您的修改未保存）"


@cache
def projects_spec() -> TemplateSpec:
    """The template cut to 基本信息 and 项目台账: the ledger checked on its own."""
    sp = sf.spec()
    return sp.model_copy(update={"sheets": tuple(s for s in sp.sheets if s.key in ("county", KEY))})


def fields() -> list[Any]:
    return list(sf.spec().sheet(KEY).fields)


def _current(engine: Engine, county_code: str, school_year: int) -> tuple[repo.VersionInfo, CountyData]:
    with read_connection(engine) as conn:
        info = repo.find_version(conn, county_code, school_year)
        return info, repo.load_version(conn, info.id)


def form_view(engine: Engine, actor: Principal, county_code: str, school_year: int,
              name: str | None = None) -> dict[str, Any]:
    """What the edit form shows: the project's cells (blank for a new one), the choices
    (the year's schools, kinds, statuses) and the version the form was made from."""
    require(actor.can_manage_county(county_code), "修改该县区的项目台账")
    info, data = _current(engine, county_code, school_year)
    rows = sf.project_rows(data)
    cells: dict[str, Any] = {}
    if name is not None:
        cells = next((r for r in rows if r.get("name") == name), None)  # type: ignore[assignment]
        if cells is None:
            raise NotFoundError(f"项目台账中没有项目“{name}”（可能已被他人修改，请刷新页面）")
    return {"county_code": county_code, "county_name": data.county.name, "school_year": school_year,
            "version": info.version, "original": name, "cells": cells, **choices(data)}


def choices(data: CountyData) -> dict[str, Any]:
    sp = sf.spec()
    return {"schools": [(s.code, s.name) for s in data.schools], "fields": fields(),
            "kinds": sf._labels(sp, "project_kind"), "statuses": sf._labels(sp, "project_status")}


def check(data: CountyData, rows: list[dict[str, Any]]) -> tuple[list[Any] | None, list[dict[str, Any]]]:
    """The ledger ``rows`` (cells) read as the 项目台账 sheet of ``data``'s county-year:
    (the projects, or None with errors; every issue as {severity, message, row, field})."""
    lay = sf.layout(sf.county_cells(data), {KEY: rows}, [])
    sheet = sf.spec().sheet(KEY)
    keep = {sf.spec().sheet("county").name, sheet.name}
    sheets = {name: rows for name, rows in lay.sheets.items() if name in keep}
    result = read_county_rows(sheets, spec=projects_spec(), file_name=FILE)
    issues = list(result.report.sorted())
    known = {s.code for s in data.schools}
    recorder = IssueRecorder(FILE)
    at = [f.key for f in sheet.fields].index("school_code")
    for i, r in enumerate(rows):
        code = str(r.get("school_code") or "").strip()
        if code and code not in known:
            issues.append(recorder.add("unknown-school", sheet=sheet.name, row=i + 2, column=column_letter(at),
                                       header=sheet.field("school_code").display_header, value=code,
                                       target=sf.spec().sheet("schools").name))
    keys = [f.key for f in sheet.fields]
    out = []
    for issue in issues:
        field = next((k for j, k in enumerate(keys) if column_letter(j) == issue.column), None)
        out.append({"severity": str(issue.severity), "message": issue.message, "row": issue.row, "field": field})
    if result.data is None or any(i["severity"] == "error" for i in out):
        return None, out
    return list(result.data.extra_tables.get(KEY) or []), out


def clean(cells: dict[str, Any]) -> dict[str, Any]:
    """The form's cells: known fields only, text stripped, blanks left out."""
    out = {}
    for f in fields():
        value = cells.get(f.key)
        if value is None:
            continue
        text = str(value).strip()
        if text:
            out[f.key] = text
    return out


def save_project(engine: Engine, actor: Principal, county_code: str, school_year: int, cells: dict[str, Any],
                 *, original: str | None, version: int, delete: bool = False,
                 standard: Standard | None = None) -> dict[str, Any]:
    """Add (``original`` None), change or delete (``delete``) one project; ``version``:
    the county-year version the form was made from (a newer one: ConflictError)."""
    require(actor.can_manage_county(county_code), "修改该县区的项目台账")
    info, data = _current(engine, county_code, school_year)
    if info.version != version:
        raise ConflictError(STALE)
    rows = sf.project_rows(data)
    index = next((i for i, r in enumerate(rows) if r.get("name") == original), None) if original else None
    if original and index is None:
        raise NotFoundError(f"项目台账中没有项目“{original}”（可能已被他人修改，请刷新页面）")
    old = rows[index] if index is not None else None
    new = None if delete else clean(cells)
    if delete:
        if index is None:
            raise NotFoundError("请指定要删除的项目")
        del rows[index]
    elif index is None:
        rows.append(new)
    else:
        rows[index] = new
    projects, issues = check(data, rows)
    errors = [i for i in issues if i["severity"] == "error"]
    if projects is None:
        raise InvalidRequestError(f"项目台账有 {len(errors)} 处错误，未保存", errors)
    data.extra_tables[KEY] = projects
    try:  # the configured standard (JUNHENG_STANDARD) or the app's, else the stored one
        std = standard or resolve_standard(chosen_standard(None) or _stored_standard(engine, info))
    except JunhengError:
        std = resolve_standard(None)
    outcome = import_county_data(engine, data, by=actor.actor, file_name=f"{info.file_name or ''}（网页修改项目台账）",
                                 standard=std)
    from junheng.services.ledger import sync_ledger

    sync_ledger(engine, county_code)
    stored = outcome.stored
    action = "delete" if delete else ("update" if old is not None else "create")
    name = (old or new or {}).get("name", "")
    with write_transaction(engine) as conn:
        record(conn, actor.actor, action, "project", f"{county_code}/{school_year}/{name}"[:500], old, new,
               county_code=county_code)
        _follow_round(conn, county_code, school_year, sf.project_rows(data))
    return {"name": name, "action": action, "version": stored.version if stored else info.version,
            "warnings": [i for i in issues if i["severity"] == "warning"]}


def _follow_round(conn: Any, county_code: str, school_year: int, rows: list[dict[str, Any]]) -> None:
    """The collection round of the same county-year (open, or published and reopened
    later) carries the ledger as edited: publishing it stores these projects, not the
    ones carried in when it opened."""
    rnd = conn.execute(select(CollectionRound.id, CollectionRound.facts).where(
        CollectionRound.county_code == county_code, CollectionRound.school_year == school_year)).first()
    if rnd is None:
        return
    facts = {k: v for k, v in (rnd.facts or {}).items() if k != KEY} | ({KEY: rows} if rows else {})
    conn.execute(update(CollectionRound).where(CollectionRound.id == rnd.id).values(facts=facts))


def _stored_standard(engine: Engine, info: repo.VersionInfo) -> str:
    with read_connection(engine) as conn:
        return repo.load_snapshot(conn, info.id).standard_id
