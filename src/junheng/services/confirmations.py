"""Use cases of confirmed values (docs/validation.md「合理性核查」): the command line's
``--confirm`` / ``--confirmations``, and the web's 确认 button.

On the web a confirmation is a line of the audit log (entity ``confirmation``, action
``confirm``) keyed by county, sheet, cell and value — the log is the record of who
confirmed what, when and why, and the confirmations that apply to a county's next
upload are read back from it. No table of its own: nothing can disagree with the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from junheng.core.confirmations import (
    Confirmation,
    Confirmations,
    ConfirmationSyntaxError,
    cell_key,
    parse_confirmation_list,
    parse_reference,
    shown_value,
)
from junheng.core.errors import InvalidRequestError, JunhengError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from junheng.services.accounts import Principal

ENTITY = "confirmation"
MAX_LIST_BYTES = 1 << 20


class ConfirmationRequestError(JunhengError):
    """A --confirm reference or a confirmation list that cannot be read (usage)."""

    code = "confirmation-request"
    exit_code = 2


def confirmations_from(refs: Sequence[str] = (), files: Sequence[str | Path] = (),
                       by: str | None = None) -> Confirmations | None:
    """The confirmations given on the command line; None when there are none."""
    items: list[Confirmation] = []
    try:
        for ref in refs:
            items.append(parse_reference(ref, where="--confirm"))
        for file in files:
            path = Path(file)
            try:
                if path.stat().st_size > MAX_LIST_BYTES:
                    raise ConfirmationRequestError(f"确认清单文件太大（超过 1 MB）：{path}")
                text = path.read_bytes().decode("utf-8-sig")
            except FileNotFoundError:
                raise ConfirmationRequestError(f"找不到确认清单文件：{path}") from None
            except UnicodeDecodeError:
                raise ConfirmationRequestError(f"确认清单文件应为 UTF-8 文本：{path}") from None
            except OSError as exc:
                raise ConfirmationRequestError(f"无法读取确认清单文件 {path}：{exc.strerror}") from None
            items.extend(parse_confirmation_list(text, path.name))
    except ConfirmationSyntaxError as exc:
        raise ConfirmationRequestError(str(exc)) from None
    if not items:
        return None
    return Confirmations(Confirmation(c.sheet, c.cell, c.value, c.reason, by) for c in items)


# --- the web ------------------------------------------------------------------------------


def confirm_value(engine: Engine, actor: Principal, county_code: str, *, sheet: str, cell: str,
                  value: Any, reason: str = "") -> dict[str, Any]:
    """Record that ``actor`` confirms the value of one cell of the county's workbook.
    County bureau staff (and admins) only: the guards judge county-wide figures and
    whole columns, which a school clerk cannot vouch for (docs/validation.md)."""
    from junheng.services.accounts import require
    from junheng.services.audit import record
    from junheng.storage.engine import write_transaction

    require(actor.can_manage_county(county_code), "确认该县区数据中的数值")
    try:
        parsed = parse_reference(f"{sheet}!{cell}")
    except ConfirmationSyntaxError as exc:
        raise InvalidRequestError(str(exc)) from None
    if value is None or str(value).strip() == "":
        raise InvalidRequestError("请给出要确认的数值")
    reason = (reason or "").strip()[:500]
    entry = {"sheet": parsed.sheet, "cell": parsed.cell, "value": shown_value(value), "reason": reason}
    with write_transaction(engine) as conn:
        record(conn, actor.actor, "confirm", ENTITY, f"{parsed.sheet}!{parsed.cell}", None, entry,
               county_code=county_code)
    return {"county_code": county_code, **entry, "by": actor.actor}


def county_confirmations(engine: Engine, county_code: str) -> Confirmations:
    """Every value confirmed for the county, newest last (from the audit log)."""
    from sqlalchemy import select

    from junheng.storage.engine import read_connection
    from junheng.storage.web_models import AuditEntry

    t = AuditEntry.__table__
    q = (select(t.c.actor, t.c.at, t.c.new).where(t.c.entity == ENTITY, t.c.action == "confirm",
                                                     t.c.county_code == county_code)
         .order_by(t.c.id))
    with read_connection(engine) as conn:
        rows = conn.execute(q).all()
    items = []
    for actor, at, new in rows:
        if not isinstance(new, dict) or not {"sheet", "cell", "value"} <= new.keys():
            continue
        sheet, cell = cell_key(new["sheet"], "A", 1)[0], str(new["cell"]).upper()
        items.append(Confirmation(sheet, cell, str(new["value"]), new.get("reason") or None,
                                  actor, at.isoformat() if at else None))
    return Confirmations(items)


def confirmed_values(engine: Engine, actor: Principal, county_code: str) -> list[dict[str, Any]]:
    """The county's confirmed values for the page and the API (who, when, what, why)."""
    from junheng.services.accounts import require

    require(actor.can_read_collection(county_code), "查看该县区已确认的数值")
    return [{"sheet": c.sheet, "cell": c.cell, "value": c.value, "reason": c.reason, "by": c.by,
             "at": c.at} for c in county_confirmations(engine, county_code)]
