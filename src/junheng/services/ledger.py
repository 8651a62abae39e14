"""整改台账: every shortfall of a stored county-year becomes an entry with an owner, a
deadline and a status. An entry is closed only by data: when a later stored year (or
a corrected version of the same year) no longer shows the shortfall — never by a
click. Owners, deadlines, notes and "in progress" are the bureau's to set.

``sync_ledger`` walks the current version of every stored year, oldest first, and is
idempotent: running it again changes nothing, so it runs after every import and
before the ledger is shown (imports from the command line are followed too).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, insert, select, update

from junheng.core.errors import ConflictError, InvalidRequestError, NotFoundError
from junheng.services.accounts import Principal, require, utcnow
from junheng.services.audit import record
from junheng.storage import repository as repo
from junheng.storage.engine import read_connection, write_transaction
from junheng.storage.web_models import LedgerEntry

COUNTY_OWNER = "县教育局"
SETTABLE_STATUS = ("open", "in_progress")


def shortfall_keys(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """key → (item, school, wording) of every shortfall in a stored evaluation document:
    the engine's shortfalls, failing items without one, and CVs over their limit."""
    names = {s["school_code"]: s["name"] for s in doc.get("schools", [])}
    found: dict[str, dict[str, Any]] = {}
    for f in doc.get("shortfalls", []):
        key = f"{f['item_id']}|{f.get('school_code') or ''}"
        entry = found.setdefault(key, {"item_id": f["item_id"], "school_code": f.get("school_code"),
                                       "school_name": names.get(f.get("school_code") or ""), "texts": []})
        entry["texts"].append(f["text"])
    for item_id, r in doc.get("items", {}).items():
        if r.get("passed") is False and not any(e["item_id"] == item_id for e in found.values()):
            found[f"{item_id}|"] = {"item_id": item_id, "school_code": None, "school_name": None,
                                    "texts": [f"{r['name']}：{r.get('message') or '未达标'}"]}
    stage_zh = {"primary": "小学", "junior": "初中", "senior": "高中"}
    for stage, per in doc.get("dispersion", {}).items():
        for ind, d in per.items():
            if d.get("passed") is False:
                found[f"CV-{stage}-{ind}|"] = {
                    "item_id": f"CV-{stage}-{ind}", "school_code": None, "school_name": None,
                    "texts": [f"{stage_zh.get(stage, stage)}{ind} 校际差异系数 {d['cv']:.3f}，超过限值 {d['limit']}"]}
    return found


def sync_ledger(engine: Engine, county_code: str) -> int:
    """Bring the ledger in line with the stored years; returns entries opened or closed."""
    with read_connection(engine) as conn:
        years = [(v.school_year, repo.load_snapshot(conn, v.id).result)
                 for v in repo.county_years(conn, county_code)]
    changed = 0
    t = LedgerEntry.__table__
    with write_transaction(engine) as conn:
        entries = [dict(r._mapping) for r in conn.execute(select(t).where(t.c.county_code == county_code))]
        for year, doc in years:
            present = shortfall_keys(doc)
            for key, f in present.items():
                covering = [e for e in entries if e["key"] == key and e["opened_year"] <= year
                            and (e["closed_year"] is None or e["closed_year"] > year)]
                text = "；".join(f["texts"])
                if covering:
                    e = covering[-1]
                    if e["status"] != "closed" and (e["last_seen_year"] < year or e["text"] != text):
                        conn.execute(update(t).where(t.c.id == e["id"]).values(
                            last_seen_year=max(year, e["last_seen_year"]), text=text))
                        e["last_seen_year"], e["text"] = max(year, e["last_seen_year"]), text
                    continue
                values = dict(county_code=county_code, key=key, item_id=f["item_id"],
                              school_code=f["school_code"], school_name=f["school_name"], text=text,
                              status="open", owner=f["school_name"] or COUNTY_OWNER,
                              deadline=date(year + 1, 8, 31), note=None, opened_year=year,
                              last_seen_year=year, closed_year=None, closed_at=None)
                new_id = conn.execute(insert(t).values(**values).returning(t.c.id)).scalar_one()
                entries.append({**values, "id": new_id})
                changed += 1
            for e in entries:
                if e["status"] != "closed" and e["opened_year"] <= year and e["key"] not in present:
                    conn.execute(update(t).where(t.c.id == e["id"]).values(
                        status="closed", closed_year=year, closed_at=utcnow()))
                    record(conn, "系统（数据比对）", "update", "ledger", str(e["id"]),
                           {"status": e["status"]}, {"status": "closed", "closed_year": year},
                           county_code=county_code)
                    e["status"], e["closed_year"] = "closed", year
                    changed += 1
    return changed


def _public(r: Any) -> dict[str, Any]:
    return {"id": r.id, "county_code": r.county_code, "item_id": r.item_id,
            "school_code": r.school_code, "school_name": r.school_name, "text": r.text,
            "status": r.status, "owner": r.owner, "deadline": r.deadline.isoformat(), "note": r.note,
            "opened_year": r.opened_year, "last_seen_year": r.last_seen_year,
            "closed_year": r.closed_year, "overdue": r.status != "closed" and r.deadline < date.today()}


def ledger_entries(engine: Engine, actor: Principal, county_code: str,
                   status: str | None = None) -> list[dict[str, Any]]:
    require(actor.can_read_collection(county_code), "查看该县区的整改台账")
    sync_ledger(engine, county_code)
    t = LedgerEntry.__table__
    q = select(t).where(t.c.county_code == county_code).order_by(
        t.c.status == "closed", t.c.deadline, t.c.item_id, t.c.school_code)
    if status:
        q = q.where(t.c.status == status)
    with read_connection(engine) as conn:
        return [_public(r) for r in conn.execute(q)]


def update_entry(engine: Engine, actor: Principal, entry_id: int, *, owner: str | None = None,
                 deadline: date | None = None, status: str | None = None,
                 note: str | None = None) -> dict[str, Any]:
    t = LedgerEntry.__table__
    with write_transaction(engine) as conn:
        row = conn.execute(select(t).where(t.c.id == entry_id)).first()
        if row is None:
            raise NotFoundError(f"没有编号为 {entry_id} 的台账条目")
        require(actor.can_manage_county(row.county_code), "修改该县区的整改台账")
        if row.status == "closed":
            raise ConflictError("该条目已由数据确认整改完成（已销号），不能再修改")
        changes: dict[str, Any] = {}
        if status is not None:
            if status not in SETTABLE_STATUS:
                raise InvalidRequestError("状态只能设为 待整改 或 整改中；销号由下一次入库的数据自动确认")
            changes["status"] = status
        if owner is not None:
            if not owner.strip() or len(owner) > 100:
                raise InvalidRequestError("请填写责任人或责任单位（不超过 100 字）")
            changes["owner"] = owner.strip()
        if deadline is not None:
            changes["deadline"] = deadline
        if note is not None:
            changes["note"] = note.strip()[:1000] or None
        changes = {k: v for k, v in changes.items() if getattr(row, k) != v}
        if changes:
            conn.execute(update(t).where(t.c.id == entry_id).values(**changes))
            record(conn, actor.actor, "update", "ledger", str(entry_id),
                   {k: getattr(row, k) for k in changes}, changes, county_code=row.county_code)
        row = conn.execute(select(t).where(t.c.id == entry_id)).one()
    return _public(row)
