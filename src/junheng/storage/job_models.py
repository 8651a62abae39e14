"""The job table: heavy work the web app hands to worker processes (a 自评报告 PDF,
a plan, a county workbook import) instead of doing it while a request waits.

A small queue in the database the app already has — no Redis, no broker: a worker
claims the oldest queued row with a conditional UPDATE (one winner, on SQLite and
PostgreSQL alike), writes its progress and a heartbeat, and leaves the result (a file
or a JSON answer) or a Chinese error in the row. A running row whose heartbeat stops
(the server restarted, a worker was killed) is put back in the queue once, then
marked failed with a sentence saying so.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from junheng.storage.base import Base


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_status_id", "status", "id"), Index("ix_jobs_user_id_id", "user_id", "id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # junheng.services.jobs.KINDS
    # queued | running | done | failed
    status: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    actor: Mapped[str] = mapped_column(String(64))
    county_code: Mapped[str | None] = mapped_column(String(6))
    title: Mapped[str] = mapped_column(Text)  # what the user asked for, in Chinese
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    input: Mapped[bytes | None] = mapped_column(LargeBinary)  # an uploaded workbook
    input_name: Mapped[str | None] = mapped_column(Text)
    progress: Mapped[int] = mapped_column(Integer, default=0)  # 0–100
    stage: Mapped[str | None] = mapped_column(Text)  # what the worker is doing, in Chinese
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    result: Mapped[bytes | None] = mapped_column(LargeBinary)  # a file to download
    result_name: Mapped[str | None] = mapped_column(Text)
    result_type: Mapped[str | None] = mapped_column(String(120))
    answer: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # a JSON result (an import's outcome)
    # A failure: the Chinese message, its code and HTTP status, located details
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    seen: Mapped[bool] = mapped_column(default=False)  # the user was told it ended
