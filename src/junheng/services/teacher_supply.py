"""Use case: teacher supply by subject and 编制 for one county-year (`junheng teachers`,
the web page 教师配备): from a workbook, or from the current stored version of an
imported county-year."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from junheng.analysis.teacher_supply import TeacherSupplyReport, teacher_supply
from junheng.core.facts import CountyData
from junheng.services.counties import load_county

if TYPE_CHECKING:
    from sqlalchemy import Engine


def supply_for_data(data: CountyData) -> TeacherSupplyReport:
    """The settings come from ``JUNHENG_TEACHER_SUPPLY`` (or the shipped defaults), the
    same the fact sheet uses, so this report and every document agree."""
    return teacher_supply(data)


def supply_for_workbook(path: str | Path) -> TeacherSupplyReport:
    return supply_for_data(load_county(path))


def supply_for_county(engine: Engine, county_code: str, school_year: int | None = None) -> TeacherSupplyReport:
    """The current version of a stored county-year (the latest year when none is given)."""
    from junheng.core.errors import NotFoundError
    from junheng.storage import repository as repo
    from junheng.storage.engine import read_connection

    with read_connection(engine) as conn:
        years = [i for i in repo.county_years(conn, county_code)
                 if school_year is None or i.school_year == school_year]
        if not years:
            when = f" {school_year} 学年" if school_year is not None else ""
            raise NotFoundError(f"数据库中没有县区 {county_code}{when}的数据（先用 junheng import 导入）")
        info = max(years, key=lambda i: i.school_year)
        data = repo.load_version(conn, info.id)
    return supply_for_data(data)


def write_teachers_workbook(report: TeacherSupplyReport, path: str | Path, *, overwrite: bool = False) -> Path:
    """The teacher-supply workbook; the whole file or none."""
    from junheng.reports.renderers.teachers_workbook import write_teachers_xlsx
    from junheng.services.outputs import write_workbook_output

    return write_workbook_output(path, lambda tmp: write_teachers_xlsx(report, tmp), overwrite=overwrite)
