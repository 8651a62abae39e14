"""佐证材料: items judged on evidence (``evidence: true`` in the standard: G1, G2, G10,
Q3, Q5–Q8 in yzjh-2017) take uploaded files and the bureau's judgement; the judgement
sets the item's 县级指标 (the fact the item reads) in the round."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from junheng.core.errors import InvalidRequestError, NotFoundError
from junheng.core.standard import Standard
from junheng.services.accounts import Principal, require, utcnow
from junheng.services.audit import record
from junheng.services.collection import load_round, reopen_round
from junheng.services.evaluation import resolve_standard
from junheng.services.submission_forms import FALSE, TRUE, spec
from junheng.storage.engine import read_connection, write_transaction
from junheng.storage.web_models import CollectionRound, EvidenceFile, EvidenceJudgement

MAX_FILES_PER_ITEM = 20
# Accepted files by their first bytes (the name's extension is not trusted).
SIGNATURES = {
    b"%PDF-": ("pdf", "application/pdf"),
    b"\x89PNG\r\n\x1a\n": ("png", "image/png"),
    b"\xff\xd8\xff": ("jpg", "image/jpeg"),
    b"PK\x03\x04": ("zip", "application/zip"),  # .docx / .xlsx / .pptx are zips
}
OFFICE = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation"}


def evidence_items(standard: Standard | str | None = None) -> list[dict[str, Any]]:
    """The items judged on evidence in ``standard`` (default yzjh-2017), with the fact
    each judgement sets."""
    std = resolve_standard(standard)
    feeds = {f.feeds: f for f in spec().sheet("facts").fields if f.feeds and f.type == "bool"}
    return [{"id": i.id, "name": i.name, "fact": feeds[i.id].key, "fact_header": feeds[i.id].header}
            for i in std.items if i.evidence and i.id in feeds]


def _item(item_id: str, standard: Standard | None = None) -> dict[str, Any]:
    for item in evidence_items(standard):
        if item["id"] == item_id:
            return item
    raise NotFoundError(f"{item_id} 不是需要佐证材料的项目")


def sniff(content: bytes, file_name: str) -> str:
    """The content type of an accepted file, or a Chinese error."""
    for magic, (kind, mime) in SIGNATURES.items():
        if content.startswith(magic):
            if kind == "zip":
                ext = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
                if ext not in OFFICE:
                    break
                return OFFICE[ext]
            return mime
    raise InvalidRequestError("佐证材料只接受 PDF、JPG、PNG 图片或 Word/Excel/PowerPoint（.docx/.xlsx/.pptx）文件")


def safe_name(file_name: str) -> str:
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*')
    return name[:120] or "附件"


def round_evidence(engine: Engine, actor: Principal, round_id: int, *,
                   standard: Standard | None = None) -> dict[str, Any]:
    with read_connection(engine) as conn:
        rnd = load_round(conn, round_id)
        require(actor.can_read_collection(rnd.county_code), "查看该县区的佐证材料")
        files = conn.execute(select(EvidenceFile.id, EvidenceFile.item_id, EvidenceFile.file_name,
                                    EvidenceFile.size, EvidenceFile.uploaded_by, EvidenceFile.uploaded_at)
                             .where(EvidenceFile.round_id == round_id).order_by(EvidenceFile.id)).all()
        judged = {j.item_id: j for j in conn.execute(
            select(EvidenceJudgement.__table__).where(EvidenceJudgement.round_id == round_id))}
    items = []
    for item in evidence_items(standard):
        j = judged.get(item["id"])
        items.append({**item, "value": rnd.facts.get(item["fact"]),
                      "judgement": None if j is None else {
                          "met": j.met, "comment": j.comment, "judged_by": j.judged_by,
                          "judged_at": j.judged_at.isoformat()},
                      "files": [{"id": f.id, "file_name": f.file_name, "size": f.size,
                                 "uploaded_by": f.uploaded_by, "uploaded_at": f.uploaded_at.isoformat()}
                                for f in files if f.item_id == item["id"]]})
    return {"round_id": round_id, "county_code": rnd.county_code, "school_year": rnd.school_year,
            "county_name": rnd.county.get("county_name"), "items": items}


def add_file(engine: Engine, actor: Principal, round_id: int, item_id: str, file_name: str,
             content: bytes, max_bytes: int, *, standard: Standard | None = None) -> int:
    item = _item(item_id, standard)
    if len(content) > max_bytes:
        raise InvalidRequestError(f"文件太大：不能超过 {max_bytes / (1 << 20):g} MB")
    if not content:
        raise InvalidRequestError("文件是空的")
    name = safe_name(file_name)
    mime = sniff(content, name)
    with write_transaction(engine) as conn:
        rnd = load_round(conn, round_id)
        require(actor.can_manage_county(rnd.county_code), "上传该县区的佐证材料")
        count = len(conn.execute(select(EvidenceFile.id).where(
            EvidenceFile.round_id == round_id, EvidenceFile.item_id == item_id)).all())
        if count >= MAX_FILES_PER_ITEM:
            raise InvalidRequestError(f"每个项目最多上传 {MAX_FILES_PER_ITEM} 个文件")
        digest = hashlib.sha256(content).hexdigest()
        file_id = conn.execute(insert(EvidenceFile).values(
            round_id=round_id, item_id=item["id"], file_name=name, content_type=mime, size=len(content),
            sha256=digest, content=content, uploaded_by=actor.actor, uploaded_at=utcnow(),
        ).returning(EvidenceFile.id)).scalar_one()
        record(conn, actor.actor, "upload", "evidence", f"{rnd.county_code}/{rnd.school_year}/{item_id}",
               None, {"file": name, "size": len(content), "sha256": digest}, county_code=rnd.county_code)
    return file_id


def get_file(engine: Engine, actor: Principal, file_id: int) -> tuple[str, str, bytes]:
    with read_connection(engine) as conn:
        row = conn.execute(select(EvidenceFile.__table__).where(EvidenceFile.id == file_id)).first()
        if row is None:
            raise NotFoundError(f"没有编号为 {file_id} 的佐证材料")
        rnd = load_round(conn, row.round_id)
    require(actor.can_read_collection(rnd.county_code), "查看该县区的佐证材料")
    return row.file_name, row.content_type, row.content


def delete_file(engine: Engine, actor: Principal, file_id: int) -> None:
    with write_transaction(engine) as conn:
        row = conn.execute(select(EvidenceFile.id, EvidenceFile.round_id, EvidenceFile.item_id,
                                  EvidenceFile.file_name).where(EvidenceFile.id == file_id)).first()
        if row is None:
            raise NotFoundError(f"没有编号为 {file_id} 的佐证材料")
        rnd = load_round(conn, row.round_id)
        require(actor.can_manage_county(rnd.county_code), "删除该县区的佐证材料")
        conn.execute(delete(EvidenceFile).where(EvidenceFile.id == file_id))
        record(conn, actor.actor, "delete", "evidence", f"{rnd.county_code}/{rnd.school_year}/{row.item_id}",
               {"file": row.file_name}, None, county_code=rnd.county_code)


def judge(engine: Engine, actor: Principal, round_id: int, item_id: str, met: bool,
          comment: str | None = None, *, standard: Standard | None = None) -> None:
    """The bureau's judgement; it sets the item's fact (是/否) in the round's 县级指标."""
    item = _item(item_id, standard)
    comment = (comment or "").strip()[:1000] or None
    with write_transaction(engine) as conn:
        rnd = load_round(conn, round_id)
        require(actor.can_manage_county(rnd.county_code), "认定该县区的佐证材料")
        has_files = conn.execute(select(EvidenceFile.id).where(
            EvidenceFile.round_id == round_id, EvidenceFile.item_id == item_id)).first()
        if met and has_files is None:
            raise InvalidRequestError("认定达标前请先上传佐证材料")
        now = utcnow()
        conn.execute(delete(EvidenceJudgement).where(EvidenceJudgement.round_id == round_id,
                                                     EvidenceJudgement.item_id == item_id))
        conn.execute(insert(EvidenceJudgement).values(round_id=round_id, item_id=item_id, met=met,
                                                      comment=comment, judged_by=actor.actor, judged_at=now))
        old = rnd.facts.get(item["fact"])
        new = TRUE if met else FALSE
        conn.execute(update(CollectionRound).where(CollectionRound.id == round_id).values(
            facts={**rnd.facts, item["fact"]: new}))
        if old != new:
            reopen_round(conn, rnd)
        record(conn, actor.actor, "judge", "evidence", f"{rnd.county_code}/{rnd.school_year}/{item_id}",
               {item["fact_header"]: old}, {item["fact_header"]: new, "comment": comment},
               county_code=rnd.county_code)
