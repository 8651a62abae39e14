"""Use case: many county workbooks in one command (``junheng validate/evaluate/import
A.xlsx B.xlsx 文件夹/``) — a city's or a province's year at once.

Files are read, validated and evaluated in worker processes (``jobs`` of them; 1 runs
everything in this process), and their outcomes come back in the order the files were
given, so a parallel run and a serial run import in the same order and leave the same
database. Imports are written by this process, one transaction per file: a broken or
refused workbook is reported and the others go in. At most a few files per worker are
in flight at once, so memory stays flat however many files there are.

Workers are started with ``spawn`` on every platform (as on Windows): a fresh
interpreter, no inherited database connections or threads.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from junheng.core.errors import InvalidRequestError, JunhengError
from junheng.core.standard import Standard

Mode = Literal["validate", "evaluate", "import"]
# What became of one file. ``ok`` says whether it counts as done for the exit code.
STATUS_ZH = {
    "valid": "无错误", "invalid": "有错误", "refused": "已拒绝", "failed": "出错",
    "recognised": "认定", "not-recognised": "不予认定",
    "imported": "已导入", "unchanged": "未变化",
}
_PROBLEMS_KEPT = 5  # messages kept per file for the summary (validate lists them all)


@dataclass(slots=True)
class FileOutcome:
    """One workbook's line of the summary table."""

    file: str
    path: str
    status: str
    county_code: str | None = None
    county_name: str | None = None
    school_year: int | None = None
    errors: int = 0
    warnings: int = 0
    problems: list[str] = field(default_factory=list)  # the first few, located, in Chinese
    recognised: bool | None = None
    version: int | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("valid", "recognised", "not-recognised", "imported", "unchanged")

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"ok": self.ok, "status_zh": self.status_zh}


@dataclass(slots=True)
class BatchSummary:
    outcomes: list[FileOutcome]

    @property
    def all_ok(self) -> bool:
        return all(o.ok for o in self.outcomes)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for o in self.outcomes:
            out[o.status] = out.get(o.status, 0) + 1
        return out


def collect_workbooks(paths: Iterable[str | Path]) -> list[Path]:
    """The workbooks named: files as given, folders as their .xlsx files (not those in
    subfolders; not Excel's ``~$`` lock files or hidden files), sorted by name. A path
    that does not exist is a usage error naming it."""
    found: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found += sorted(x for x in p.iterdir()
                            if x.is_file() and x.suffix.lower() == ".xlsx" and not x.name.startswith(("~$", ".")))
        elif p.exists():
            found.append(p)
        else:
            raise UsageError(f"找不到文件或文件夹：{p}")
    if not found:
        raise UsageError("没有找到任何 .xlsx 工作簿：" + "、".join(str(p) for p in paths))
    seen: set[Path] = set()
    unique = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


class UsageError(InvalidRequestError):
    code = "usage"
    exit_code = 2


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


# --- the work of one file, in a worker ------------------------------------------------

_standard: Standard | None = None


def _init_worker(standard: Standard | None) -> None:
    global _standard
    _standard = standard


def _work(mode: Mode, path: str, limits: Any = None) -> tuple[FileOutcome, Any]:
    """Read, validate and (evaluate, import) one workbook. Returns the outcome and, for
    import, what the writer needs: (data, evaluation, summary, file hash)."""
    from junheng.intake import read_county_workbook

    name = Path(path).name
    try:
        result = read_county_workbook(path) if limits is None else read_county_workbook(path, limits=limits)
    except JunhengError as exc:  # refused by the archive guard
        return FileOutcome(name, path, "refused", errors=1, problems=[exc.message]), None
    report = result.report
    errors = [i for i in report if i.is_error]
    warnings = len(report) - len(errors)
    data = result.data
    county = data.county if data is not None else None
    basics = result.basics  # a broken workbook still says whose it is, when its 基本信息 could be read
    outcome = FileOutcome(
        name, path, "invalid" if errors else "valid",
        county_code=county.code if county else basics.get("county_code"),
        county_name=county.name if county else basics.get("county_name"),
        school_year=county.school_year if county else basics.get("school_year"),
        errors=len(errors), warnings=warnings,
        problems=[i.message for i in (errors or list(report))[:_PROBLEMS_KEPT]],
    )
    if errors or data is None or mode == "validate":
        return outcome, None
    from junheng.core.engine import evaluate

    evaluation = evaluate(data, _standard_now())
    outcome.recognised = evaluation.recognised
    outcome.status = "recognised" if evaluation.recognised else "not-recognised"
    if mode == "evaluate":
        return outcome, None
    from junheng.analysis.county_year import summarise
    from junheng.analysis.monitoring import load_monitoring_rules
    from junheng.services.history import file_sha256
    from junheng.standards import is_shipped

    std = _standard_now()
    summary = summarise(data, evaluation, load_monitoring_rules(), keep_scoped=not is_shipped(std))
    return outcome, (data, evaluation, summary, file_sha256(path))


def _standard_now() -> Standard:
    global _standard
    if _standard is None:
        from junheng.services.evaluation import resolve_standard

        _standard = resolve_standard(None)
    return _standard


def _safe_work(mode: Mode, path: str, limits: Any = None) -> tuple[FileOutcome, Any]:
    # A county's evaluation makes millions of small objects and no cyclic garbage: the
    # cyclic collector would rescan them again and again (a fifth of the time). Paused
    # for the file.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _work(mode, path, limits)
    except Exception as exc:  # a bug or a broken disk must not stop the other files
        return FileOutcome(Path(path).name, path, "failed", errors=1,
                           problems=[f"处理时出错：{type(exc).__name__}: {exc}"]), None
    finally:
        if was_enabled:
            gc.enable()


# --- running many -----------------------------------------------------------------------

def _ordered(mode: Mode, paths: list[Path], jobs: int, standard: Standard | None, limits: Any = None
             ) -> Iterator[tuple[FileOutcome, Any]]:
    """Each file's (outcome, payload) in the order given, at most ``jobs × 2`` ahead."""
    if jobs <= 1 or len(paths) == 1:
        _init_worker(standard)
        for p in paths:
            yield _safe_work(mode, str(p), limits)
        return
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(paths)), mp_context=context,
                             initializer=_init_worker, initargs=(standard,)) as pool:
        window: deque[Future] = deque()
        pending = iter(paths)
        for p in pending:
            window.append(pool.submit(_safe_work, mode, str(p), limits))
            if len(window) >= 2 * jobs:
                break
        while window:
            done = window.popleft()
            nxt = next(pending, None)
            if nxt is not None:
                window.append(pool.submit(_safe_work, mode, str(nxt), limits))
            yield done.result()


def run_batch(mode: Mode, paths: list[Path], *, jobs: int | None = None,
              standard: Standard | None = None, engine=None, by: str | None = None,
              on_file: Callable[[FileOutcome], None] | None = None, limits: Any = None) -> BatchSummary:
    """Validate, evaluate or import every workbook of ``paths``; ``on_file`` is told of
    each as it is done (a progress bar). ``engine`` (import only): the database.
    ``limits``: the archive guard's (the web app's, for its bulk upload); default its own."""
    if mode == "import" and engine is None:
        raise ValueError("import needs an engine")
    outcomes = []
    for outcome, payload in _ordered(mode, paths, jobs or default_jobs(), standard, limits):
        if payload is not None:
            _store(engine, outcome, payload, by, standard)
        outcomes.append(outcome)
        if on_file is not None:
            on_file(outcome)
    return BatchSummary(outcomes)


def _store(engine, outcome: FileOutcome, payload, by: str | None, standard: Standard | None) -> None:
    from sqlalchemy.exc import DBAPIError

    from junheng.services.history import import_county_data

    data, evaluation, summary, digest = payload
    try:
        stored = import_county_data(engine, data, by=by, file_name=outcome.file, file_hash=digest,
                                    standard=standard or _standard_now(), evaluated=(evaluation, summary))
    except JunhengError as exc:
        outcome.status, outcome.errors, outcome.problems = "failed", 1, [exc.message]
        return
    except DBAPIError as exc:
        outcome.status, outcome.errors = "failed", 1
        outcome.problems = [f"数据库操作失败，本文件未保存任何数据（{type(exc.orig).__name__}: {exc.orig}）"]
        return
    if stored.unchanged:
        outcome.status, outcome.version = "unchanged", stored.previous.version
    else:
        outcome.status, outcome.version = "imported", stored.stored.version
