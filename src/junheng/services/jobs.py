"""The job queue in the database (``storage/job_models.Job``): queue, claim, progress,
finish, fail, recover after a restart, and what a user may see of it.

What a job *does* is in :mod:`junheng.services.job_kinds`; the process that runs them
is :mod:`junheng.services.job_worker`. A user sees only its own jobs, and fetches a
result only while it may still read the county the job is about (checked again at
every download: an account moved or stopped since loses the file too).
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, delete, func, insert, select, update

from junheng.core.errors import JunhengError, NotFoundError
from junheng.services.accounts import Principal, Role, aware, require
from junheng.storage.engine import read_connection, write_transaction
from junheng.storage.job_models import Job
from junheng.storage.web_models import User

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATUS_ZH = {QUEUED: "排队中", RUNNING: "进行中", DONE: "已完成", FAILED: "失败"}
MAX_ATTEMPTS = 2  # a job cut off by a restart runs once more, then fails with a sentence
STALE_SECONDS = 20.0  # a running job without a heartbeat (every 5 s) this long lost its worker
KEEP_DAYS = 7  # finished jobs (and their files) are kept this long


def utcnow() -> datetime:
    return datetime.now(UTC)


def worker_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


@dataclass(frozen=True, slots=True)
class Claimed:
    """A job a worker took: what it needs to run it."""

    id: int
    kind: str
    user_id: int
    county_code: str | None
    params: dict[str, Any]
    input: bytes | None
    input_name: str | None
    attempts: int


def enqueue(engine: Engine, user: Principal, kind: str, title: str, county_code: str | None,
            params: dict[str, Any], data: bytes | None = None, data_name: str | None = None) -> int:
    with write_transaction(engine) as conn:
        return conn.execute(insert(Job).values(
            kind=kind, status=QUEUED, user_id=user.id, actor=user.actor, county_code=county_code,
            title=title, params=params, input=data, input_name=data_name, progress=0,
            stage="排队等候处理", attempts=0, created_at=utcnow(), seen=False).returning(Job.id)).scalar_one()


def claim(engine: Engine, worker: str) -> Claimed | None:
    """The oldest queued job, taken by this worker alone (a conditional UPDATE: of two
    workers racing for a row, one changes it and the other sees 0 rows and tries the next)."""
    for _ in range(5):
        with read_connection(engine) as conn:
            job_id = conn.execute(select(Job.id).where(Job.status == QUEUED).order_by(Job.id).limit(1)).scalar()
        if job_id is None:
            return None
        now = utcnow()
        with write_transaction(engine) as conn:
            taken = conn.execute(update(Job).where(Job.id == job_id, Job.status == QUEUED).values(
                status=RUNNING, worker=worker, started_at=now, heartbeat_at=now, attempts=Job.attempts + 1,
                progress=1, stage="开始处理")).rowcount
            if taken == 1:
                row = conn.execute(select(Job.id, Job.kind, Job.user_id, Job.county_code, Job.params, Job.input,
                                          Job.input_name, Job.attempts).where(Job.id == job_id)).one()
                return Claimed(row.id, row.kind, row.user_id, row.county_code, row.params or {},
                               row.input, row.input_name, row.attempts)
    return None


def report_progress(engine: Engine, job_id: int, percent: int, stage: str) -> None:
    with write_transaction(engine) as conn:
        conn.execute(update(Job).where(Job.id == job_id, Job.status == RUNNING).values(
            progress=max(1, min(99, int(percent))), stage=stage, heartbeat_at=utcnow()))


def heartbeat(engine: Engine, job_id: int) -> None:
    with write_transaction(engine) as conn:
        conn.execute(update(Job).where(Job.id == job_id, Job.status == RUNNING).values(heartbeat_at=utcnow()))


def finish(engine: Engine, job_id: int, *, content: bytes | None = None, filename: str | None = None,
           media_type: str | None = None, answer: dict[str, Any] | None = None) -> None:
    with write_transaction(engine) as conn:
        conn.execute(update(Job).where(Job.id == job_id).values(
            status=DONE, progress=100, stage="已完成", finished_at=utcnow(), result=content,
            result_name=filename, result_type=media_type, answer=answer, input=None))


def fail(engine: Engine, job_id: int, error: JunhengError | str) -> None:
    """The job ends with a Chinese sentence (and, for a refused workbook, its located issues)."""
    if isinstance(error, JunhengError):
        body = {"code": error.code, "status": error.http_status, "message": error.message,
                "details": list(getattr(error, "details", None) or [])}
    else:
        body = {"code": "job-failed", "status": 500, "message": error, "details": []}
    with write_transaction(engine) as conn:
        conn.execute(update(Job).where(Job.id == job_id).values(
            status=FAILED, stage="失败", finished_at=utcnow(), error=body, input=None))


def recover(engine: Engine, stale_seconds: float = STALE_SECONDS, keep_days: int = KEEP_DAYS) -> dict[str, int]:
    """After a restart (or a killed worker): a running job whose heartbeat stopped goes
    back to the queue if it has a try left, otherwise it fails saying why. Old finished
    jobs and their files are removed."""
    now = utcnow()
    cutoff = now - timedelta(seconds=stale_seconds)
    with write_transaction(engine) as conn:
        stale = and_(Job.status == RUNNING, Job.heartbeat_at < cutoff)
        requeued = conn.execute(update(Job).where(stale, Job.attempts < MAX_ATTEMPTS).values(
            status=QUEUED, progress=0, worker=None,
            stage="处理中断（服务重启或工作进程退出），已重新排队")).rowcount
        failed = conn.execute(update(Job).where(stale).values(
            status=FAILED, finished_at=now, input=None, stage="失败",
            error={"code": "job-interrupted", "status": 500, "details": [],
                   "message": "任务在处理过程中两次中断（服务重启或工作进程退出），未完成。请重新提交；"
                              "如果再次发生，请联系系统管理员查看服务器日志。"})).rowcount
        removed = conn.execute(delete(Job).where(Job.status.in_((DONE, FAILED)),
                                                 Job.finished_at < now - timedelta(days=keep_days))).rowcount
    return {"requeued": requeued, "failed": failed, "removed": removed}


def load_principal(engine: Engine, user_id: int) -> Principal | None:
    """The job's user as it is now (an account stopped since gets nothing)."""
    with read_connection(engine) as conn:
        row = conn.execute(select(User.__table__).where(User.id == user_id)).first()
    if row is None or not row.active or row.locked_at is not None:
        return None
    return Principal(row.id, row.username, row.display_name, Role(row.role), row.region_code, row.school_code)


# ---------------------------------------------------------------- what a user sees


def _public(row: Any) -> dict[str, Any]:
    out = {"id": row.id, "kind": row.kind, "title": row.title, "status": row.status,
           "status_zh": STATUS_ZH[row.status], "progress": row.progress, "stage": row.stage or "",
           "county_code": row.county_code, "created_at": aware(row.created_at).isoformat(),
           "finished_at": aware(row.finished_at).isoformat() if row.finished_at else None,
           "download": None, "answer": row.answer, "error": row.error}
    if row.status == DONE and row.result_name:
        out["download"] = f"/api/jobs/{row.id}/result"
        out["filename"] = row.result_name
    return out


_COLUMNS = (Job.id, Job.kind, Job.title, Job.status, Job.progress, Job.stage, Job.county_code, Job.created_at,
            Job.finished_at, Job.result_name, Job.answer, Job.error, Job.user_id, Job.params)


def _own(engine: Engine, user: Principal, job_id: int) -> Any:
    with read_connection(engine) as conn:
        row = conn.execute(select(*_COLUMNS).where(Job.id == job_id)).first()
    if row is None:
        raise NotFoundError(f"没有编号为 {job_id} 的任务")
    require(row.user_id == user.id, "查看其他用户的任务")
    return row


def job_view(engine: Engine, user: Principal, job_id: int, *, mark_seen: bool = False) -> dict[str, Any]:
    row = _own(engine, user, job_id)
    if mark_seen and row.status in (DONE, FAILED):
        with write_transaction(engine) as conn:
            conn.execute(update(Job).where(Job.id == job_id, Job.seen.is_(False)).values(seen=True))
    return _public(row)


def job_row(engine: Engine, user: Principal, job_id: int) -> Any:
    """The job's row (without its file) for its own user: the caller checks the county."""
    return _own(engine, user, job_id)


def result(engine: Engine, user: Principal, job_id: int) -> tuple[bytes, str, str]:
    _own(engine, user, job_id)
    with write_transaction(engine) as conn:
        row = conn.execute(select(Job.status, Job.result, Job.result_name, Job.result_type)
                           .where(Job.id == job_id)).one()
        if row.status != DONE or row.result is None:
            raise NotFoundError("该任务还没有可下载的文件" if row.status != DONE else "该任务的结果不是文件")
        conn.execute(update(Job).where(Job.id == job_id).values(seen=True))
    return row.result, row.result_name, row.result_type


def list_jobs(engine: Engine, user: Principal, limit: int = 50) -> list[dict[str, Any]]:
    with read_connection(engine) as conn:
        rows = conn.execute(select(*_COLUMNS).where(Job.user_id == user.id).order_by(Job.id.desc())
                            .limit(limit)).all()
    return [_public(r) for r in rows]


def notices(engine: Engine, user: Principal) -> list[dict[str, Any]]:
    """Jobs of this user that ended and that it has not been shown yet (the banner of
    every page: a report finished while the user was elsewhere)."""
    with read_connection(engine) as conn:
        rows = conn.execute(select(*_COLUMNS).where(
            Job.user_id == user.id, Job.seen.is_(False), Job.status.in_((DONE, FAILED))).order_by(Job.id)
            .limit(5)).all()
    return [_public(r) for r in rows]


def mark_seen(engine: Engine, user: Principal, job_ids: list[int]) -> None:
    if job_ids:
        with write_transaction(engine) as conn:
            conn.execute(update(Job).where(Job.user_id == user.id, Job.id.in_(job_ids)).values(seen=True))


def latest_with(engine: Engine, user: Principal, kind: str, params: dict[str, Any]) -> dict[str, Any] | None:
    """This user's newest job of ``kind`` asking exactly ``params`` (a computed page's cache)."""
    with read_connection(engine) as conn:
        rows = conn.execute(select(*_COLUMNS).where(Job.user_id == user.id, Job.kind == kind)
                            .order_by(Job.id.desc()).limit(50)).all()
    row = next((r for r in rows if r.params == params), None)
    return _public(row) if row is not None else None


def find_active(engine: Engine, user: Principal, kind: str, params: dict[str, Any]) -> int | None:
    """A queued or running job of this user asking the same thing (a double click makes one job)."""
    with read_connection(engine) as conn:
        rows = conn.execute(select(Job.id, Job.params).where(
            Job.user_id == user.id, Job.kind == kind, Job.status.in_((QUEUED, RUNNING)))).all()
    return next((r.id for r in rows if r.params == params), None)


def counts(engine: Engine) -> dict[str, int]:
    with read_connection(engine) as conn:
        return dict(conn.execute(select(Job.status, func.count()).group_by(Job.status)).all())


class JobFailedError(JunhengError):
    """A job's failure, raised again where a request waited for it (the API answers as
    if it had done the work itself: the same code, status, message and details)."""

    def __init__(self, body: dict[str, Any]):
        super().__init__(body.get("message") or "任务失败")
        self.code = body.get("code") or "job-failed"
        self.http_status = int(body.get("status") or 500)
        self.details = body.get("details") or []
