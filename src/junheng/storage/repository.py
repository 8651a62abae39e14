"""CountyData ⇄ rows. Saving is one call inside the caller's write transaction; loading
gives back exactly what was saved (same order, same types, same provenance).

Rows go in by bulk: ``executemany`` on SQLite, ``COPY`` on PostgreSQL — a province
is millions of teacher and class rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from junheng.core.errors import ConcurrentImportError, NotFoundError
from junheng.core.facts import (
    BackboneLevel,
    County,
    CountyData,
    Degree,
    Ownership,
    Ref,
    Room,
    RoomType,
    School,
    SchoolClass,
    SchoolType,
    Stage,
    Teacher,
    TeacherTitle,
    UrbanRural,
)
from junheng.storage.models import (
    ClassRow,
    CountyFact,
    CountyYear,
    EvaluationSnapshot,
    Region,
    RoomRow,
    SchoolRow,
    TeacherRow,
)
from junheng.storage.records import decode_tables, encode_tables


@dataclass(frozen=True, slots=True)
class ImportMeta:
    imported_by: str
    file_name: str | None = None
    file_hash: str | None = None
    imported_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    standard_id: str
    standard_version: str
    recognised: bool
    schools_total: int
    schools_passed: int
    items_failed: int
    summary: dict[str, Any]
    result: dict[str, Any]


@dataclass(frozen=True, slots=True)
class VersionInfo:
    id: int
    county_code: str
    school_year: int
    version: int
    is_current: bool
    imported_at: datetime
    imported_by: str
    file_name: str | None
    file_hash: str | None
    county_name: str
    recognised: bool | None = None


def region_codes(county_code: str) -> tuple[str, str, str]:
    """(province, city, county) codes: the 2- and 4-digit prefixes of the county code."""
    return county_code[:2], county_code[:4], county_code


# ---------------------------------------------------------------- saving

def latest_version(conn: Connection, county_code: str, school_year: int) -> int:
    """The highest stored version of a county-year (0 when never imported)."""
    found = conn.execute(
        select(func.max(CountyYear.version)).where(
            CountyYear.county_code == county_code, CountyYear.school_year == school_year
        )
    ).scalar()
    return int(found or 0)


def save_county_data(
    conn: Connection,
    data: CountyData,
    meta: ImportMeta,
    snapshot: Snapshot,
    expected_version: int,
) -> VersionInfo:
    """Store ``data`` as version ``expected_version + 1`` and make it current.

    ``expected_version`` is the latest version the importer saw before it started;
    if another import stored a version since, nothing is written and
    :class:`ConcurrentImportError` says so. Call inside ``write_transaction``.
    """
    c = data.county
    _save_regions(conn, c)
    if latest_version(conn, c.code, c.school_year) != expected_version:
        raise ConcurrentImportError(c.code, c.school_year)
    conn.execute(
        update(CountyYear)
        .where(CountyYear.county_code == c.code, CountyYear.school_year == c.school_year,
               CountyYear.is_current.is_(True))
        .values(is_current=False)
    )
    imported_at = meta.imported_at or datetime.now(UTC)
    values = dict(
        county_code=c.code, school_year=c.school_year, version=expected_version + 1,
        is_current=True, imported_at=imported_at, imported_by=meta.imported_by,
        file_name=meta.file_name, file_hash=meta.file_hash, county_name=c.name,
        city_name=c.city, province_name=c.province, basic_balance_year=c.basic_balance_year,
        source=data.source,
        fact_refs={k: [r.sheet, r.row, r.column, r.header] for k, r in data.fact_refs.items()},
        column_map={t: {k: list(v) for k, v in cols.items()} for t, cols in data.columns.items()},
        absent_columns={t: sorted(cols) for t, cols in data.absent_columns.items()},
        extra_tables=encode_tables(data.extra_tables),
    )
    try:
        # A savepoint is not needed: any failure aborts the whole import anyway.
        year_id = conn.execute(insert(CountyYear).values(**values).returning(CountyYear.id)).scalar_one()
    except IntegrityError as exc:
        raise ConcurrentImportError(c.code, c.school_year) from exc
    _save_rows(conn, year_id, data)
    conn.execute(insert(EvaluationSnapshot).values(
        county_year_id=year_id, standard_id=snapshot.standard_id,
        standard_version=snapshot.standard_version, recognised=snapshot.recognised,
        schools_total=snapshot.schools_total, schools_passed=snapshot.schools_passed,
        items_failed=snapshot.items_failed, summary=snapshot.summary, result=snapshot.result,
    ))
    return VersionInfo(
        id=year_id, county_code=c.code, school_year=c.school_year, version=expected_version + 1,
        is_current=True, imported_at=imported_at, imported_by=meta.imported_by,
        file_name=meta.file_name, file_hash=meta.file_hash, county_name=c.name,
        recognised=snapshot.recognised,
    )


def _save_regions(conn: Connection, c: County) -> None:
    province, city, county = region_codes(c.code)
    rows = [
        {"code": province, "level": "province", "name": c.province, "parent_code": None},
        {"code": city, "level": "city", "name": c.city, "parent_code": province},
        {"code": county, "level": "county", "name": c.name, "parent_code": city},
    ]
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    table = Region.__table__
    for row in rows:  # parents first, always in this order: no deadlock between imports
        # DO NOTHING takes no lock on an existing row, so imports of different
        # counties of one city do not wait for each other here.
        conn.execute(dialect.insert(table).values(**row).on_conflict_do_nothing(index_elements=["code"]))
        if row["name"]:
            conn.execute(update(table).where(table.c.code == row["code"], table.c.name.is_(None))
                         .values(name=row["name"]))


def _fact_value(value: Any) -> tuple[str, str | None]:
    if value is None:
        return "null", None
    if isinstance(value, bool):
        return "bool", "true" if value else "false"
    if isinstance(value, int):
        return "int", str(value)
    if isinstance(value, float):
        return "float", repr(value)
    if isinstance(value, str):
        return "str", value
    return "json", json.dumps(value, ensure_ascii=False)


def _fact_from(value_type: str, text: str | None) -> Any:
    if value_type == "null":
        return None
    if value_type == "bool":
        return text == "true"
    if value_type == "int":
        return int(text)
    if value_type == "float":
        return float(text)
    if value_type == "str":
        return text
    return json.loads(text)


def _save_rows(conn: Connection, year_id: int, data: CountyData) -> None:
    _bulk(conn, CountyFact.__table__, (
        (year_id, key, seq, *_fact_value(v)) for seq, (key, v) in enumerate(data.facts.items())
    ))
    _bulk(conn, SchoolRow.__table__, (
        (year_id, seq, s.code, s.name, s.school_type.value, s.urban_rural.value, s.ownership.value,
         s.boarding, s.primary_students, s.junior_students, s.senior_students, s.teaching_area,
         s.indoor_sports_area, s.sports_area, s.equipment_value, s.multimedia_rooms,
         s.public_funds_budget, s.training_budget, s.public_funds_allocated, s.group, s.row,
         json.dumps(s.extra, ensure_ascii=False))
        for seq, s in enumerate(data.schools)
    ))
    _bulk(conn, TeacherRow.__table__, (
        (year_id, seq, t.teacher_id, t.school_code, t.stage.value, t.degree.value,
         t.backbone_level.value, t.subject, t.certified, t.training_hours_5y,
         t.rotation_eligible, t.rotated, None if t.title is None else t.title.value, t.row,
         json.dumps(t.extra, ensure_ascii=False) if t.extra else None)
        for seq, t in enumerate(data.teachers)
    ))
    _bulk(conn, ClassRow.__table__, (
        (year_id, seq, k.school_code, k.stage.value, k.grade, k.class_name, k.students, k.row)
        for seq, k in enumerate(data.classes)
    ))
    _bulk(conn, RoomRow.__table__, (
        (year_id, seq, r.school_code, r.room_type.value, r.area, r.row)
        for seq, r in enumerate(data.rooms)
    ))


def _bulk(conn: Connection, table: Table, rows: Iterable[Sequence[Any]]) -> None:
    """Insert tuples in the table's column order, as fast as the driver allows."""
    names = ", ".join(f'"{c.name}"' for c in table.columns)
    if conn.dialect.name == "postgresql":
        cursor = conn.connection.driver_connection.cursor()
        with cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    batch = list(rows)
    if batch:
        marks = ", ".join("?" for _ in table.columns)
        conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", batch)


# ---------------------------------------------------------------- loading

_YEARS = CountyYear.__table__
# What a VersionInfo needs: not the JSON columns (extra tables, column maps), which are
# large and would be decoded on every dashboard request.
_VERSION_COLUMNS = tuple(_YEARS.c[name] for name in (
    "id", "county_code", "school_year", "version", "is_current", "imported_at", "imported_by",
    "file_name", "file_hash", "county_name"))
# Enum members by value: a dict lookup is several times faster than Enum(value), and a
# province is millions of rows.
_STAGES = {m.value: m for m in Stage}
_DEGREES = {m.value: m for m in Degree}
_BACKBONE = {m.value: m for m in BackboneLevel}
_TITLES: dict[str | None, TeacherTitle | None] = {m.value: m for m in TeacherTitle} | {None: None}
_ROOM_TYPES = {m.value: m for m in RoomType}

def _version_info(row: Any, recognised: bool | None = None) -> VersionInfo:
    at = row.imported_at
    if at.tzinfo is None:  # SQLite drops the zone; we always store UTC
        at = at.replace(tzinfo=UTC)
    return VersionInfo(
        id=row.id, county_code=row.county_code, school_year=row.school_year, version=row.version,
        is_current=row.is_current, imported_at=at, imported_by=row.imported_by,
        file_name=row.file_name, file_hash=row.file_hash, county_name=row.county_name,
        recognised=recognised,
    )


def list_versions(conn: Connection, county_code: str, school_year: int) -> list[VersionInfo]:
    rows = conn.execute(
        select(*_VERSION_COLUMNS, EvaluationSnapshot.recognised)
        .outerjoin(EvaluationSnapshot, EvaluationSnapshot.county_year_id == CountyYear.id)
        .where(CountyYear.county_code == county_code, CountyYear.school_year == school_year)
        .order_by(CountyYear.version)
    ).all()
    return [_version_info(r, r.recognised) for r in rows]


def find_version(conn: Connection, county_code: str, school_year: int,
                 version: int | None = None) -> VersionInfo:
    """The given version, or the current one; NotFoundError in Chinese when absent."""
    q = (select(*_VERSION_COLUMNS, EvaluationSnapshot.recognised)
         .outerjoin(EvaluationSnapshot, EvaluationSnapshot.county_year_id == CountyYear.id)
         .where(CountyYear.county_code == county_code, CountyYear.school_year == school_year))
    q = q.where(CountyYear.is_current.is_(True)) if version is None else q.where(CountyYear.version == version)
    row = conn.execute(q).first()
    if row is None:
        which = "" if version is None else f"第 {version} 版"
        raise NotFoundError(f"数据库中没有县区 {county_code} {school_year} 学年{which}的数据")
    return _version_info(row, row.recognised)


def county_years(conn: Connection, county_code: str) -> list[VersionInfo]:
    """The current version of every stored school year of a county, oldest first."""
    rows = conn.execute(
        select(*_VERSION_COLUMNS, EvaluationSnapshot.recognised)
        .outerjoin(EvaluationSnapshot, EvaluationSnapshot.county_year_id == CountyYear.id)
        .where(CountyYear.county_code == county_code, CountyYear.is_current.is_(True))
        .order_by(CountyYear.school_year)
    ).all()
    return [_version_info(r, r.recognised) for r in rows]


def load_county_data(conn: Connection, county_code: str, school_year: int,
                     version: int | None = None) -> CountyData:
    info = find_version(conn, county_code, school_year, version)
    return load_version(conn, info.id)


def load_version(conn: Connection, county_year_id: int) -> CountyData:
    y = conn.execute(select(_YEARS).where(_YEARS.c.id == county_year_id)).one()
    county = County(code=y.county_code, name=y.county_name, school_year=y.school_year,
                    city=y.city_name, province=y.province_name, basic_balance_year=y.basic_balance_year)
    facts = {
        r.key: _fact_from(r.value_type, r.value)
        for r in conn.execute(select(CountyFact.__table__).where(CountyFact.county_year_id == y.id)
                              .order_by(CountyFact.seq))
    }
    return CountyData(
        county=county,
        schools=load_schools(conn, y.id),
        teachers=load_teachers(conn, y.id),
        classes=[
            SchoolClass(r.school_code, _STAGES[r.stage], r.grade, r.class_name, r.students, r.row)
            for r in _rows(conn, ClassRow, y.id)
        ],
        rooms=[Room(r.school_code, _ROOM_TYPES[r.room_type], r.area, r.row) for r in _rows(conn, RoomRow, y.id)],
        facts=facts,
        fact_refs={k: Ref(*v) for k, v in y.fact_refs.items()},
        extra_tables=decode_tables(y.extra_tables),
        absent_columns={t: frozenset(cols) for t, cols in y.absent_columns.items()},
        columns={t: {k: tuple(v) for k, v in cols.items()} for t, cols in y.column_map.items()},
        source=y.source,
    )


def _rows(conn: Connection, model: Any, year_id: int) -> Any:
    table = model.__table__
    return conn.execute(select(table).where(table.c.county_year_id == year_id).order_by(table.c.seq))


def load_schools(conn: Connection, county_year_id: int) -> list[School]:
    out = []
    for r in _rows(conn, SchoolRow, county_year_id):
        extra = _extra(r.extra)
        out.append(School(
            code=r.code, name=r.name, school_type=SchoolType(r.school_type),
            urban_rural=UrbanRural(r.urban_rural), ownership=Ownership(r.ownership),
            boarding=r.boarding, primary_students=r.primary_students,
            junior_students=r.junior_students, senior_students=r.senior_students,
            teaching_area=r.teaching_area, sports_area=r.sports_area,
            equipment_value=r.equipment_value, multimedia_rooms=r.multimedia_rooms,
            public_funds_budget=r.public_funds_budget, training_budget=r.training_budget,
            public_funds_allocated=r.public_funds_allocated,
            indoor_sports_area=r.indoor_sports_area, group=r.group_name, row=r.row, extra=extra,
        ))
    return out


def load_teachers(conn: Connection, county_year_id: int) -> list[Teacher]:
    t = TeacherRow.__table__
    cols = [t.c.teacher_id, t.c.school_code, t.c.stage, t.c.degree, t.c.backbone_level, t.c.subject,
            t.c.certified, t.c.training_hours_5y, t.c.rotation_eligible, t.c.rotated, t.c.title, t.c.row,
            t.c.extra]
    rows = conn.execute(select(*cols).where(t.c.county_year_id == county_year_id).order_by(t.c.seq)).all()
    # Positional tuples from one fetchall: a county has tens of thousands of teachers.
    return [
        Teacher(tid, school, _STAGES[stage], _DEGREES[degree], _BACKBONE[backbone], subject, certified,
                hours, eligible, rotated, _TITLES[title], row, _extra(extra))
        for (tid, school, stage, degree, backbone, subject, certified, hours, eligible, rotated, title, row,
             extra) in rows
    ]


def _extra(value: Any) -> dict[str, Any]:
    if value is None:
        return {}
    return value if isinstance(value, dict) else json.loads(value)


def load_snapshot(conn: Connection, county_year_id: int) -> Snapshot:
    r = conn.execute(
        select(EvaluationSnapshot.__table__).where(EvaluationSnapshot.county_year_id == county_year_id)
    ).one()
    return Snapshot(r.standard_id, r.standard_version, r.recognised, r.schools_total,
                    r.schools_passed, r.items_failed, r.summary, r.result)


@dataclass(frozen=True, slots=True)
class StoredSummary:
    county_code: str
    county_name: str
    school_year: int
    version: int
    county_year_id: int
    recognised: bool
    summary: dict[str, Any]


def current_summaries(conn: Connection, *, county_code: str | None = None, prefix: str | None = None,
                      year_from: int | None = None, year_to: int | None = None) -> list[StoredSummary]:
    """The stored summaries of current versions: one county, or every county under a
    region prefix; ordered by county then year. Reads only the small summary column."""
    q = _summaries().where(CountyYear.is_current.is_(True))
    if county_code is not None:
        q = q.where(CountyYear.county_code == county_code)
    if prefix is not None:
        q = q.where(CountyYear.county_code.startswith(prefix, autoescape=True))
    if year_from is not None:
        q = q.where(CountyYear.school_year >= year_from)
    if year_to is not None:
        q = q.where(CountyYear.school_year <= year_to)
    q = q.order_by(CountyYear.county_code, CountyYear.school_year)
    return [_stored_summary(r) for r in conn.execute(q)]


def load_summary(conn: Connection, county_year_id: int) -> StoredSummary:
    """The stored summary of one county-year version."""
    return _stored_summary(conn.execute(_summaries().where(CountyYear.id == county_year_id)).one())


def _summaries() -> Any:
    return (select(CountyYear.id, CountyYear.county_code, CountyYear.county_name, CountyYear.school_year,
                   CountyYear.version, EvaluationSnapshot.recognised, EvaluationSnapshot.summary)
            .join(EvaluationSnapshot, EvaluationSnapshot.county_year_id == CountyYear.id))


def _stored_summary(r: Any) -> StoredSummary:
    return StoredSummary(r.county_code, r.county_name, r.school_year, r.version, r.id, r.recognised, r.summary)


def region_names(conn: Connection, codes: Sequence[str]) -> dict[str, str | None]:
    rows = conn.execute(select(Region.code, Region.name).where(Region.code.in_(list(codes))))
    return {r.code: r.name for r in rows}


def school_names(conn: Connection, county_year_id: int) -> dict[str, str]:
    t = SchoolRow.__table__
    rows = conn.execute(select(t.c.code, t.c.name).where(t.c.county_year_id == county_year_id)
                        .order_by(t.c.seq))
    return {r.code: r.name for r in rows}




def teacher_schools(conn: Connection, county_year_id: int) -> dict[str, str]:
    """teacher id -> school code (two columns only: what school histories need)."""
    t = TeacherRow.__table__
    rows = conn.execute(select(t.c.teacher_id, t.c.school_code).where(t.c.county_year_id == county_year_id))
    return {r.teacher_id: r.school_code for r in rows}


def latest_year(conn: Connection, prefix: str) -> int | None:
    return conn.execute(
        select(func.max(CountyYear.school_year)).where(
            CountyYear.county_code.startswith(prefix, autoescape=True), CountyYear.is_current.is_(True))
    ).scalar()
