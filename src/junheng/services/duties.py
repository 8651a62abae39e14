"""Separation of duties in a collection round, read from the audit log (written in the
same transaction as every change, so it cannot miss one):

* whoever saved or uploaded values into a school's part may not approve it — another
  of the county's bureau admins must (returning it stays possible);
* a school's master data (name, type, township) changed by a clerk is shown to the
  reviewer as such, and reaches the school list and the published year only through
  the approval (services.collection keeps the approved name until then).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from junheng.services import submission_forms as sf
from junheng.storage.web_models import AuditEntry

MASTER_FIELDS = ("name", "school_type", "township")
CHANGES = ("save", "upload")  # audit actions that change a submission's values


def _lines(county_code: str, key: str):  # noqa: ANN202 - a select
    return (AuditEntry.county_code == county_code) & (AuditEntry.entity == "submission") & (
        AuditEntry.entity_key == key) & AuditEntry.action.in_(CHANGES)


def changed_by(conn: Connection, county_code: str, key: str) -> set[str]:
    """Everyone who saved or uploaded values into this school's part of the round."""
    return set(conn.execute(select(AuditEntry.actor).distinct().where(_lines(county_code, key))).scalars())


def master_changes(conn: Connection, county_code: str, key: str, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The school's name, type and township as the round opened them → as they are now,
    for the fields that differ (the first recorded old value is the opening one)."""
    sheet = sf.spec().sheet("schools")
    first: dict[str, Any] = {}
    for old in conn.execute(select(AuditEntry.old).where(_lines(county_code, key)).order_by(AuditEntry.id)).scalars():
        for field in MASTER_FIELDS:
            path = f"{sheet.name}.{field}"
            if isinstance(old, dict) and path in old and field not in first:
                first[field] = old[path]
    now = data.get("schools", {})
    headers = {f.key: f.display_header for f in sheet.fields}
    return [{"field": field, "header": headers.get(field, field), "old": first[field], "new": now.get(field)}
            for field in MASTER_FIELDS if field in first and first[field] != now.get(field)]
