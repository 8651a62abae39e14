"""Reads and writes of the survey tables (:mod:`junheng.storage.survey_models`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from junheng.storage.survey_models import Survey, SurveyCode, SurveyImport, SurveyResponse

_S, _C, _I, _R = Survey.__table__, SurveyCode.__table__, SurveyImport.__table__, SurveyResponse.__table__


@dataclass(slots=True)
class StoredSurvey:
    id: int
    county_code: str
    county_name: str
    school_year: int
    status: str
    questionnaire: dict[str, Any]
    settings: dict[str, Any]
    design: list[dict[str, Any]]
    created_by: str
    created_at: datetime
    closed_at: datetime | None


@dataclass(slots=True)
class StoredResponse:
    school_code: str
    group: str
    answers: dict[str, Any]
    source: str  # web | import


@dataclass(slots=True)
class CodeInfo:
    id: int
    survey_id: int
    school_code: str
    group: str
    used: bool


def find_survey(conn: Connection, county_code: str, school_year: int | None = None) -> StoredSurvey | None:
    """The survey of a county-year (the latest year's when ``school_year`` is None)."""
    q = select(_S).where(_S.c.county_code == county_code)
    q = q.where(_S.c.school_year == school_year) if school_year is not None else q.order_by(_S.c.school_year.desc())
    row = conn.execute(q.limit(1)).first()
    return None if row is None else _survey(row)


def get_survey(conn: Connection, survey_id: int) -> StoredSurvey:
    return _survey(conn.execute(select(_S).where(_S.c.id == survey_id)).one())


def _survey(r: Any) -> StoredSurvey:
    return StoredSurvey(r.id, r.county_code, r.county_name, r.school_year, r.status, r.questionnaire, r.settings,
                        list(r.design), r.created_by, r.created_at, r.closed_at)


def create_survey(conn: Connection, *, county_code: str, county_name: str, school_year: int,
                  questionnaire: dict[str, Any], settings: dict[str, Any], design: list[dict[str, Any]],
                  by: str, at: datetime) -> int:
    return conn.execute(insert(_S).values(
        county_code=county_code, county_name=county_name, school_year=school_year, status="open",
        questionnaire=questionnaire, settings=settings, design=design, created_by=by, created_at=at,
    ).returning(_S.c.id)).scalar_one()


def delete_survey(conn: Connection, survey_id: int) -> None:
    for table in (_R, _I, _C):  # SQLite enforces ON DELETE CASCADE only with a pragma
        conn.execute(delete(table).where(table.c.survey_id == survey_id))
    conn.execute(delete(_S).where(_S.c.id == survey_id))


def set_status(conn: Connection, survey_id: int, status: str, at: datetime | None) -> None:
    conn.execute(update(_S).where(_S.c.id == survey_id).values(status=status, closed_at=at))


def add_codes(conn: Connection, survey_id: int, rows: Iterable[tuple[str, str, str]], at: datetime) -> None:
    """``rows``: (code hash, school code, group)."""
    values = [{"survey_id": survey_id, "code_hash": h, "school_code": s, "group_id": g, "issued_at": at}
              for h, s, g in rows]
    if values:
        conn.execute(insert(_C), values)


def issued_counts(conn: Connection, survey_id: int) -> dict[tuple[str, str], int]:
    rows = conn.execute(select(_C.c.school_code, _C.c.group_id, func.count()).where(_C.c.survey_id == survey_id)
                        .group_by(_C.c.school_code, _C.c.group_id))
    return {(s, g): n for s, g, n in rows}


def find_code(conn: Connection, code_hash: str) -> CodeInfo | None:
    r = conn.execute(select(_C).where(_C.c.code_hash == code_hash)).first()
    return None if r is None else CodeInfo(r.id, r.survey_id, r.school_code, r.group_id, r.used_at is not None)


def use_code(conn: Connection, code: CodeInfo, answers: dict[str, Any], at: datetime) -> bool:
    """Mark the code used and store its answers; False (nothing written) when it was
    used in the meantime."""
    done = conn.execute(update(_C).where(_C.c.id == code.id, _C.c.used_at.is_(None)).values(used_at=at))
    if done.rowcount != 1:
        return False
    conn.execute(insert(_R).values(survey_id=code.survey_id, code_id=code.id, school_code=code.school_code,
                                   group_id=code.group, answers=answers, submitted_at=at))
    return True


def import_done(conn: Connection, survey_id: int, file_hash: str) -> bool:
    return conn.execute(select(_I.c.id).where(_I.c.survey_id == survey_id, _I.c.file_hash == file_hash)).first() \
        is not None


def add_import(conn: Connection, survey_id: int, *, file_name: str, file_hash: str, by: str, at: datetime,
               responses: Sequence[tuple[int, str, str, dict[str, Any]]]) -> int:
    """``responses``: (Excel row, school code, group, answers)."""
    import_id = conn.execute(insert(_I).values(
        survey_id=survey_id, file_name=file_name, file_hash=file_hash, rows=len(responses), imported_by=by,
        imported_at=at).returning(_I.c.id)).scalar_one()
    if responses:
        conn.execute(insert(_R), [{"survey_id": survey_id, "import_id": import_id, "school_code": s, "group_id": g,
                                   "answers": a, "row": row, "submitted_at": at} for row, s, g, a in responses])
    return import_id


def responses(conn: Connection, survey_id: int) -> list[StoredResponse]:
    rows = conn.execute(select(_R.c.school_code, _R.c.group_id, _R.c.answers, _R.c.import_id)
                        .where(_R.c.survey_id == survey_id).order_by(_R.c.id))
    return [StoredResponse(r.school_code, r.group_id, dict(r.answers), "import" if r.import_id else "web")
            for r in rows]


def imports(conn: Connection, survey_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(select(_I).where(_I.c.survey_id == survey_id).order_by(_I.c.id))
    return [{"file_name": r.file_name, "rows": r.rows, "imported_by": r.imported_by, "imported_at": r.imported_at}
            for r in rows]


def progress_counts(conn: Connection, survey_id: int) -> dict[tuple[str, str], tuple[int, int, int]]:
    """Per (school code, group): (codes issued, codes used, imported answers)."""
    out: dict[tuple[str, str], list[int]] = {}
    for school, group, n, used in conn.execute(
            select(_C.c.school_code, _C.c.group_id, func.count(), func.count(_C.c.used_at))
            .where(_C.c.survey_id == survey_id).group_by(_C.c.school_code, _C.c.group_id)):
        out.setdefault((school, group), [0, 0, 0])[:2] = [n, used]
    for school, group, n in conn.execute(
            select(_R.c.school_code, _R.c.group_id, func.count())
            .where(_R.c.survey_id == survey_id, _R.c.import_id.is_not(None))
            .group_by(_R.c.school_code, _R.c.group_id)):
        out.setdefault((school, group), [0, 0, 0])[2] = n
    return {k: (v[0], v[1], v[2]) for k, v in out.items()}
