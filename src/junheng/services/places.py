"""Use case: school places (学位), 大班额 and the forecast of the next years for one
county (`junheng places`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from junheng.analysis.places import PlacesReport, PlacesSettings, places_report
from junheng.core.facts import CountyData
from junheng.services.counties import load_years

if TYPE_CHECKING:
    from sqlalchemy import Engine


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
