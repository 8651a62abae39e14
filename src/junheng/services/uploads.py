"""Uploaded workbooks: refused safely before anything parses them (zip bombs, XML
entity bombs, absurd sizes and row counts: the one archive guard of intake.archive,
with the web app's limits), then read by the importer with the name
the user knows; the county's whole workbook is stored as a new county-year version,
a school's own part fills its form, the kindergarten sheets fill the round's
kindergarten part (services.round_kindergartens).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from junheng.core.confirmations import Confirmations, shown_value
from junheng.core.errors import InvalidRequestError
from junheng.core.standard import Standard
from junheng.intake import IntakeResult, read_county_workbook
from junheng.intake.archive import ArchiveLimits  # re-exported: the web app builds its limits
from junheng.services.accounts import Principal, require
from junheng.services.audit import record
from junheng.services.evidence import safe_name
from junheng.storage.engine import write_transaction
from junheng.templates.spec import TemplateSpec


def web_limits(settings: Any) -> ArchiveLimits:
    """The web app's upload limits (JUNHENG_WEB_MAX_*): the routes and the job workers."""
    return ArchiveLimits(max_bytes=int(settings.web_max_upload_mb * (1 << 20)),
                         max_unpacked=int(settings.web_max_unpacked_mb * (1 << 20)),
                         max_rows=settings.web_max_rows)


def read_upload(content: bytes, file_name: str, limits: ArchiveLimits,
                spec: TemplateSpec | None = None,
                confirmations: Confirmations | None = None) -> tuple[IntakeResult, str, str]:
    """(importer's result, the name shown, sha256) of an uploaded workbook; ``spec``
    reads only the sheets it names (the kindergarten part of a round)."""
    if len(content) > limits.max_bytes:
        raise InvalidRequestError(f"文件太大：不能超过 {limits.max_bytes / (1 << 20):g} MB", code="too-large")
    name = safe_name(file_name)
    with tempfile.TemporaryDirectory(prefix="junheng-upload-") as folder:
        path = Path(folder) / "upload.xlsx"
        path.write_bytes(content)
        result = read_county_workbook(path, file_name=name, spec=spec, limits=limits,
                                      confirmations=confirmations)
    return result, name, hashlib.sha256(content).hexdigest()


def issues_of(result: IntakeResult) -> list[dict[str, Any]]:
    """The issues as the web shows them; a value to confirm carries its ``cell``
    (``N12``) and ``value`` for the 确认 button."""
    out = []
    for i in result.report.sorted():
        d = {"code": i.code, "severity": str(i.severity), "message": i.message, "sheet": i.sheet,
             "row": i.row, "column": i.column}
        if i.code == "value-implausible" and i.row and i.column:
            d.update(cell=f"{i.column}{i.row}", value=shown_value(i.value))
        out.append(d)
    return out


def import_county_upload(engine: Engine, actor: Principal, county_code: str, content: bytes,
                         file_name: str, limits: ArchiveLimits, *,
                         standard: Standard | None = None) -> dict[str, Any]:
    """The county's whole workbook in one go: stored as a new version of its year,
    evaluated against ``standard`` (default yzjh-2017)."""
    from junheng.services.confirmations import county_confirmations
    from junheng.services.history import import_county_data
    from junheng.services.ledger import sync_ledger

    require(actor.can_manage_county(county_code), "导入该县区的数据")
    result, name, digest = read_upload(content, file_name, limits,
                                       confirmations=county_confirmations(engine, county_code))
    if result.data is None:
        errors = [i for i in issues_of(result) if i["severity"] == "error"]
        raise InvalidRequestError(f"工作簿 {name} 有 {len(errors)} 处错误，未导入任何数据", issues_of(result),
                                  "workbook-invalid")
    found = result.data.county.code
    if found != county_code:
        raise InvalidRequestError(f"工作簿「基本信息」中的县区代码 {found} 与当前县区 {county_code} 不一致，未导入")
    outcome = import_county_data(engine, result.data, by=actor.actor, file_name=name, file_hash=digest,
                                 standard=standard)
    stored = outcome.stored or outcome.previous
    sync_ledger(engine, county_code)
    with write_transaction(engine) as conn:
        record(conn, actor.actor, "import", "county_year", f"{county_code}/{result.data.county.school_year}",
               None, {"file": name, "version": stored.version, "unchanged": outcome.unchanged},
               county_code=county_code)
    return {"county_code": county_code, "school_year": result.data.county.school_year,
            "version": stored.version, "recognised": stored.recognised, "unchanged": outcome.unchanged,
            "warnings": [i for i in issues_of(result) if i["severity"] == "warning"]}


def import_school_upload(engine: Engine, actor: Principal, round_id: int, school_code: str,
                         content: bytes, file_name: str, limits: ArchiveLimits) -> dict[str, Any]:
    """A school's own part of the workbook fills its form (then saved like typed data)."""
    from junheng.services import collection
    from junheng.services.submission_forms import school_form

    view = collection.submission_view(engine, actor, round_id, school_code)
    require(actor.can_edit_school(view["round"]["county_code"], school_code), "填报该学校的数据")
    result, name, _ = read_upload(content, file_name, limits)
    if result.data is None:
        raise InvalidRequestError(f"工作簿 {name} 有错误，未读入", issues_of(result), "workbook-invalid")
    others = sorted({s.code for s in result.data.schools} - {school_code})
    if others or school_code not in {s.code for s in result.data.schools}:
        raise InvalidRequestError(
            f"工作簿中应只有本校（{school_code}）的数据，却有：{'、'.join(others[:5]) or '没有本校'}，未读入")
    return collection.save_form(engine, actor, round_id, school_code,
                                school_form(result.data, school_code), view["explanations"],
                                view["revision"])
