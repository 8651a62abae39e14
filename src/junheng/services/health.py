"""Use case: 学生健康 — fitness, myopia, psychology teachers and lessons taught, by
school with the county's figures and the years before (`junheng health`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from junheng.analysis.health import HealthReport, health_report
from junheng.core.errors import NotFoundError
from junheng.services.counties import load_years

if TYPE_CHECKING:
    from sqlalchemy import Engine


def write_health_workbook(report: HealthReport, path: str | Path, *, overwrite: bool = False) -> Path:
    """学生健康 by school, the county and the years as a workbook; the whole file or none."""
    from junheng.reports.renderers.health_workbook import write_health_xlsx
    from junheng.services.outputs import write_workbook_output

    return write_workbook_output(path, lambda tmp: write_health_xlsx(report, tmp), overwrite=overwrite)


def health_for_workbook(path: str | Path, previous: Sequence[str | Path] = (),
                        history: Engine | None = None) -> HealthReport:
    return health_report(load_years(path, previous, history))


def health_for_county(engine: Engine, county_code: str, school_year: int | None = None) -> HealthReport:
    """Every stored year of a county up to ``school_year`` (default: the latest)."""
    from junheng.storage import repository as repo  # storage is heavy; import on use
    from junheng.storage.engine import read_connection

    with read_connection(engine) as conn:
        infos = [i for i in repo.county_years(conn, county_code)
                 if school_year is None or i.school_year <= school_year]
        if not infos or (school_year is not None and infos[-1].school_year != school_year):
            year = f" {school_year} 学年" if school_year is not None else ""
            raise NotFoundError(f"数据库中没有县区 {county_code}{year}的数据（先用 junheng import 导入工作簿）")
        years = [repo.load_version(conn, i.id) for i in infos]
    return health_report(years)
