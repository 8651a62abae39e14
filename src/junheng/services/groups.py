"""Use case: school groups (集团化办学) of a county, this year and over the years
(`junheng groups`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from junheng.analysis.groups import GroupsReport, group_schools, group_trends
from junheng.core.engine import evaluate
from junheng.core.errors import StandardError
from junheng.core.facts import CountyData
from junheng.core.standard import Standard
from junheng.services.counties import load_years

if TYPE_CHECKING:
    from sqlalchemy import Engine
from junheng.services.evaluation import resolve_standard


def write_groups_workbook(report: GroupsReport, path: str | Path, *, overwrite: bool = False) -> Path:
    """The groups' comparison as a workbook; the whole file or none."""
    from junheng.reports.renderers.groups_workbook import write_groups_xlsx
    from junheng.services.outputs import write_workbook_output

    return write_workbook_output(path, lambda tmp: write_groups_xlsx(report, tmp), overwrite=overwrite)


def groups_for_data(years: Sequence[CountyData], standard: Standard | str | Path | None = None) -> GroupsReport:
    """The latest year's groups, with trends over all the years given (oldest first)."""
    std = resolve_standard(standard)
    if std.resource is None:
        raise StandardError(std.id, "resource", "该标准没有逐校指标，无法比较集团内各校；请用 yzjh-2017 或 jbjh-2012")
    reports = [group_schools(d, evaluate(d, std)) for d in sorted(years, key=lambda d: d.county.school_year)]
    latest = reports[-1]
    latest.trends = group_trends(reports)
    return latest


def groups_for_workbook(path: str | Path, previous: Sequence[str | Path] = (),
                        standard: Standard | str | Path | None = None,
                        history: Engine | None = None) -> GroupsReport:
    resolve_standard(standard)  # a broken standard file fails before any workbook is read
    return groups_for_data(load_years(path, previous, history), standard)
