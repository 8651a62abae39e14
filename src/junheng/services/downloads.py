"""Files to download: the blank template, a stored county-year's workbook, its result
workbook, HTML report, 自评报告 and 年度答卷 (Word, PDF), and a school's own part of a
round or the county's kindergarten part (to fill in Excel)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import Engine

from junheng.core.facts import CountyData
from junheng.core.result import Evaluation
from junheng.core.standard import Standard
from junheng.reports.documents.trend_section import TrendSection
from junheng.services import history, reporting
from junheng.services.accounts import Principal, require
from junheng.services.evaluation import evaluate_data
from junheng.services.trends import trend_section
from junheng.storage.engine import read_connection
from junheng.templates.writer import write_county_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook_bytes(data: CountyData | None) -> bytes:
    with tempfile.TemporaryDirectory(prefix="junheng-download-") as folder:
        path = Path(folder) / "out.xlsx"
        write_county_workbook(data, path)
        return path.read_bytes()


def blank_template() -> bytes:
    return _workbook_bytes(None)


def _county_data(engine: Engine, actor: Principal, county_code: str, school_year: int) -> CountyData:
    require(actor.can_read_county(county_code), "下载该县区的数据")
    return history.load(engine, county_code, school_year)


def county_workbook(engine: Engine, actor: Principal, county_code: str, school_year: int) -> bytes:
    return _workbook_bytes(_county_data(engine, actor, county_code, school_year))


def _evaluated(engine: Engine, actor: Principal, county_code: str, school_year: int,
               standard: Standard | None) -> tuple[Evaluation, TrendSection]:
    """A stored county-year evaluated against ``standard`` (default yzjh-2017), and the
    county's trend up to that year (历年趋势 of the result files)."""
    data = _county_data(engine, actor, county_code, school_year)
    ev = evaluate_data(data, standard)
    return ev, trend_section(engine, data, ev, stored=True)


def result_workbook(engine: Engine, actor: Principal, county_code: str, school_year: int, *,
                    standard: Standard | None = None) -> bytes:
    from junheng.reports.renderers.xlsx import write_result_workbook

    ev, trend = _evaluated(engine, actor, county_code, school_year, standard)
    with tempfile.TemporaryDirectory(prefix="junheng-download-") as folder:
        path = Path(folder) / "result.xlsx"
        write_result_workbook(ev, path, trend=trend)
        return path.read_bytes()


def html_report(engine: Engine, actor: Principal, county_code: str, school_year: int, *,
                standard: Standard | None = None) -> str:
    from junheng.reports.renderers.html import render_html_report

    ev, trend = _evaluated(engine, actor, county_code, school_year, standard)
    return render_html_report(ev, trend=trend)


def report(engine: Engine, actor: Principal, county_code: str, school_year: int,
           kind: reporting.ReportKind, fmt: reporting.ReportFormat,
           *, standard: Standard | None = None,
           cache: reporting.ReportCache | None = None) -> reporting.RenderedReport:
    """自评报告 or 年度答卷 (with every earlier stored year) of a stored county-year,
    against ``standard`` (the app's configured one; default yzjh-2017)."""
    require(actor.can_read_county(county_code), "下载该县区的数据")
    return reporting.stored_report(engine, kind, fmt, county_code, school_year, standard, cache=cache)


def school_part(engine: Engine, actor: Principal, round_id: int, school_code: str) -> bytes:
    """The workbook with 基本信息 and only this school's rows (its current form), or the
    blank template while the form still has errors."""
    from junheng.services import collection
    from junheng.services import submission_forms as sf

    view = collection.submission_view(engine, actor, round_id, school_code)
    with read_connection(engine) as conn:
        rnd = collection.load_round(conn, round_id)
    checked = sf.check(rnd.county, None, [(school_code, view["data"])])
    return _workbook_bytes(checked.result.data)


def kindergarten_part(engine: Engine, actor: Principal, round_id: int) -> bytes:
    """The workbook with 基本信息 and the round's kindergartens and their classes (its
    current tables), or the blank template while they still have errors."""
    from junheng.services import round_kindergartens

    return _workbook_bytes(round_kindergartens.checked(engine, actor, round_id).result.data)
