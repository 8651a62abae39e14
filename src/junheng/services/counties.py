"""Reading the county workbooks an analysis needs: this year's and, for trends,
earlier years' (several files, or later the history kept in storage)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from junheng.core.confirmations import Confirmations
from junheng.core.errors import InvalidWorkbookError
from junheng.core.facts import CountyData

if TYPE_CHECKING:
    from sqlalchemy import Engine


def load_county(path: str | Path, confirmations: Confirmations | None = None) -> CountyData:
    """The county data of a workbook; raises InvalidWorkbookError when it has errors."""
    from junheng.intake import read_county_workbook  # intake is heavy; import on use

    result = read_county_workbook(path, confirmations=confirmations)
    if result.data is None or result.report.has_errors:
        raise InvalidWorkbookError(Path(path).name, sum(1 for i in result.report if i.is_error))
    return result.data


def load_years(path: str | Path, previous: Sequence[str | Path] = (),
               history: Engine | None = None) -> list[CountyData]:
    """This year's county and earlier ones, oldest first (ordered by 学年, whatever
    the order the files were given in). With ``history`` (the database of imported
    county-years), every stored earlier year of the same county is added too; a
    workbook given for a year takes the place of the stored one."""
    current = load_county(path)
    by_year = {d.county.school_year: d for d in (load_county(p) for p in previous)}
    if history is not None:
        from junheng.storage import repository as repo  # storage is heavy; import on use
        from junheng.storage.engine import read_connection

        with read_connection(history) as conn:
            for info in repo.county_years(conn, current.county.code):
                year = info.school_year
                if year < current.county.school_year and year not in by_year:
                    by_year[year] = repo.load_version(conn, info.id)
    by_year[current.county.school_year] = current
    return [by_year[y] for y in sorted(by_year)]
