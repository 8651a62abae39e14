"""Use cases: import a county-year into the database (all or nothing, versioned),
list its versions and show what changed between two versions or two years."""

from __future__ import annotations

import getpass
import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from junheng.analysis.county_year import summarise
from junheng.analysis.monitoring import load_monitoring_rules
from junheng.core.changes import CountyDiff, diff_county_data
from junheng.core.confirmations import Confirmations
from junheng.core.engine import evaluate
from junheng.core.errors import NotFoundError
from junheng.core.facts import CountyData
from junheng.core.issues import IssueReport
from junheng.core.result import Evaluation
from junheng.core.standard import Standard
from junheng.core.yearly import MonitoringRules, evaluation_document
from junheng.services.evaluation import resolve_standard, standard_digest, standard_origin
from junheng.settings import Settings
from junheng.standards import is_shipped
from junheng.storage import repository as repo
from junheng.storage.engine import read_connection, write_transaction
from junheng.storage.schema import open_database


def open_history(settings: Settings | None = None, url: str | None = None) -> Engine:
    """The database of county-years (created and migrated on first use)."""
    return open_database(settings, url)


@dataclass(slots=True)
class ImportOutcome:
    report: IssueReport
    stored: repo.VersionInfo | None = None  # None: errors in the workbook, or unchanged
    previous: repo.VersionInfo | None = None  # the version this one replaced
    evaluation: Evaluation | None = None
    unchanged: bool = False  # the same file and standard as the current version: nothing stored


def file_sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def default_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def import_workbook(engine: Engine, path: str | Path, *, by: str | None = None,
                    standard: Standard | str | Path | None = None,
                    confirmations: Confirmations | None = None) -> ImportOutcome:
    """Validate and store one county-year workbook. A workbook with errors stores nothing."""
    from junheng.intake import read_county_workbook  # intake is heavy; import on use

    std = resolve_standard(standard)
    result = read_county_workbook(path, confirmations=confirmations)
    if result.data is None or result.report.has_errors:
        return ImportOutcome(report=result.report)
    outcome = import_county_data(engine, result.data, by=by, file_name=Path(path).name,
                                 file_hash=file_sha256(path), standard=std)
    outcome.report = result.report
    return outcome


def import_county_data(engine: Engine, data: CountyData, *, by: str | None = None,
                       file_name: str | None = None, file_hash: str | None = None,
                       standard: Standard | str | Path | None = None,
                       rules: MonitoringRules | None = None,
                       expected_version: int | None = None,
                       evaluated: tuple[Evaluation, dict] | None = None) -> ImportOutcome:
    """Evaluate and store ``data`` as the new current version of its county-year.
    ``evaluated``: its evaluation against ``standard`` and summary, already made (a
    bulk import evaluates in worker processes).

    The version the import replaces is read first; if another import stores a version
    of the same county-year in between, this one stores nothing and raises
    ConcurrentImportError (one winner, a clear message for the other).
    """
    c = data.county
    with read_connection(engine) as conn:
        latest = repo.latest_version(conn, c.code, c.school_year)
        previous = repo.find_version(conn, c.code, c.school_year) if latest else None
    if expected_version is None:
        expected_version = latest
    std = resolve_standard(standard)
    if (file_hash and previous is not None and previous.file_hash == file_hash
            and _same_standard(engine, previous, std)):
        return ImportOutcome(IssueReport(), previous=previous, unchanged=True)
    from junheng.services.survey import apply_survey

    # The data are stored as given; S1 is evaluated from a closed 社会认可度 survey, if any
    # (then an evaluation made beforehand, without it, is made again).
    judged = apply_survey(engine, data)
    if evaluated is not None and judged is data:
        evaluation, summary = evaluated
    else:
        evaluation = evaluate(judged, std)
        summary = summarise(judged, evaluation, rules or load_monitoring_rules(), keep_scoped=not is_shipped(std))
    snapshot = repo.Snapshot(
        standard_id=std.id, standard_version=std.version, recognised=evaluation.recognised,
        schools_total=summary["schools_total"], schools_passed=summary["schools_passed"],
        items_failed=len(summary["failing_items"]), summary=summary,
        result=evaluation_document(evaluation) | standard_origin(std),
    )
    meta = repo.ImportMeta(imported_by=by or default_user(), file_name=file_name or data.source,
                           file_hash=file_hash)
    with write_transaction(engine) as conn:
        stored = repo.save_county_data(conn, data, meta, snapshot, expected_version)
    return ImportOutcome(IssueReport(), stored=stored, previous=previous, evaluation=evaluation)


def _same_standard(engine: Engine, stored: repo.VersionInfo, std: Standard) -> bool:
    """Whether the stored version was evaluated against ``std`` (same content; for
    snapshots stored before the digest was kept: same id and version)."""
    with read_connection(engine) as conn:
        snap = repo.load_snapshot(conn, stored.id)
    digest = snap.result.get("standard_digest")
    if digest is not None:
        return digest == standard_digest(std)
    return (snap.standard_id, snap.standard_version) == (std.id, std.version)


def versions(engine: Engine, county_code: str, school_year: int) -> list[repo.VersionInfo]:
    with read_connection(engine) as conn:
        found = repo.list_versions(conn, county_code, school_year)
    if not found:
        raise NotFoundError(f"数据库中没有县区 {county_code} {school_year} 学年的数据")
    return found


def load(engine: Engine, county_code: str, school_year: int, version: int | None = None) -> CountyData:
    from junheng.services.survey import apply_survey

    with read_connection(engine) as conn:
        data = repo.load_county_data(conn, county_code, school_year, version)
    return apply_survey(engine, data)  # S1 from a closed 社会认可度 survey, when there is one


@dataclass(slots=True)
class DiffOutcome:
    old: repo.VersionInfo
    new: repo.VersionInfo
    diff: CountyDiff


def diff_versions(engine: Engine, county_code: str, school_year: int, *,
                  from_version: int | None = None, to_version: int | None = None,
                  from_year: int | None = None) -> DiffOutcome:
    """Compare two stored versions of a county-year (default: the current one with the
    one before it), or the current versions of two school years (``from_year``)."""
    with read_connection(engine) as conn:
        new = repo.find_version(conn, county_code, school_year, to_version)
        if from_year is not None:
            old = repo.find_version(conn, county_code, from_year, from_version)
        else:
            if from_version is None:
                if new.version <= 1:
                    raise NotFoundError(
                        f"县区 {county_code} {school_year} 学年只有第 {new.version} 版，没有可比较的早先版本")
                from_version = new.version - 1
            old = repo.find_version(conn, county_code, school_year, from_version)
        diff = diff_county_data(repo.load_version(conn, old.id), repo.load_version(conn, new.id))
    return DiffOutcome(old, new, diff)


# ---------------------------------------------------------------- labels for renderers

_TABLE_SHEET = {"county": "county", "facts": "facts", "schools": "schools", "teachers": "teachers"}
_COUNTY_KEYS = {"name": "county_name", "code": "county_code"}
_ENUM_OF = {"school_type": "school_type", "urban_rural": "urban_rural", "ownership": "ownership",
            "stage": "stage", "degree": "degree", "backbone_level": "backbone_level"}


def field_label(table: str, key: str) -> str:
    """The Chinese header of a field (学校「教学及辅助用房面积（㎡）」), else the key."""
    from junheng.templates.spec import load_template_spec

    spec = load_template_spec()
    base, _, sub = key.partition(".")
    if table == "schools" and base == "extra":
        base = sub
    if table == "county":
        base = _COUNTY_KEYS.get(base, base)
    try:
        return spec.sheet(_TABLE_SHEET.get(table, table)).field(base).display_header
    except KeyError:
        return key


def value_text(key: str, value: object) -> str:
    """A value as a user reads it: enums in Chinese, 是/否, 空 for missing."""
    from junheng.templates.spec import load_template_spec

    if value is None:
        return "（空）"
    if isinstance(value, bool):
        return "是" if value else "否"
    if key in _ENUM_OF:
        try:
            return load_template_spec().enum_label(_ENUM_OF[key], str(value))
        except (KeyError, ValueError):
            return str(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
