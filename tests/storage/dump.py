"""The whole database as plain sorted rows, to check "exactly as before"."""

from __future__ import annotations

from sqlalchemy import inspect, text


def dump(engine) -> dict[str, list[tuple]]:
    out = {}
    with engine.connect() as conn:
        for table in sorted(inspect(conn).get_table_names()):
            rows = conn.execute(text(f'SELECT * FROM "{table}"')).all()
            out[table] = sorted(tuple(map(repr, r)) for r in rows)
    return out
