"""The tables: regions, county-years (one row per imported version) and their rows.

A county-year is imported whole; every re-import adds a new ``county_years`` row with
the next version and the old one stays (``is_current`` false), with all its schools,
teachers, classes, rooms and facts, so that any two versions can be compared. Child
rows are keyed by (county_year_id, seq) — seq keeps the workbook order so a load
gives back exactly what was saved.

Regions use code prefixes: province = 2 digits, city = 4, county = 6 (the county code
of the workbook), so a city or a province view is a prefix match.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from junheng.storage.base import Base


def _year_fk() -> Any:
    return ForeignKey("county_years.id", ondelete="CASCADE")


class Region(Base):
    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    level: Mapped[str] = mapped_column(String(10))  # province | city | county
    name: Mapped[str | None] = mapped_column(Text)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"), index=True)


class CountyYear(Base):
    """One imported version of one county's data for one school year."""

    __tablename__ = "county_years"
    __table_args__ = (
        UniqueConstraint("county_code", "school_year", "version"),
        # At most one current version per county-year; the second of two racing
        # imports fails here (or on the version constraint) and is told to retry.
        Index(
            "uq_county_years_current",
            "county_code",
            "school_year",
            unique=True,
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("regions.code"))
    school_year: Mapped[int] = mapped_column(Integer)
    version: Mapped[int] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(Text)
    file_hash: Mapped[str | None] = mapped_column(String(64))  # sha256 hex of the workbook
    county_name: Mapped[str] = mapped_column(Text)
    city_name: Mapped[str | None] = mapped_column(Text)
    province_name: Mapped[str | None] = mapped_column(Text)
    basic_balance_year: Mapped[int | None] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(Text)
    # Provenance maps and extra tables of CountyData, kept as they were.
    fact_refs: Mapped[dict[str, Any]] = mapped_column(JSON)
    column_map: Mapped[dict[str, Any]] = mapped_column(JSON)
    absent_columns: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Typed records (kindergartens, ...) as {"type": "module:Class", "rows": [...]}.
    extra_tables: Mapped[dict[str, Any]] = mapped_column(JSON)


class CountyFact(Base):
    """A 县级指标 value with its type, so 1, 1.0 and True come back as they went in."""

    __tablename__ = "county_facts"

    county_year_id: Mapped[int] = mapped_column(_year_fk(), primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    value_type: Mapped[str] = mapped_column(String(10))  # bool | int | float | str | null | json
    value: Mapped[str | None] = mapped_column(Text)


class SchoolRow(Base):
    __tablename__ = "schools"
    __table_args__ = (UniqueConstraint("county_year_id", "code"), Index(None, "code"))

    county_year_id: Mapped[int] = mapped_column(_year_fk(), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(Text)
    school_type: Mapped[str] = mapped_column(String(30))
    urban_rural: Mapped[str] = mapped_column(String(10))
    ownership: Mapped[str] = mapped_column(String(10))
    boarding: Mapped[bool] = mapped_column(Boolean)
    primary_students: Mapped[int] = mapped_column(Integer)
    junior_students: Mapped[int] = mapped_column(Integer)
    senior_students: Mapped[int] = mapped_column(Integer)
    teaching_area: Mapped[float] = mapped_column(Double)
    indoor_sports_area: Mapped[float | None] = mapped_column(Double)
    sports_area: Mapped[float] = mapped_column(Double)
    equipment_value: Mapped[float] = mapped_column(Double)
    multimedia_rooms: Mapped[int] = mapped_column(Integer)
    public_funds_budget: Mapped[float] = mapped_column(Double)
    training_budget: Mapped[float] = mapped_column(Double)
    public_funds_allocated: Mapped[float] = mapped_column(Double)
    group_name: Mapped[str | None] = mapped_column(Text)
    row: Mapped[int] = mapped_column(Integer)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON)


class TeacherRow(Base):
    __tablename__ = "teachers"

    county_year_id: Mapped[int] = mapped_column(_year_fk(), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    teacher_id: Mapped[str] = mapped_column(Text)
    school_code: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(10))
    degree: Mapped[str] = mapped_column(String(30))
    backbone_level: Mapped[str] = mapped_column(String(10))
    subject: Mapped[str] = mapped_column(Text)
    certified: Mapped[bool] = mapped_column(Boolean)
    training_hours_5y: Mapped[float] = mapped_column(Double)
    rotation_eligible: Mapped[bool] = mapped_column(Boolean)
    rotated: Mapped[bool] = mapped_column(Boolean)
    title: Mapped[str | None] = mapped_column(String(20))
    row: Mapped[int] = mapped_column(Integer)
    # Optional columns (可调配); NULL when a teacher has none, i.e. nearly always.
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ClassRow(Base):
    __tablename__ = "classes"

    county_year_id: Mapped[int] = mapped_column(_year_fk(), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_code: Mapped[str] = mapped_column(Text)
    stage: Mapped[str] = mapped_column(String(10))
    grade: Mapped[int] = mapped_column(Integer)
    class_name: Mapped[str] = mapped_column(Text)
    students: Mapped[int] = mapped_column(Integer)
    row: Mapped[int] = mapped_column(Integer)


class RoomRow(Base):
    __tablename__ = "rooms"

    county_year_id: Mapped[int] = mapped_column(_year_fk(), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_code: Mapped[str] = mapped_column(Text)
    room_type: Mapped[str] = mapped_column(String(10))
    area: Mapped[float] = mapped_column(Double)
    row: Mapped[int] = mapped_column(Integer)


class EvaluationSnapshot(Base):
    """The evaluation made at import time, and a small summary for trends and regions."""

    __tablename__ = "evaluations"

    county_year_id: Mapped[int] = mapped_column(_year_fk(), primary_key=True)
    standard_id: Mapped[str] = mapped_column(Text)
    standard_version: Mapped[str] = mapped_column(Text)
    recognised: Mapped[bool] = mapped_column(Boolean)
    schools_total: Mapped[int] = mapped_column(Integer)
    schools_passed: Mapped[int] = mapped_column(Integer)
    items_failed: Mapped[int] = mapped_column(Integer)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


metadata = Base.metadata

# The web app's tables share this metadata (one schema, one migration history); they
# are imported here so that whoever reads ``metadata`` sees every table.
from junheng.storage import job_models as _job_models  # noqa: E402,F401
from junheng.storage import survey_models as _survey_models  # noqa: E402,F401
from junheng.storage import target_models as _target_models  # noqa: E402,F401
from junheng.storage import web_models as _web_models  # noqa: E402,F401
