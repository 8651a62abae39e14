"""The years the annual report (年度答卷) compares; their figures are the county-year
fact sheets (:mod:`junheng.analysis.factsheet`): the optional columns and facts of the
template (标准班数, 课后服务, 教育集团, 校外培训机构, 幼儿园) give a figure only when the
workbook has them, else ``None`` and the report leaves the line out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from junheng.analysis.factsheet import FactSheet, build_factsheet
from junheng.core.facts import CountyData, Stage
from junheng.core.result import Evaluation

STAGES = (Stage.PRIMARY, Stage.JUNIOR)


@dataclass(slots=True)
class YearData:
    """One county-year: its facts, its evaluation and (optionally) its preschool evaluation."""

    evaluation: Evaluation
    data: CountyData
    preschool: Evaluation | None = None


@dataclass(slots=True)
class AnnualData:
    """Two or more years of one county, oldest first; the report compares the last two."""

    years: list[YearData]
    # The bureau's targets in the current year (services.progress.CountyProgress), when stored.
    progress: Any = None

    def __post_init__(self) -> None:
        self.years.sort(key=lambda y: y.evaluation.school_year)

    @property
    def current(self) -> YearData:
        return self.years[-1]

    @property
    def previous(self) -> YearData:
        return self.years[-2]


def year_facts(year: YearData) -> FactSheet:
    """The fact sheet of one year of the annual report (the same figures as every output)."""
    return build_factsheet(year.data, year.evaluation, year.preschool)
