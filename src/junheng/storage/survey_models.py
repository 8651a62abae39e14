"""The 社会认可度 survey's tables: one survey per county-year (its questionnaire,
settings and sampling design, kept as designed), its one-time codes (only their
sha256 is stored: a stolen database gives no usable code) and its responses, whether
answered on the web page or imported from another tool's workbook."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from junheng.storage.base import Base


def _survey_fk() -> Any:
    return ForeignKey("surveys.id", ondelete="CASCADE")


class Survey(Base):
    __tablename__ = "surveys"
    __table_args__ = (UniqueConstraint("county_code", "school_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6))
    county_name: Mapped[str] = mapped_column(Text)
    school_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # open | closed
    questionnaire: Mapped[dict[str, Any]] = mapped_column(JSON)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The sampling list: [{school_code, school_name, group, population, sample, codes}]
    design: Mapped[list[Any]] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SurveyCode(Base):
    __tablename__ = "survey_codes"
    __table_args__ = (Index(None, "survey_id", "school_code", "group_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(_survey_fk())
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    school_code: Mapped[str] = mapped_column(String(20))  # "" for a county-level group
    group_id: Mapped[str] = mapped_column(String(20))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SurveyImport(Base):
    """One imported workbook of responses (a file is imported once)."""

    __tablename__ = "survey_imports"
    __table_args__ = (UniqueConstraint("survey_id", "file_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(_survey_fk())
    file_name: Mapped[str] = mapped_column(Text)
    file_hash: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SurveyResponse(Base):
    __tablename__ = "survey_responses"
    __table_args__ = (Index(None, "survey_id", "group_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_id: Mapped[int] = mapped_column(_survey_fk())
    # One answer per code: a second submission with the same code fails on this constraint.
    code_id: Mapped[int | None] = mapped_column(ForeignKey("survey_codes.id", ondelete="CASCADE"), unique=True)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("survey_imports.id", ondelete="CASCADE"))
    school_code: Mapped[str] = mapped_column(String(20))
    group_id: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict[str, Any]] = mapped_column(JSON)  # item id -> value (None: not answered)
    row: Mapped[int | None] = mapped_column(Integer)  # Excel row of an imported response
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
