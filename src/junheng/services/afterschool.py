"""Use case: 双减 — after-school services and tutoring reduction (`junheng afterschool`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from junheng.analysis.afterschool import AfterschoolReport, afterschool_report
from junheng.services.counties import load_years

if TYPE_CHECKING:
    from sqlalchemy import Engine


def afterschool_for_workbook(path: str | Path, previous: Sequence[str | Path] = (),
                             history: Engine | None = None) -> AfterschoolReport:
    return afterschool_report(load_years(path, previous, history))
