"""Closing (or reopening) a county-year's 社会认可度 survey, and what follows: the
stored county-year is evaluated again so that its verdict, the dashboard, the
trends, the regions and the 整改台账 all read S1 from the survey (closed) or from the typed value
(reopened). The re-evaluation is stored as a new version of the same data (the
history shows who closed the survey and when); nothing else changes.

Its own module: it uses both the survey service and the history service, which
import one another's functions otherwise (history.load applies the survey)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from junheng.core.errors import JunhengError, NotFoundError
from junheng.services import survey
from junheng.services.evaluation import chosen_standard, resolve_standard
from junheng.services.history import import_county_data
from junheng.services.ledger import sync_ledger
from junheng.storage import repository as repo
from junheng.storage.engine import read_connection

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass(slots=True)
class StatusChange:
    report: survey.SurveyReport
    version: int | None  # the new version of the county-year evaluated again, if it is stored
    recognised: bool | None


def set_survey_closed(engine: Engine, county_code: str, school_year: int | None, closed: bool, *,
                      by: str) -> StatusChange:
    survey.survey_report(engine, county_code, school_year)  # a result that cannot be computed stops here
    survey.set_closed(engine, county_code, school_year, closed)
    report = survey.survey_report(engine, county_code, school_year)
    try:
        with read_connection(engine) as conn:
            info = repo.find_version(conn, county_code, report.school_year)
            data = repo.load_version(conn, info.id)
            snap = repo.load_snapshot(conn, info.id)
    except NotFoundError:
        return StatusChange(report, None, None)
    try:  # the configured standard (JUNHENG_STANDARD), else the one the version was evaluated against
        std = resolve_standard(chosen_standard(None) or snap.standard_id)
    except JunhengError:
        std = resolve_standard(None)
    outcome = import_county_data(engine, data, by=by, file_name=info.file_name, standard=std)
    sync_ledger(engine, county_code)  # S1 met or not: its 整改台账 entry follows, as after an upload
    stored = outcome.stored
    return StatusChange(report, stored.version if stored else None,
                        outcome.evaluation.recognised if outcome.evaluation else None)
