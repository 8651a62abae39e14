"""Use case: evaluate a county workbook (or county data) against a standard."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from junheng.core.confirmations import Confirmations
from junheng.core.engine import evaluate
from junheng.core.facts import CountyData
from junheng.core.issues import IssueReport
from junheng.core.result import Evaluation
from junheng.core.standard import Standard
from junheng.standards import is_shipped, load_standard

if TYPE_CHECKING:
    from junheng.settings import Settings


def resolve_standard(standard: Standard | str | Path | None) -> Standard:
    if isinstance(standard, Standard):
        return standard
    return load_standard(standard)


def chosen_standard(explicit: str | Path | None, settings: Settings | None = None) -> str | None:
    """What a command evaluates against: its ``--standard``, else the configured
    JUNHENG_STANDARD, else None (the default, yzjh-2017)."""
    if explicit:
        return str(explicit)
    if settings is None:
        # Settings reads only the environment (no .env file): without the variable there
        # is nothing to read, and `junheng evaluate` starts without pydantic-settings.
        if not any(k.upper() == "JUNHENG_STANDARD" for k in os.environ):
            return None
        from junheng.settings import Settings

        settings = Settings()
    return settings.standard or None


def standard_origin(std: Standard) -> dict[str, object]:
    """What a stored evaluation records of its standard beyond id and version: its
    title, whether it is a user's own file, what it was copied from, and a digest of
    its content (an edited file with the same id and version is another standard)."""
    return {"standard_title": std.title, "standard_custom": not is_shipped(std),
            "standard_based_on": std.based_on, "standard_digest": standard_digest(std)}


def standard_digest(std: Standard) -> str:
    return hashlib.sha256(std.model_dump_json().encode("utf-8")).hexdigest()[:16]


def evaluate_data(data: CountyData, standard: Standard | str | Path | None = None) -> Evaluation:
    return evaluate(data, resolve_standard(standard))


def evaluate_workbook(
    path: str | Path, standard: Standard | str | Path | None = None,
    confirmations: Confirmations | None = None,
) -> tuple[Evaluation | None, IssueReport]:
    """Read, validate and evaluate. With any error in the workbook: (None, report).

    The standard is resolved first, so a broken standard file fails before any work.
    """
    _, ev, report = read_and_evaluate(path, standard, confirmations)
    return ev, report


def read_and_evaluate(
    path: str | Path, standard: Standard | str | Path | None = None,
    confirmations: Confirmations | None = None,
) -> tuple[CountyData | None, Evaluation | None, IssueReport]:
    """Like :func:`evaluate_workbook`, keeping the county's data: (data, evaluation,
    report); (None, None, report) when the workbook has errors."""
    from junheng.intake import read_county_workbook  # intake is heavy; import on use

    std = resolve_standard(standard)
    result = read_county_workbook(path, confirmations=confirmations)
    if result.data is None or result.report.has_errors:
        return None, None, result.report
    return result.data, evaluate(result.data, std), result.report
