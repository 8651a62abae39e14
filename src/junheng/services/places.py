"""Use case: school places (学位), 大班额 and the forecast of the next years for one
county (`junheng places`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from junheng.analysis.places import PlacesReport, PlacesSettings, places_report
from junheng.core.facts import CountyData
from junheng.services.counties import load_years
from junheng.services.outputs import write_workbook_output

if TYPE_CHECKING:
    from sqlalchemy import Engine


def write_places_workbook(report: PlacesReport, path: str | Path, *, overwrite: bool = False) -> Path:
    """学位容量、大班额、升级率和预测 as a workbook; the whole file or none."""
    from junheng.reports.renderers.places_workbook import write_places_xlsx

    return write_workbook_output(path, lambda tmp: write_places_xlsx(report, tmp), overwrite=overwrite)


def places_for_data(data: CountyData, previous: CountyData | None = None, years: int = 3) -> PlacesReport:
    return places_report(data, previous, PlacesSettings(years=years))


def places_for_workbook(path: str | Path, previous: Sequence[str | Path] = (), years: int = 3,
                        history: Engine | None = None) -> PlacesReport:
    """This year's workbook; with last year's (a file or the stored history), survival
    ratios and places added are learnt."""
    counties = load_years(path, previous, history)
    current = counties[-1]
    last = counties[-2] if len(counties) > 1 else None
    return places_for_data(current, last, years)
