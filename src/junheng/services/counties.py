"""Reading the county workbooks an analysis needs: this year's and, for trends,
earlier years' (several files, or later the history kept in storage)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from junheng.core.errors import InvalidWorkbookError
from junheng.core.facts import CountyData


def load_county(path: str | Path) -> CountyData:
    """The county data of a workbook; raises InvalidWorkbookError when it has errors."""
    from junheng.intake import read_county_workbook  # intake is heavy; import on use

    result = read_county_workbook(path)
    if result.data is None or result.report.has_errors:
        raise InvalidWorkbookError(Path(path).name, sum(1 for i in result.report if i.is_error))
    return result.data


def load_years(path: str | Path, previous: Sequence[str | Path] = ()) -> list[CountyData]:
    """This year's county and earlier ones, oldest first (ordered by 学年, whatever
    the order the files were given in)."""
    years = [load_county(p) for p in (*previous, path)]
    return sorted(years, key=lambda d: d.county.school_year)
