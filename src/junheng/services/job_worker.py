"""A worker process: takes queued jobs from the database one at a time and runs them.

Started by the web app itself (``JUNHENG_WEB_JOB_WORKERS`` processes, default 2: no
other program to install or supervise) or on its own with ``junheng worker`` (for a
server that runs the web app with ``JUNHENG_WEB_JOB_WORKERS=0``). Workers of several
web processes, or of several machines on one PostgreSQL database, share the one queue.

A PDF takes seconds of Python: in a process of its own it no longer holds the web
app's interpreter lock, so pages stay fast while reports are made.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from typing import Any

from sqlalchemy import Engine

from junheng.core.errors import JunhengError
from junheng.services import jobs
from junheng.services.job_kinds import KINDS, Context

log = logging.getLogger("junheng.jobs")

POLL_SECONDS = 0.25  # an idle worker looks for work this often (one indexed query)
HEARTBEAT_SECONDS = 5.0
RECOVER_SECONDS = 10.0
WORKER_NICENESS = 10  # worker processes yield the CPU to the web process (POSIX)  # how often a worker puts back jobs whose worker died


def run_one(engine: Engine, standard: Any, settings: Any, worker: str) -> bool:
    """Take and run the oldest queued job; False when there was none."""
    job = jobs.claim(engine, worker)
    if job is None:
        return False
    stop = threading.Event()
    beat = threading.Thread(target=_beat, args=(engine, job.id, stop), daemon=True)
    beat.start()
    try:
        user = jobs.load_principal(engine, job.user_id)
        if user is None:
            jobs.fail(engine, job.id, "提交任务的账号已停用或锁定，任务未执行")
            return True
        kind = KINDS.get(job.kind)
        if kind is None:
            jobs.fail(engine, job.id, f"未知的任务类型 {job.kind}（程序版本不一致？请重新提交）")
            return True
        done = kind.run(Context(engine, standard, settings, user, job))
        jobs.finish(engine, job.id, **done)
    except JunhengError as exc:
        jobs.fail(engine, job.id, exc)
    except Exception:  # noqa: BLE001 - a bug: the user gets a sentence, the log the trace
        log.exception("job %s (%s) failed", job.id, job.kind)
        jobs.fail(engine, job.id, f"任务处理出错（任务编号 {job.id}），请稍后重试；如果再次出错，"
                                  "请把任务编号告诉系统管理员（服务器日志中有详细原因）。")
    finally:
        stop.set()
        beat.join(timeout=1)
    return True


def _beat(engine: Engine, job_id: int, stop: threading.Event) -> None:
    while not stop.wait(HEARTBEAT_SECONDS):
        try:
            jobs.heartbeat(engine, job_id)
        except Exception:  # noqa: BLE001 - a missed beat is retried; recovery allows several
            log.warning("heartbeat of job %s failed", job_id, exc_info=True)


def serve(settings: Any, stop: Any = None, *, once: bool = False) -> int:
    """The worker loop: until ``stop`` (a multiprocessing Event) is set, or, with
    ``once``, until the queue is empty. Returns the number of jobs run."""
    from junheng.services.evaluation import resolve_standard
    from junheng.services.history import open_history

    engine = open_history(settings)
    standard = resolve_standard(settings.standard)
    worker = jobs.worker_name()
    ran, last_recover = 0, 0.0
    try:
        while stop is None or not stop.is_set():
            now = time.monotonic()
            if now - last_recover > RECOVER_SECONDS:
                jobs.recover(engine)
                last_recover = now
            try:
                worked = run_one(engine, standard, settings, worker)
            except Exception:  # noqa: BLE001 - the database away for a moment: wait and retry
                log.exception("worker %s could not take a job", worker)
                worked = False
                time.sleep(2)
            ran += worked
            if not worked:
                if once:
                    break
                if stop is not None:
                    stop.wait(POLL_SECONDS)
                else:
                    time.sleep(POLL_SECONDS)
    finally:
        engine.dispose()
    return ran


def _process_main(settings_dump: dict[str, Any], stop: Any) -> None:
    from junheng.settings import Settings

    logging.basicConfig(level=logging.WARNING, format="%(asctime)s junheng-worker %(message)s")
    if hasattr(os, "nice"):  # the pages first: a report may take a second longer, a page may not
        os.nice(WORKER_NICENESS)
    try:
        serve(Settings(**settings_dump), stop)
    except KeyboardInterrupt:
        pass


class WorkerPool:
    """The web app's worker processes (spawned: a clean interpreter, the same on Windows)."""

    def __init__(self, settings: Any, size: int):
        self.settings = settings
        self.size = size
        self._context = multiprocessing.get_context("spawn")
        self._stop = self._context.Event()
        self._processes: list[Any] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        with self._lock:
            self._processes = [p for p in self._processes if p.is_alive()]
            dump = self.settings.model_dump()
            while len(self._processes) < self.size:
                p = self._context.Process(target=_process_main, args=(dump, self._stop),
                                          name="junheng-worker", daemon=True)
                p.start()
                self._processes.append(p)

    @property
    def alive(self) -> int:
        return sum(p.is_alive() for p in self._processes)

    def stop(self, timeout: float = 10.0) -> None:
        """Let each worker finish the job in hand (up to ``timeout``), then end it; a job
        cut off is put back in the queue by the next start (jobs.recover)."""
        self._stop.set()
        deadline = time.monotonic() + timeout
        for p in self._processes:
            p.join(max(0.1, deadline - time.monotonic()))
            if p.is_alive():
                p.terminate()
                p.join(2)
        self._processes = []
