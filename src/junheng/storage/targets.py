"""Storing and loading a county's targets (the tables of :mod:`junheng.storage.target_models`).

``save_targets`` runs inside the caller's write transaction: the new version and all its
rows, and the old version's ``is_current`` cleared, go in together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, func, insert, select, update

from junheng.analysis.progress import Target
from junheng.storage.target_models import TargetRow, TargetSet


@dataclass(frozen=True, slots=True)
class TargetSetInfo:
    id: int
    county_code: str
    version: int
    is_current: bool
    imported_at: datetime
    imported_by: str
    file_name: str | None
    file_hash: str | None


def _info(r) -> TargetSetInfo:
    return TargetSetInfo(r.id, r.county_code, r.version, r.is_current, r.imported_at, r.imported_by, r.file_name,
                         r.file_hash)


def save_targets(conn: Connection, county_code: str, targets: list[Target], *, by: str,
                 file_name: str | None, file_hash: str | None) -> TargetSetInfo:
    latest = conn.execute(select(func.max(TargetSet.version)).where(TargetSet.county_code == county_code)).scalar()
    conn.execute(update(TargetSet).where(TargetSet.county_code == county_code, TargetSet.is_current)
                 .values(is_current=False))
    now = datetime.now(UTC)
    set_id = conn.execute(insert(TargetSet).values(
        county_code=county_code, version=(latest or 0) + 1, is_current=True, imported_at=now, imported_by=by,
        file_name=file_name, file_hash=file_hash).returning(TargetSet.id)).scalar_one()
    if targets:
        conn.execute(insert(TargetRow), [{
            "set_id": set_id, "seq": n, "measure": t.measure, "scope": t.scope, "baseline_year": t.baseline_year,
            "baseline": t.baseline, "baseline_from_data": t.baseline_from_data, "target": t.target,
            "target_year": t.target_year, "milestones": {str(y): v for y, v in sorted(t.milestones.items())},
            "basis": t.basis, "department": t.department, "note": t.note, "row": t.row,
        } for n, t in enumerate(targets)])
    return _info(conn.execute(select(TargetSet).where(TargetSet.id == set_id)).one())


def current_set(conn: Connection, county_code: str) -> TargetSetInfo | None:
    r = conn.execute(select(TargetSet).where(TargetSet.county_code == county_code, TargetSet.is_current)).first()
    return None if r is None else _info(r)


def target_sets(conn: Connection, county_code: str) -> list[TargetSetInfo]:
    rows = conn.execute(select(TargetSet).where(TargetSet.county_code == county_code)
                        .order_by(TargetSet.version)).all()
    return [_info(r) for r in rows]


def load_targets(conn: Connection, set_id: int) -> list[Target]:
    rows = conn.execute(select(TargetRow).where(TargetRow.set_id == set_id).order_by(TargetRow.seq)).all()
    return [Target(measure=r.measure, scope=r.scope, target=r.target, target_year=r.target_year,
                   baseline_year=r.baseline_year, baseline=r.baseline,
                   milestones={int(y): float(v) for y, v in (r.milestones or {}).items()}, basis=r.basis,
                   department=r.department, note=r.note, baseline_from_data=r.baseline_from_data, row=r.row)
            for r in rows]


def counties_with_targets(conn: Connection, prefix: str = "") -> list[str]:
    rows = conn.execute(select(TargetSet.county_code).where(TargetSet.is_current,
                                                           TargetSet.county_code.startswith(prefix))).scalars()
    return sorted(rows)
