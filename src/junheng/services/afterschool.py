"""Use case: 双减 — after-school services and tutoring reduction (`junheng afterschool`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from junheng.analysis.afterschool import AfterschoolReport, afterschool_report
from junheng.services.counties import load_years

if TYPE_CHECKING:
    from sqlalchemy import Engine



def write_afterschool_workbook(report: AfterschoolReport, path: str | Path, *, overwrite: bool = False) -> Path:
    """课后服务 and the training institutions' reduction as a workbook; the whole file or none."""
    from junheng.reports.renderers.afterschool_workbook import write_afterschool_xlsx
    from junheng.services.outputs import write_workbook_output

    return write_workbook_output(path, lambda tmp: write_afterschool_xlsx(report, tmp), overwrite=overwrite)

def afterschool_for_workbook(path: str | Path, previous: Sequence[str | Path] = (),
                             history: Engine | None = None) -> AfterschoolReport:
    return afterschool_report(load_years(path, previous, history))
