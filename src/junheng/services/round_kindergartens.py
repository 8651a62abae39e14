"""The county's kindergarten part of a collection round (学前教育): every kindergarten
sheet of the template (幼儿园, 幼儿园班级) filled by the county bureau as editable
tables or from an uploaded workbook, checked by the importer as it is typed (the
messages of ``junheng validate``), carried over from the latest stored year when the
round opens, and published with the schools' data — so the stored year is evaluated
under xqpp-2020 as well.

Only the county's bureau (and a system admin) sees or changes it. Errors do not stop
a save (the part is a draft until publishing); they stop publishing. Warnings (e.g.
children per class type against the class list) are shown, not explained: the
bureau is its own reviewer. Every change is audited in its own transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, insert, update
from sqlalchemy.exc import IntegrityError

from junheng.core.errors import ConflictError, InvalidRequestError
from junheng.intake.archive import ArchiveLimits
from junheng.services import collection
from junheng.services import submission_forms as sf
from junheng.services.accounts import Principal, require, utcnow
from junheng.services.audit import record
from junheng.services.uploads import issues_of, read_upload
from junheng.storage.engine import read_connection, write_transaction
from junheng.storage.web_models import RoundKindergartens

TABLES = sf.KINDERGARTEN_TABLES
STALE = "幼儿园数据已被他人修改，请刷新页面后再保存（您的修改未保存）"


def _read(engine: Engine, actor: Principal, round_id: int, what: str) -> tuple[Any, Any]:
    """(round, its kindergarten part or None) after the permission check."""
    with read_connection(engine) as conn:
        rnd = collection.load_round(conn, round_id)
        require(actor.can_manage_county(rnd.county_code), what)
        return rnd, collection.load_kindergartens(conn, round_id)


def check_part(rnd: Any, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Every issue of the kindergarten tables, located to the record and the field."""
    return sf.check_kindergartens(rnd.county, data).issues_json(tables=TABLES)


def checked(engine: Engine, actor: Principal, round_id: int) -> sf.Checked:
    """The part as the importer reads it (its county data when it has no errors)."""
    rnd, part = _read(engine, actor, round_id, "下载该县区的幼儿园数据")
    return sf.check_kindergartens(rnd.county, part.data if part is not None else sf.blank_kindergartens())


def missing_facts(rnd: Any) -> list[str]:
    """The 学前教育 county facts (those feeding xqpp-2020's X items) not filled in yet."""
    return [f.display_header for f in sf.spec().sheet("facts").fields
            if (f.feeds or "").startswith("X") and rnd.facts.get(f.key) in (None, "")]


def kindergarten_view(engine: Engine, actor: Principal, round_id: int) -> dict[str, Any]:
    rnd, part = _read(engine, actor, round_id, "查看该县区的幼儿园填报数据")
    data = part.data if part is not None else sf.blank_kindergartens()
    issues = check_part(rnd, data)
    return {
        "round": collection.round_info(rnd), "data": data,
        "revision": part.revision if part is not None else 0,
        "counts": {key: len(data.get(key) or []) for key in TABLES},
        "issues": issues, "errors": sum(1 for i in issues if i["severity"] == "error"),
        "warnings": sum(1 for i in issues if i["severity"] == "warning"),
        "missing_facts": missing_facts(rnd), "can_edit": True,
        "updated_at": part.updated_at.isoformat() if part is not None else None,
        "updated_by": part.updated_by if part is not None else None,
    }


def clean_part(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidRequestError("幼儿园数据应为对象")
    return collection.clean_tables(data, TABLES, sf.MAX_KINDERGARTEN_RECORDS)


def validate_part(engine: Engine, actor: Principal, round_id: int, data: Any) -> list[dict[str, Any]]:
    """Check the tables as typed, without saving (live messages)."""
    rnd, _ = _read(engine, actor, round_id, "填报该县区的幼儿园数据")
    return check_part(rnd, clean_part(data))


def save_part(engine: Engine, actor: Principal, round_id: int, data: Any,
              revision: int | None = None) -> dict[str, Any]:
    """Save the tables (errors and all: they block publishing, not saving). A change
    after publishing opens the round again, like a change of the county facts."""
    data = clean_part(data)
    try:
        with write_transaction(engine) as conn:
            rnd = collection.load_round(conn, round_id)
            require(actor.can_manage_county(rnd.county_code), "填报该县区的幼儿园数据")
            part = collection.load_kindergartens(conn, round_id)
            current = part.revision if part is not None else 0
            if revision is not None and revision != current:
                raise ConflictError(STALE)
            before = part.data if part is not None else sf.blank_kindergartens()
            old, new = collection.form_changes(before, data, TABLES)
            _write(conn, part, round_id, data, actor)
            if old or new:
                record(conn, actor.actor, "save", "kindergartens", f"{rnd.county_code}/{rnd.school_year}",
                       old, new, county_code=rnd.county_code)
                collection.reopen_round(conn, rnd)
    except IntegrityError:  # two first saves raced; the other one is kept
        raise ConflictError(STALE) from None
    return kindergarten_view(engine, actor, round_id)


def _write(conn: Connection, part: Any, round_id: int, data: dict[str, Any], actor: Principal) -> None:
    values = {"data": data, "updated_at": utcnow(), "updated_by": actor.actor}
    if part is None:
        conn.execute(insert(RoundKindergartens).values(round_id=round_id, revision=1, **values))
        return
    # only over the revision that was read: of two racing saves one wins
    done = conn.execute(update(RoundKindergartens).where(
        RoundKindergartens.round_id == round_id, RoundKindergartens.revision == part.revision
    ).values(revision=part.revision + 1, **values))
    if done.rowcount != 1:
        raise ConflictError(STALE)


def import_upload(engine: Engine, actor: Principal, round_id: int, content: bytes, file_name: str,
                  limits: ArchiveLimits) -> dict[str, Any]:
    """The kindergarten sheets of an uploaded workbook (the county's whole workbook, or
    the one downloaded from the page) replace the tables. The workbook's other sheets
    are not read; its 基本信息 must name the round's county."""
    rnd, part = _read(engine, actor, round_id, "填报该县区的幼儿园数据")
    result, name, _ = read_upload(content, file_name, limits, spec=sf.kindergarten_spec())
    if result.data is None:
        issues = issues_of(result)
        errors = sum(1 for i in issues if i["severity"] == "error")
        raise InvalidRequestError(f"工作簿 {name} 的幼儿园相关工作表有 {errors} 处错误，未读入", issues,
                                  "workbook-invalid")
    found = result.data.county.code
    if found != rnd.county_code:
        raise InvalidRequestError(
            f"工作簿「基本信息」中的县区代码 {found} 与本轮填报的县区 {rnd.county_code} 不一致，未读入")
    if not result.data.extra_tables.get("kindergartens"):
        raise InvalidRequestError(f"工作簿 {name} 中没有「幼儿园」工作表，或该表没有数据，未读入")
    return save_part(engine, actor, round_id, sf.kindergarten_form(result.data),
                     part.revision if part is not None else 0)
