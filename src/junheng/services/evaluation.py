"""Use case: evaluate a county workbook (or county data) against a standard."""

from __future__ import annotations

from pathlib import Path

from junheng.core.engine import evaluate
from junheng.core.facts import CountyData
from junheng.core.issues import IssueReport
from junheng.core.result import Evaluation
from junheng.core.standard import Standard
from junheng.standards import load_standard


def resolve_standard(standard: Standard | str | Path | None) -> Standard:
    if isinstance(standard, Standard):
        return standard
    return load_standard(standard)


def evaluate_data(data: CountyData, standard: Standard | str | Path | None = None) -> Evaluation:
    return evaluate(data, resolve_standard(standard))


def evaluate_workbook(
    path: str | Path, standard: Standard | str | Path | None = None
) -> tuple[Evaluation | None, IssueReport]:
    """Read, validate and evaluate. With any error in the workbook: (None, report).

    The standard is resolved first, so a broken standard file fails before any work.
    """
    from junheng.intake import read_county_workbook  # intake is heavy; import on use

    std = resolve_standard(standard)
    result = read_county_workbook(path)
    if result.data is None or result.report.has_errors:
        return None, result.report
    return evaluate(result.data, std), result.report
