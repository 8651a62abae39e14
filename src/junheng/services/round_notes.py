"""The bureau's own chapters of the 自评报告 (县级说明) in a collection round: one text
block per chapter (主要做法与成效, 社会认可度调查方法/样本, 下一步工作打算, 整改完成时限,
整改责任单位), typed on the round page, kept with the round's 县级指标 (the bureau's
part, ``CollectionRound.facts`` under ``county_notes``) and published with the year as
the rows of the 「县级说明」 sheet, so the reports place them verbatim.

A round starts from the notes of the latest stored earlier year. Only the county's
bureau (and a system admin) sees or changes them; every change is audited, and a
change after publishing opens the round again, like a change of the county facts.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, update

from junheng.core.errors import InvalidRequestError
from junheng.services import collection
from junheng.services import submission_forms as sf
from junheng.services.accounts import Principal, require
from junheng.services.audit import record
from junheng.storage.engine import read_connection, write_transaction
from junheng.storage.web_models import CollectionRound

MAX_CHARS = 20_000  # per chapter: a few pages of text


def chapters() -> list[str]:
    """The chapters in the template's order (their Chinese names)."""
    return sf.note_chapters()


def blocks(rows: list[dict[str, Any]] | None) -> dict[str, str]:
    """The stored rows as one text block per chapter (paragraphs one per line)."""
    out = {c: [] for c in chapters()}  # type: dict[str, list[str]]
    for row in rows or []:
        if isinstance(row, dict) and row.get("chapter") in out and str(row.get("content") or "").strip():
            out[row["chapter"]].append(str(row["content"]).strip())
    return {c: "\n".join(texts) for c, texts in out.items()}


def rows_of(texts: dict[str, Any]) -> list[dict[str, str]]:
    """Text blocks → 县级说明 rows: each non-blank line is a paragraph, as typed."""
    rows = []
    for chapter in chapters():
        text = texts.get(chapter)
        if text is None:
            continue
        if not isinstance(text, str):
            raise InvalidRequestError(f"县级说明「{chapter}」应为文字")
        if len(text) > MAX_CHARS:
            raise InvalidRequestError(f"县级说明「{chapter}」有 {len(text)} 字，超过 {MAX_CHARS} 字的上限，未保存")
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            if line.strip():
                rows.append({"chapter": chapter, "content": line.strip()})
    unknown = [k for k in texts if k not in chapters()]
    if unknown:
        raise InvalidRequestError(f"县级说明没有章节「{'、'.join(map(str, unknown))}」，未保存")
    return rows


def notes_view(engine: Engine, actor: Principal, round_id: int) -> dict[str, Any]:
    with read_connection(engine) as conn:
        rnd = collection.load_round(conn, round_id)
    require(actor.can_manage_county(rnd.county_code), "查看该县区的县级说明")
    texts = blocks(rnd.facts.get(sf.NOTES_KEY))
    return {"chapters": [{"chapter": c, "text": texts[c], "filled": bool(texts[c])} for c in chapters()],
            "missing": [c for c in chapters() if not texts[c]]}


def save_notes(engine: Engine, actor: Principal, round_id: int, texts: dict[str, Any]) -> dict[str, Any]:
    """Replace the chapters given (a chapter left out keeps its text; an empty one is
    cleared and shows 「待填写」 in a draft report)."""
    if not isinstance(texts, dict):
        raise InvalidRequestError("县级说明应为对象（章节 → 文字）")
    with write_transaction(engine) as conn:
        rnd = collection.load_round(conn, round_id, lock=True)
        require(actor.can_manage_county(rnd.county_code), "修改该县区的县级说明")
        before = blocks(rnd.facts.get(sf.NOTES_KEY))
        after = blocks(rows_of({**before, **texts}))
        old = {c: before[c] for c in chapters() if before[c] != after[c]}
        new = {c: after[c] for c in chapters() if before[c] != after[c]}
        if old:
            conn.execute(update(CollectionRound).where(CollectionRound.id == round_id).values(
                facts={**rnd.facts, sf.NOTES_KEY: rows_of(after)}))
            record(conn, actor.actor, "save", "county_notes", f"{rnd.county_code}/{rnd.school_year}",
                   old, new, county_code=rnd.county_code)
            collection.reopen_round(conn, rnd)
    return {**notes_view(engine, actor, round_id), "changed": sorted(old, key=chapters().index)}
