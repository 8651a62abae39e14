"""The web app's tables: accounts, sessions, the audit log, collection rounds and
school submissions, evidence files with the bureau's judgements, and the
rectification ledger (整改台账).

They share the declarative ``Base`` (one metadata, one Alembic history) with the
county-year tables of :mod:`junheng.storage.models`; county-years themselves are
stored only through the history service, whoever produced them (an upload or a
published collection round).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from junheng.storage.base import Base


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(Text)
    password_hash: Mapped[str] = mapped_column(Text)
    # admin | supervisor | county_admin | clerk | viewer (junheng.services.accounts.Role)
    role: Mapped[str] = mapped_column(String(20))
    # Region the user sees: a 2-digit province, 4-digit city or 6-digit county prefix.
    region_code: Mapped[str | None] = mapped_column(String(6), index=True)
    school_code: Mapped[str | None] = mapped_column(String(10))  # clerks only
    active: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set for accounts an admin created or reset: the next sign-in must choose a password.
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Consecutive failed sign-ins (reset by a success): the exponential delay and the lock.
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    locked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # lifted by an admin


class WebSession(Base):
    """A signed-in browser. Only the token's sha256 is kept: a stolen database does
    not give usable cookies."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The idle timeout counts from here (refreshed at most once a minute).
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    address: Mapped[str | None] = mapped_column(String(64))  # where it signed in
    # The message of the next page (post/redirect/get), {"text", "kind"}; shown once.
    flash: Mapped[Any] = mapped_column(JSON, nullable=True)


class AuditEntry(Base):
    """One change: who, when, what, old → new. Written in the change's transaction."""

    __tablename__ = "audit_log"
    __table_args__ = (Index(None, "county_code", "id"), Index(None, "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(40))
    entity: Mapped[str] = mapped_column(String(40))
    entity_key: Mapped[str] = mapped_column(Text)
    county_code: Mapped[str | None] = mapped_column(String(6))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    address: Mapped[str | None] = mapped_column(String(64))  # the client's, as the app saw it


class CollectionRound(Base):
    """A county's data collection for one school year (填报轮次)."""

    __tablename__ = "collection_rounds"
    __table_args__ = (UniqueConstraint("county_code", "school_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6))
    school_year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))  # open | published
    # 基本信息 and 县级指标 as cells keyed by template field (the bureau's part).
    county: Mapped[dict[str, Any]] = mapped_column(JSON)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Last year's figures per school and the county medians (plausibility warnings).
    baseline: Mapped[dict[str, Any]] = mapped_column(JSON)
    opened_by: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    published_version: Mapped[int | None] = mapped_column(Integer)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Submission(Base):
    """One school's part of a round: its row, teachers, classes and rooms as cells."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("round_id", "school_code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("collection_rounds.id", ondelete="CASCADE"))
    school_code: Mapped[str] = mapped_column(String(10))
    school_name: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12))  # draft | submitted | returned | approved
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    # 说明 for warnings, keyed by the warning's key.
    explanations: Mapped[dict[str, Any]] = mapped_column(JSON)
    comment: Mapped[str | None] = mapped_column(Text)  # the bureau's last return comment
    revision: Mapped[int] = mapped_column(Integer)  # bumped by every change (lost-update guard)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviewed_by: Mapped[str | None] = mapped_column(Text)


class SubmissionEvent(Base):
    """The review history of a submission: submitted, returned (with comment), approved."""

    __tablename__ = "submission_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(Text)


class EvidenceFile(Base):
    """A 佐证材料 file for an item judged on evidence (G1, G2, G10, Q3, Q5–Q8)."""

    __tablename__ = "evidence_files"
    __table_args__ = (Index(None, "round_id", "item_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("collection_rounds.id", ondelete="CASCADE"))
    item_id: Mapped[str] = mapped_column(String(10))
    file_name: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[str] = mapped_column(Text)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EvidenceJudgement(Base):
    """The bureau's judgement of one evidence item; it sets the item's county fact."""

    __tablename__ = "evidence_judgements"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("collection_rounds.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(10), primary_key=True)
    met: Mapped[bool] = mapped_column(Boolean)
    comment: Mapped[str | None] = mapped_column(Text)
    judged_by: Mapped[str] = mapped_column(Text)
    judged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class LedgerEntry(Base):
    """One shortfall to fix (整改台账). Closed only by data: when a later stored
    county-year no longer shows it."""

    __tablename__ = "ledger_entries"
    __table_args__ = (Index(None, "county_code", "status"), Index(None, "county_code", "key"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    county_code: Mapped[str] = mapped_column(String(6))
    key: Mapped[str] = mapped_column(Text)  # item id | school code (stable across years)
    item_id: Mapped[str] = mapped_column(String(20))
    school_code: Mapped[str | None] = mapped_column(String(10))
    school_name: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)  # the latest wording of the shortfall
    status: Mapped[str] = mapped_column(String(12))  # open | in_progress | closed
    owner: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    opened_year: Mapped[int] = mapped_column(Integer)
    last_seen_year: Mapped[int] = mapped_column(Integer)
    closed_year: Mapped[int | None] = mapped_column(Integer)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class SignInFailure(Base):
    """One failed (or still running) sign-in attempt, for the sign-in limit. Kept in
    the database so that every ``junheng serve`` worker counts the same attempts;
    rows older than the window are deleted as new attempts come in."""

    __tablename__ = "sign_in_failures"
    __table_args__ = (Index(None, "address", "at"), Index(None, "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))  # lower-cased, as typed
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set by a later successful sign-in of the same name from the same address: the
    # row no longer counts for that name, still for the address.
    cleared: Mapped[bool] = mapped_column(Boolean)


class RoundKindergartens(Base):
    """The county's kindergarten part of a round (学前教育: the sheets 幼儿园 and
    幼儿园班级 as cells, ``{table key: [{field: cell}, ...]}``), filled by the bureau.
    No row: the round collects no kindergartens (the published year has none)."""

    __tablename__ = "round_kindergartens"

    round_id: Mapped[int] = mapped_column(
        ForeignKey("collection_rounds.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(Integer)  # bumped by every change (lost-update guard)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(Text)
