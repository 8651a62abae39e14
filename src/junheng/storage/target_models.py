"""The bureau's own targets (issue 15 §1): one imported version of a county's targets
workbook per ``target_sets`` row, its targets in ``targets``.

An import replaces the county's current set as a whole (all rows or none) and keeps the
old one (``is_current`` false) with who, when and the file, like a county-year.
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


class TargetSet(Base):
    __tablename__ = "target_sets"
    __table_args__ = (
        UniqueConstraint("county_code", "version"),
        Index("uq_target_sets_current", "county_code", unique=True,
              sqlite_where=text("is_current"), postgresql_where=text("is_current")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6))
    version: Mapped[int] = mapped_column(Integer)
    is_current: Mapped[bool] = mapped_column(Boolean)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[str] = mapped_column(Text)
    file_name: Mapped[str | None] = mapped_column(Text)
    file_hash: Mapped[str | None] = mapped_column(String(64))


class TargetRow(Base):
    __tablename__ = "targets"

    set_id: Mapped[int] = mapped_column(ForeignKey("target_sets.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    measure: Mapped[str] = mapped_column(Text)
    scope: Mapped[str] = mapped_column(Text)
    baseline_year: Mapped[int | None] = mapped_column(Integer)
    baseline: Mapped[float | None] = mapped_column(Double)
    baseline_from_data: Mapped[bool] = mapped_column(Boolean)  # 基线值 was blank: filled from the data
    target: Mapped[float] = mapped_column(Double)
    target_year: Mapped[int] = mapped_column(Integer)
    milestones: Mapped[dict[str, Any]] = mapped_column(JSON)  # {"2024": 0.3, …} in the measure's own scale
    basis: Mapped[str | None] = mapped_column(Text)  # 依据
    department: Mapped[str | None] = mapped_column(Text)  # 责任科室
    note: Mapped[str | None] = mapped_column(Text)
    row: Mapped[int] = mapped_column(Integer)  # Excel row it came from
